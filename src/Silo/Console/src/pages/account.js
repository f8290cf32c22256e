import { api } from '../api.js';
import { h, show, fmt, link, badge, errorBox } from '../dom.js';

const SIGNAL_KINDS = ['post', 'repost', 'reply', 'like', 'follow', 'mention', 'link', 'hashtag'];

function searchForm(value) {
  const input = h('input', { id: 'account-query', name: 'account', value: value ?? '', placeholder: 'account id', size: 30, required: true });
  return h('form', {
    class: 'card row',
    onsubmit: (e) => { e.preventDefault(); location.hash = `#/accounts/${encodeURIComponent(input.value.trim())}`; },
  }, h('label', {}, 'Account', input), h('button', { type: 'submit' }, 'Open'));
}

export async function accountPage({ params: [id], isCurrent }) {
  if (!id) {
    show(h('h1', {}, 'Accounts'), searchForm(), h('p', { class: 'muted' }, 'Open an account by id, or click one in a network.'));
    return;
  }
  let view;
  try {
    view = await api.account(id);
  } catch (error) {
    if (!isCurrent()) return;
    show(h('h1', {}, 'Account ', h('span', { class: 'mono' }, id)), searchForm(id), errorBox(error));
    return;
  }
  const history = await api.history(id);
  if (!isCurrent()) return;
  const f = view.features;
  show(
    h('h1', {}, 'Account ', h('span', { class: 'mono', id: 'account-id' }, f.account), ' ', (view.labels || []).map((l) => badge(l, 'label'))),
    searchForm(id),
    h('div', { class: 'grid' },
      h('div', { class: 'card' }, h('h2', {}, 'Behaviour'), h('dl', { class: 'kv', id: 'account-features' },
        h('dt', {}, 'Network'), h('dd', { id: 'account-network' }, view.networkId ? link.network(view.networkId) : 'none'),
        h('dt', {}, 'Actions'), h('dd', { id: 'account-actions' }, String(f.actions)),
        h('dt', {}, 'Co-activity actions'), h('dd', {}, String(f.coActivityActions)),
        h('dt', {}, 'By kind'), h('dd', {}, SIGNAL_KINDS.map((k, i) => (f.actionsByKind[i] ? `${k} ${f.actionsByKind[i]}` : null)).filter(Boolean).join(', ')),
        h('dt', {}, 'Burstiness'), h('dd', {}, fmt.num(f.burstiness, 3)),
        h('dt', {}, 'First seen'), h('dd', {}, fmt.time(f.firstSeen)),
        h('dt', {}, 'Last seen'), h('dd', {}, fmt.time(f.lastSeen)),
        h('dt', {}, 'Created'), h('dd', {}, f.createdAt ? `${fmt.time(f.createdAt)} (${fmt.num(f.ageDays, 1)} days old at its last action)` : 'unknown'),
        h('dt', {}, 'Handle'), h('dd', {}, f.handle ?? '–'),
        h('dt', {}, 'Display name'), h('dd', {}, f.displayName ?? '–'))),
      h('div', { class: 'card' }, h('h2', {}, 'Labels and exemptions'),
        (view.labels || []).length ? h('p', {}, view.labels.map((l) => badge(l, 'label'))) : h('p', { class: 'muted' }, 'No labels.'),
        (view.exemptions || []).length
          ? h('ul', { id: 'account-exemptions' }, view.exemptions.map((x) => h('li', {}, `${x.id}: ${x.reason} (asked by ${x.requester}, approved by ${x.approver}, until ${fmt.time(x.expiresAt)})`)))
          : h('p', { class: 'muted' }, 'No exemptions.'))),
    h('div', { class: 'card' }, h('h2', {}, `History (${history.length}${history.length >= 500 ? ', oldest first, the first 500' : ''})`),
      h('table', { id: 'history' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Time'), h('th', {}, 'Kind'), h('th', {}, 'Target'), h('th', {}, 'Text'))),
        h('tbody', {}, history.map((s) => h('tr', {},
          h('td', {}, fmt.time(s.timestamp)), h('td', {}, s.kind), h('td', { class: 'mono wrap' }, s.target), h('td', {}, s.text ?? '')))))));
}
