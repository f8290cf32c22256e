import { api } from '../api.js';
import { h, show, fmt, link, badge, sortableTable } from '../dom.js';

/** The API's filters, as form fields; the form writes them into the hash, so a filtered list can be linked. */
const filters = [
  { name: 'status', label: 'Status', options: ['', 'active', 'dormant'] },
  { name: 'minScore', label: 'Min score', type: 'number', step: '0.01', min: 0, max: 1 },
  { name: 'minSize', label: 'Min size', type: 'number', min: 0 },
  { name: 'maxSize', label: 'Max size', type: 'number', min: 0 },
  { name: 'kind', label: 'Dominant kind', options: ['', 'co-repost', 'co-reply', 'co-like', 'co-follow', 'co-mention', 'co-link', 'co-hashtag', 'co-text', 'co-fingerprint'] },
  { name: 'review', label: 'Review', options: ['', 'unreviewed', 'confirmed', 'dismissed', 'escalated'] },
  { name: 'label', label: 'Member label', options: ['', 'state-controlled-media', 'government', 'political', 'advertiser'] },
  { name: 'target', label: 'Target contains', type: 'text' },
  { name: 'seenAfter', label: 'Seen after (ISO)', type: 'text', placeholder: '2026-01-05T00:00:00Z' },
  { name: 'seenBefore', label: 'Seen before (ISO)', type: 'text' },
  { name: 'limit', label: 'Limit', type: 'number', min: 1, max: 10000 },
];

export async function networksPage({ query, isCurrent }) {
  const values = Object.fromEntries(filters.map((f) => [f.name, query.get(f.name) ?? '']));
  const fields = filters.map((f) => {
    const input = f.options
      ? h('select', { name: f.name }, f.options.map((o) => h('option', { value: o, selected: o === values[f.name] }, o || 'any')))
      : h('input', { name: f.name, type: f.type, step: f.step, min: f.min, max: f.max, placeholder: f.placeholder, value: values[f.name], size: f.type === 'text' ? 18 : 6 });
    return h('label', {}, f.label, input);
  });
  const form = h('form', {
    class: 'filters card', id: 'filters',
    onsubmit: (e) => {
      e.preventDefault();
      const q = new URLSearchParams();
      for (const [name, value] of new FormData(form)) if (value) q.set(name, value);
      location.hash = `#/networks${q.size ? `?${q}` : ''}`;
    },
  }, fields, h('button', { type: 'submit' }, 'Filter'), h('a', { href: '#/networks' }, 'clear'));

  const networks = await api.networks(values);
  if (!isCurrent()) return;
  const table = sortableTable([
    { title: 'Network', key: 'id', value: (n) => n.id, render: (n) => link.network(n.id) },
    { title: 'Status', key: 'status', value: (n) => n.status },
    { title: 'Size', key: 'size', value: (n) => n.size, num: true },
    { title: 'Score', key: 'score', value: (n) => n.score, render: (n) => fmt.score(n.score), num: true },
    { title: 'Takedown', key: 'takedown', value: (n) => (n.aboveTakedownThreshold ? 1 : 0), render: (n) => (n.aboveTakedownThreshold ? badge('takedown') : '') },
    { title: 'Dominant kind', key: 'kind', value: (n) => n.dominantKind },
    { title: 'Review', key: 'review', value: (n) => n.review, render: (n) => badge(n.review) },
    { title: 'First seen', key: 'firstSeen', value: (n) => n.firstSeen, render: (n) => fmt.time(n.firstSeen) },
    { title: 'Last seen', key: 'lastSeen', value: (n) => n.lastSeen, render: (n) => fmt.time(n.lastSeen) },
    { title: 'Returned from', key: 'recidivism', value: (n) => n.recidivismOf ?? '', render: (n) => (n.recidivismOf ? link.network(n.recidivismOf) : '') },
  ], networks, {
    onRow: (n) => { location.hash = `#/networks/${encodeURIComponent(n.id)}`; },
    rowAttrs: (n) => ({ dataset: { network: n.id } }),
  });
  show(
    h('h1', {}, 'Networks'),
    form,
    h('div', { class: 'card' },
      h('p', { class: 'muted', id: 'network-count' }, `${networks.length} network${networks.length === 1 ? '' : 's'}, highest score first; click a column to sort, a row to open it.`),
      table));
}
