import { api, session } from '../api.js';
import { h, show, fmt, link, badge, errorBox, sortableTable } from '../dom.js';
import { drawGraph, dominantKind, edgeId, KIND_COLOURS } from '../graph.js';
import { drawTimeline } from '../timeline.js';

/** Handles for tests and for people at the browser's console: the graph and the timeline chart on screen. */
window.cib = window.cib || {};

export async function networkPage({ params: [id], isCurrent }) {
  const n = await api.network(id);
  if (!isCurrent()) return;
  const s = n.summary;
  const marks = new Map((n.marks || []).map((m) => [m.account, m]));
  const evidencePanel = h('div', { id: 'evidence' }, h('p', { class: 'muted' }, 'Click an edge of the graph (or a row of the edge table) to see the evidence behind it; click a member to see its marks.'));
  const graphBox = h('div', { id: 'graph', role: 'img', 'aria-label': `graph of ${n.members.length} members and ${n.topEdges.length} edges` });
  const timelineCanvas = h('canvas', { id: 'timeline-chart' });
  const timelineNote = h('p', { class: 'muted', id: 'timeline-note' }, 'Loading the timeline…');

  let graph = null;
  let edgeRows = null;
  const selectEdge = (edge) => {
    graph?.select(edge);
    edgeRows?.querySelectorAll('tr').forEach((tr) => tr.classList.toggle('selected', tr.dataset.edge === edgeId(edge)));
    evidencePanel.replaceChildren(...edgeEvidence(edge, n.evidenceTexts || {}));
  };
  const selectNode = (account) => evidencePanel.replaceChildren(...memberCard(account, marks.get(account), n));

  edgeRows = sortableTable([
    { title: 'A', value: (e) => e.a },
    { title: 'B', value: (e) => e.b },
    { title: 'Kind', value: (e) => dominantKind(e) },
    { title: 'Support', value: (e) => e.support, num: true },
    { title: 'Weight', value: (e) => e.weight, render: (e) => fmt.num(e.weight), num: true },
    { title: 'Jaccard', value: (e) => e.jaccard, render: (e) => fmt.num(e.jaccard, 3), num: true },
    { title: 'Mean gap', value: (e) => e.meanGapSeconds, render: (e) => fmt.seconds(e.meanGapSeconds), num: true },
  ], n.topEdges, { onRow: selectEdge, rowAttrs: (e) => ({ dataset: { edge: edgeId(e) } }) });

  show(
    h('h1', {}, 'Network ', h('span', { class: 'mono', id: 'network-id' }, s.id), ' ',
      badge(s.status, 'status'), s.aboveTakedownThreshold ? badge('takedown') : null, h('span', { id: 'review-status' }, badge(s.review)),
      s.recidivismOf ? h('span', { class: 'badge escalated' }, 'returned from ', link.network(s.recidivismOf)) : null),
    h('div', { class: 'card' }, h('dl', { class: 'kv' },
      h('dt', {}, 'Score'), h('dd', { id: 'score' }, fmt.score(s.score), ' ', h('span', { class: 'muted' }, `(model ${s.modelVersion})`)),
      h('dt', {}, 'Members'), h('dd', { id: 'member-count' }, String(n.members.length)),
      h('dt', {}, 'Edges'), h('dd', {}, `${n.edgeCount} (the ${n.topEdges.length} heaviest drawn, with sampled evidence)`),
      h('dt', {}, 'Dominant kind'), h('dd', {}, s.dominantKind),
      h('dt', {}, 'Seen'), h('dd', {}, `${fmt.time(s.firstSeen)} – ${fmt.time(s.lastSeen)}`),
      h('dt', {}, 'Explanation'), h('dd', { id: 'explanation-summary' }, n.explanation.summary))),
    h('div', { class: 'grid' },
      h('div', { class: 'card' }, h('h2', {}, 'Members and co-activity'), graphBox, legend(n),
        h('details', {}, h('summary', {}, 'Edge table'), edgeRows)),
      h('div', { class: 'card' }, h('h2', {}, 'Evidence'), evidencePanel)),
    h('div', { class: 'card' }, h('h2', {}, 'Timeline'), timelineNote, h('div', { class: 'timeline-box', id: 'timeline-box' }, timelineCanvas)),
    h('div', { class: 'grid' },
      h('div', { class: 'card', id: 'features' }, h('h2', {}, 'Score explanation'), explanation(n)),
      h('div', { class: 'card' }, h('h2', {}, 'Dense core'), core(n), h('h2', { style: { marginTop: '1rem' } }, 'Members'), members(n, marks))),
    reviewCard(n),
  );

  graph = drawGraph(graphBox, n, { onEdge: selectEdge, onNode: selectNode });
  window.cib.graph = graph.cy;

  try {
    const timeline = await api.timeline(s.id);
    if (!isCurrent()) return;
    const box = document.getElementById('timeline-box');
    box.style.height = `${Math.min(900, Math.max(280, 40 + 14 * timeline.members.length))}px`;
    window.cib.timeline = drawTimeline(timelineCanvas, timeline);
    const onEvidence = timeline.points.filter((p) => p.onEvidence).length;
    timelineNote.replaceChildren(`${timeline.points.length} actions of ${timeline.members.length} members, ${onEvidence} on the network's evidence targets (red)` +
      `${timeline.truncated ? '; truncated: the oldest actions only' : ''}. Columns of red points are actions taken together.`);
    timelineNote.dataset.points = String(timeline.points.length);
  } catch (error) {
    timelineNote.replaceChildren(errorBox(error));
  }
}

function legend(n) {
  const kinds = [...new Set(n.topEdges.map(dominantKind))].sort();
  return h('div', { class: 'legend', id: 'legend' },
    kinds.map((k) => h('span', { style: { '--swatch': KIND_COLOURS[k] ?? '#888' } }, k)),
    h('span', { style: { '--swatch': 'transparent' } }, 'thickness: weight · ⚑ labelled (purple ring) · ⊘ exempted (orange diamond) · dark: dense core'));
}

function edgeEvidence(edge, texts) {
  const kinds = Object.entries(edge.supportByKind || {}).map(([k, v]) => `${k} ${v}`).join(', ');
  return [
    h('p', { id: 'evidence-pair' }, link.account(edge.a), ' and ', link.account(edge.b)),
    h('dl', { class: 'kv' },
      h('dt', {}, 'Support'), h('dd', { id: 'evidence-support' }, `${edge.support} occasions (${kinds})`),
      h('dt', {}, 'Weight'), h('dd', {}, fmt.num(edge.weight)),
      h('dt', {}, 'Jaccard'), h('dd', {}, fmt.num(edge.jaccard, 3)),
      h('dt', {}, 'Mean gap'), h('dd', {}, fmt.seconds(edge.meanGapSeconds))),
    h('h2', { style: { marginTop: '.8rem' } }, `Sampled evidence (${edge.evidence.length})`),
    h('table', { id: 'evidence-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Kind'), h('th', {}, 'Target'), h('th', {}, `${edge.a} at`), h('th', {}, `${edge.b} at`), h('th', { class: 'num' }, 'Gap'))),
      h('tbody', {}, edge.evidence.map((x) => h('tr', {},
        h('td', {}, x.kind),
        h('td', { class: 'wrap' }, h('span', { class: 'mono evidence-target' }, x.targetKey),
          texts[x.targetKey] !== undefined ? h('div', { class: 'evidence-text' }, texts[x.targetKey]) : null),
        h('td', { class: 'evidence-time' }, fmt.instant(x.timeA)),
        h('td', { class: 'evidence-time' }, fmt.instant(x.timeB)),
        h('td', { class: 'num' }, fmt.seconds(Math.abs(Date.parse(x.timeA) - Date.parse(x.timeB)) / 1000)))))),
  ];
}

function memberCard(account, mark, n) {
  const edges = n.topEdges.filter((e) => e.a === account || e.b === account).length;
  return [
    h('p', { id: 'member-selected' }, link.account(account), ` — ${edges} of the drawn edges`),
    marksOf(mark),
  ];
}

function marksOf(mark) {
  if (!mark || (mark.labels.length === 0 && mark.exemptions.length === 0)) return h('p', { class: 'muted' }, 'No labels, no exemptions.');
  return h('div', {},
    mark.labels.map((l) => badge(l, 'label')),
    mark.exemptions.map((x) => h('p', { class: 'badge exempt' }, `exempted (${x.id}): ${x.reason}; asked by ${x.requester}, approved by ${x.approver}, until ${fmt.time(x.expiresAt)}`)));
}

function explanation(n) {
  const top = n.explanation.topFeatures;
  const maxShare = Math.max(...top.map((f) => f.share), 1e-9);
  return h('div', {},
    h('p', {}, n.explanation.summary),
    h('p', { class: 'muted' }, `Anomaly score before any supervised layer: ${fmt.score(n.explanation.unsupervisedScore)}` +
      (n.explanation.supervisedProbability != null ? `; supervised probability of confirmation: ${fmt.score(n.explanation.supervisedProbability)}` : '')),
    h('table', { id: 'top-features' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Feature'), h('th', { class: 'num' }, 'Value'), h('th', { class: 'num' }, 'Typical'), h('th', {}, 'Share of the anomaly'))),
      h('tbody', {}, top.map((f) => h('tr', {},
        h('td', {}, f.name), h('td', { class: 'num' }, fmt.num(f.value, 3)), h('td', { class: 'num' }, fmt.num(f.referenceMedian, 3)),
        h('td', {}, h('div', { class: 'bar', style: { width: `${(100 * f.share) / maxShare}%` }, title: `${(100 * f.share).toFixed(1)}%` })))))),
    h('details', {}, h('summary', {}, `All ${Object.keys(n.features).length} features`),
      h('table', { id: 'all-features' }, h('tbody', {}, Object.entries(n.features).map(([k, v]) => h('tr', {}, h('td', {}, k), h('td', { class: 'num' }, fmt.num(v, 3))))))));
}

function core(n) {
  if (!n.core) return h('p', { class: 'muted' }, 'No dense core computed.');
  return h('div', { id: 'core' },
    h('p', {}, `${n.core.members?.length ?? 0} members and ${n.core.targets?.length ?? 0} targets at the network's heart (FRAUDAR).`),
    h('details', {}, h('summary', {}, 'Core targets'), h('ul', {}, (n.core.targets || []).map((t) => h('li', { class: 'mono wrap' }, t)))));
}

function members(n, marks) {
  const scores = n.memberScores;
  // Once reviewers' decisions have trained a member layer, members are ranked by its probability, and those below
  // its threshold are marked: the model leaves them to a reviewer instead of listing them.
  const ranked = scores ? [...n.members].sort((a, b) => (scores[b] ?? -1) - (scores[a] ?? -1) || a.localeCompare(b)) : n.members;
  const note = scores
    ? h('p', { class: 'muted', id: 'member-layer-note' },
      `Ranked by the member layer trained on reviewers' decisions; below ${n.memberThreshold.toFixed(2)} a member is held back from the model's takedown list.`)
    : null;
  return h('div', { id: 'members' }, note, ranked.map((m) => {
    const mark = marks.get(m);
    const p = scores?.[m];
    const held = p !== undefined && p < n.memberThreshold;
    return h('span', { class: 'member', 'data-account': m, 'data-score': p ?? '', style: { marginRight: '.6rem', display: 'inline-block' } }, link.account(m),
      p !== undefined ? h('span', { class: held ? 'muted member-score held' : 'member-score', title: held ? 'held back by the member layer' : 'probability of inauthentic' }, ` ${p.toFixed(2)}`) : null,
      held ? badge('held back', 'held') : null,
      mark?.labels?.map((l) => badge(l, 'label')), mark?.exemptions?.length ? badge('exempted', 'exempt') : null);
  }));
}

function reviewCard(n) {
  const history = h('div', { id: 'decisions' }, (n.decisions || []).length === 0
    ? h('p', { class: 'muted' }, 'No decision yet.')
    : h('table', {}, h('tbody', {}, n.decisions.map((d) => h('tr', {},
      h('td', {}, fmt.time(d.at)), h('td', {}, badge(d.decision)), h('td', {}, d.reviewer), h('td', {}, d.action), h('td', {}, d.reason),
      h('td', {}, d.exclude?.length ? `excluding ${d.exclude.join(', ')}` : ''))))));
  if (!session.has('reviewer')) {
    return h('div', { class: 'card' }, h('h2', {}, 'Review'), history, h('p', { class: 'muted', id: 'review-hidden' }, 'Decisions are made by keys with the reviewer role.'));
  }
  const status = h('div', { id: 'review-result' });
  const decision = h('select', { name: 'decision', id: 'decision' }, ['confirm', 'dismiss', 'escalate'].map((d) => h('option', { value: d }, d)));
  const action = h('select', { name: 'action', id: 'action' }, ['remove', 'restrict', 'label'].map((a) => h('option', { value: a }, a)));
  const reason = h('textarea', { name: 'reason', id: 'reason', rows: 2, cols: 50, required: true, placeholder: 'why (required, audited)' });
  const exclude = h('input', { name: 'exclude', id: 'exclude', size: 40, placeholder: 'members not to action, comma separated' });
  const note = h('input', { name: 'note', id: 'note', size: 40, placeholder: 'note for other reviewers' });
  const list = (s) => s.split(/[\s,]+/).filter(Boolean);
  const form = h('form', {
    class: 'stack', id: 'review-form',
    onsubmit: async (e) => {
      e.preventDefault();
      status.replaceChildren();
      try {
        const updated = await api.decide(n.summary.id, {
          decision: decision.value, reason: reason.value, action: decision.value === 'confirm' ? action.value : undefined,
          exclude: list(exclude.value), note: note.value || undefined,
        });
        status.replaceChildren(h('p', { class: 'notice' }, `Recorded: ${updated.summary.review}.`));
        document.getElementById('review-status')?.replaceChildren(badge(updated.summary.review));
        history.replaceChildren(h('p', {}, `${updated.decisions.length} decision(s); latest: ${updated.decisions.at(-1).decision} by ${updated.decisions.at(-1).reviewer}`));
      } catch (error) {
        status.replaceChildren(errorBox(error));
      }
    },
  },
  h('div', { class: 'row' }, h('label', {}, 'Decision', decision), h('label', {}, 'Action (confirm)', action), h('label', {}, 'Exclude', exclude)),
  h('label', {}, 'Reason', reason),
  h('label', {}, 'Note', note),
  h('div', {}, h('button', { type: 'submit', id: 'submit-review' }, 'Record decision')),
  status);
  return h('div', { class: 'card' }, h('h2', {}, 'Review'), history, form);
}
