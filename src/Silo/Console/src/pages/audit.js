import { api } from '../api.js';
import { h, show, fmt } from '../dom.js';

const PAGE = 1000;

export async function auditPage({ isCurrent }) {
  const entries = [];
  for (let after = 0; ;) {
    const page = await api.audit(after, PAGE);
    entries.push(...page);
    if (page.length < PAGE) break;
    after = page.at(-1).seq;
  }
  const verification = await api.verifyAudit();
  if (!isCurrent()) return;
  entries.reverse();
  show(
    h('h1', {}, 'Audit log'),
    h('p', { id: 'audit-verification', class: verification.ok ? 'notice' : 'error' }, verification.ok
      ? `Verified: ${verification.entries} entries, every hash and link checks out, nothing missing at the end.`
      : `NOT verified: entry ${verification.firstBadSeq}: ${verification.problem}`),
    h('div', { class: 'card' }, h('table', { id: 'audit' },
      h('thead', {}, h('tr', {}, ['#', 'When', 'Who', 'Action', 'Subject', 'Details', 'Hash'].map((t) => h('th', {}, t)))),
      h('tbody', {}, entries.map((e) => h('tr', { dataset: { action: e.action, subject: e.subject } },
        h('td', { class: 'num' }, String(e.seq)), h('td', {}, fmt.time(e.at)), h('td', {}, e.actor), h('td', { class: 'audit-action' }, e.action),
        h('td', { class: 'mono' }, e.subject), h('td', { class: 'mono wrap' }, e.details), h('td', { class: 'mono', title: e.hash }, e.hash.slice(0, 12))))))));
}
