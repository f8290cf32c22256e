import { api } from '../api.js';
import { h, show, fmt, link, badge, sortableTable } from '../dom.js';

export async function targetsPage({ query, isCurrent }) {
  const q = query.get('q') ?? '';
  const input = h('input', { id: 'target-query', name: 'q', value: q, size: 60, placeholder: 'https://… or #hashtag or a post id', required: true });
  const form = h('form', {
    class: 'card row', id: 'target-form',
    onsubmit: (e) => { e.preventDefault(); location.hash = `#/targets?q=${encodeURIComponent(input.value.trim())}`; },
  }, h('label', {}, 'URL, hashtag or post', input), h('button', { type: 'submit' }, 'Search'));
  if (!q) {
    show(h('h1', {}, 'Which networks pushed this?'), form, h('p', { class: 'muted' }, 'URLs are compared in canonical form (tracking parameters dropped), hashtags without their #.'));
    return;
  }
  const hits = await api.targets(q);
  if (!isCurrent()) return;
  show(
    h('h1', {}, 'Which networks pushed this?'), form,
    h('div', { class: 'card', id: 'target-results' },
      h('p', { class: 'muted', id: 'target-count' }, `${hits.length} network${hits.length === 1 ? '' : 's'} acted on "${q}" together.`),
      hits.length ? sortableTable([
        { title: 'Network', value: (x) => x.networkId, render: (x) => link.network(x.networkId) },
        { title: 'Status', value: (x) => x.status },
        { title: 'Score', value: (x) => x.score, render: (x) => fmt.score(x.score), num: true },
        { title: 'Size', value: (x) => x.size, num: true },
        { title: 'Matching evidence targets', value: (x) => x.targets.length, render: (x) => h('div', {}, x.targets.slice(0, 5).map((t) => h('div', { class: 'mono wrap' }, t)), x.targets.length > 5 ? badge(`+${x.targets.length - 5} more`) : null) },
      ], hits, { rowAttrs: (x) => ({ dataset: { network: x.networkId } }) }) : null));
}
