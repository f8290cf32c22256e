import { api } from '../api.js';
import { h, show, fmt, link } from '../dom.js';

const day = 24 * 3600 * 1000;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

function counts(title, map, id) {
  const rows = Object.entries(map || {}).sort((a, b) => a[0].localeCompare(b[0]));
  return h('div', {}, h('h2', {}, title), rows.length
    ? h('table', { id }, h('tbody', {}, rows.map(([k, v]) => h('tr', {}, h('td', {}, k), h('td', { class: 'num' }, String(v))))))
    : h('p', { class: 'muted' }, 'None.'));
}

export async function reportPage({ query, isCurrent }) {
  // By default the 30 days up to tomorrow, so that today's actions are in.
  const to = query.get('to') || iso(Math.ceil(Date.now() / day) * day + day);
  const from = query.get('from') || iso(Date.parse(to) - 31 * day);
  const fromInput = h('input', { id: 'report-from', name: 'from', value: from, size: 22 });
  const toInput = h('input', { id: 'report-to', name: 'to', value: to, size: 22 });
  const form = h('form', {
    class: 'card row',
    onsubmit: (e) => { e.preventDefault(); location.hash = `#/report?from=${encodeURIComponent(fromInput.value)}&to=${encodeURIComponent(toInput.value)}`; },
  }, h('label', {}, 'From', fromInput), h('label', {}, 'To', toInput), h('button', { type: 'submit' }, 'Report'));
  const r = await api.report(from, to);
  if (!isCurrent()) return;
  show(
    h('h1', {}, 'Transparency report'), form,
    h('div', { class: 'card' },
      h('p', { id: 'report-headline' }, `From ${fmt.time(r.from)} to ${fmt.time(r.to)} we took action on `,
        h('strong', { id: 'report-networks' }, String(r.networksActioned)), ' networks and ',
        h('strong', { id: 'report-accounts' }, String(r.accountsActioned)), ' accounts for coordinated inauthentic behaviour.'),
      h('p', {}, `Withheld under an exemption: ${r.withheldEntries}. Reversals: ${r.reversals}. Networks that returned after action: ${r.recidivistNetworks}.`)),
    h('div', { class: 'grid' },
      h('div', { class: 'card' }, counts('Accounts by action', r.accountsByAction, 'by-action'), counts('Detected and decided by', r.accountsByDetectionSource, 'by-source')),
      h('div', { class: 'card' }, counts('Actioned accounts by label', r.actionedAccountsByLabel, 'by-label'),
        h('h2', {}, 'Exemptions in force'), r.exemptions.length
          ? h('ul', {}, r.exemptions.map((x) => h('li', {}, `${x.id} (${x.subject}): ${x.reason}; asked by ${x.requester}, approved by ${x.approver}, until ${fmt.time(x.expiresAt)}, ${x.entriesWithheld} withheld`)))
          : h('p', { class: 'muted' }, 'None.'),
        r.reversalReasons.length ? h('div', {}, h('h2', {}, 'Reasons for reversals'), h('ul', {}, r.reversalReasons.map((x) => h('li', {}, x)))) : null)),
    h('div', { class: 'card' }, h('h2', {}, 'Networks'), h('table', { id: 'report-table' },
      h('thead', {}, h('tr', {}, ['Network', 'Size', 'Accounts actioned', 'Main behaviour', 'Score', 'Decided by', 'Review', 'Returned from'].map((t) => h('th', {}, t)))),
      h('tbody', {}, r.networks.map((n) => h('tr', { dataset: { network: n.id } },
        h('td', {}, link.network(n.id)), h('td', { class: 'num' }, String(n.size)), h('td', { class: 'num' }, String(n.accountsActioned)), h('td', {}, n.dominantKind),
        h('td', { class: 'num' }, fmt.score(n.score)), h('td', {}, n.detectionSource), h('td', {}, n.review), h('td', {}, n.recidivismOf ? link.network(n.recidivismOf) : '–')))))));
}
