import { api } from '../api.js';
import { h, show, fmt, link, badge } from '../dom.js';

const PAGE = 1000;

export async function takedownsPage({ isCurrent }) {
  // The list is read from the start, page by page, as enforcement systems pull it; shown newest first.
  const entries = [];
  for (let after = 0; ;) {
    const page = await api.takedowns(after, PAGE);
    entries.push(...page.entries);
    if (page.entries.length < PAGE) break;
    after = page.nextCursor;
  }
  if (!isCurrent()) return;
  entries.reverse();
  show(
    h('h1', {}, 'Takedown list'),
    h('p', { class: 'muted', id: 'takedown-count' }, `${entries.length} entries, newest first. Entries are never edited: corrections are reversal entries.`),
    h('div', { class: 'card' }, h('table', { id: 'takedowns' },
      h('thead', {}, h('tr', {}, ['Cursor', 'Kind', 'Account', 'Network', 'Action', 'Score', 'Decided by', 'Listed', 'Reason', 'State'].map((t) => h('th', {}, t)))),
      h('tbody', {}, entries.map((e) => h('tr', { dataset: { network: e.networkId, account: e.account, cursor: String(e.cursor) } },
        h('td', { class: 'num' }, String(e.cursor)),
        h('td', {}, badge(e.kind, e.kind === 'takedown' ? 'takedown' : 'dismissed')),
        h('td', {}, e.account, (e.labels || []).map((l) => badge(l, 'label'))),
        h('td', {}, link.network(e.networkId)),
        h('td', {}, e.action),
        h('td', { class: 'num' }, fmt.score(e.score)),
        h('td', { class: 'decided-by' }, e.decidedBy),
        h('td', {}, fmt.time(e.listedAt)),
        h('td', {}, e.reason ?? ''),
        h('td', {}, e.withheld ? (e.exemptionId ? badge(`withheld (${e.exemptionId})`, 'exempt') : h('span', { title: e.reason ?? '' }, badge('held back by the member layer', 'held'))) : e.acknowledged ? `acknowledged by ${e.acknowledged.by}` : 'open')))))));
}
