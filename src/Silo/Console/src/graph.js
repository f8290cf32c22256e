// The network's members and heaviest edges as an interactive graph (cytoscape.js).
import cytoscape from 'cytoscape';

/** One colour per co-activity kind, so the kind of an edge reads at a glance. */
export const KIND_COLOURS = {
  'co-repost': '#2d5bd7',
  'co-like': '#0f9bb0',
  'co-reply': '#7a3fd1',
  'co-link': '#d9480f',
  'co-hashtag': '#c2255c',
  'co-text': '#2b8a3e',
  'co-fingerprint': '#5c940d',
  'co-follow': '#e8a400',
  'co-mention': '#845ef7',
};

/** The kind with the most occasions on an edge. */
export function dominantKind(edge) {
  return Object.entries(edge.supportByKind || {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? 'unknown';
}

export function edgeId(edge) {
  return `${edge.a}\u2192${edge.b}`;
}

/**
 * Draws the graph into container. marks: account → {labels, exemptions}; core: accounts of the dense core.
 * onEdge(edge) and onNode(account) are called on clicks (taps).
 */
export function drawGraph(container, snapshot, { onEdge, onNode }) {
  const marks = new Map((snapshot.marks || []).map((m) => [m.account, m]));
  const core = new Set(snapshot.core?.members || []);
  const weights = snapshot.topEdges.map((e) => e.weight);
  const wMin = Math.min(...weights); const wMax = Math.max(...weights);
  const width = (w) => (wMax > wMin ? 1.5 + (8.5 * (w - wMin)) / (wMax - wMin) : 4);
  const elements = [
    ...snapshot.members.map((m) => {
      const mark = marks.get(m);
      const labelled = mark?.labels?.length > 0;
      const exempt = mark?.exemptions?.length > 0;
      const flags = [labelled ? '⚑' : '', exempt ? '⊘' : ''].join('');
      return {
        data: { id: m, text: flags ? `${m} ${flags}` : m },
        classes: [labelled ? 'labelled' : '', exempt ? 'exempt' : '', core.has(m) ? 'core' : ''].filter(Boolean).join(' '),
      };
    }),
    ...snapshot.topEdges.map((e) => ({
      data: { id: edgeId(e), source: e.a, target: e.b, colour: KIND_COLOURS[dominantKind(e)] ?? '#888', width: width(e.weight) },
    })),
  ];
  const cy = cytoscape({
    container,
    elements,
    wheelSensitivity: 0.3,
    minZoom: 0.1,
    maxZoom: 3,
    style: [
      { selector: 'node', style: { 'background-color': '#9aa5bd', label: 'data(text)', 'font-size': 13, color: '#1d2330', 'text-valign': 'bottom', 'text-margin-y': 3, width: 20, height: 20, 'border-width': 1, 'border-color': '#fff' } },
      { selector: 'node.core', style: { 'background-color': '#3b4a6b' } },
      { selector: 'node.labelled', style: { 'border-width': 4, 'border-color': '#7b4ce0' } },
      { selector: 'node.exempt', style: { 'border-width': 4, 'border-color': '#e08a00', 'border-style': 'dashed', shape: 'diamond' } },
      { selector: 'edge', style: { 'line-color': 'data(colour)', width: 'data(width)', opacity: 0.75, 'curve-style': 'haystack' } },
      { selector: 'edge:selected', style: { opacity: 1, 'line-color': '#111', 'z-index': 10 } },
      { selector: 'node:selected', style: { 'background-color': '#111' } },
    ],
    // A small network reads best on a circle; a larger one is laid out by force so that its communities show.
    layout: snapshot.members.length <= 12
      ? { name: 'circle', animate: false, padding: 40 }
      : { name: 'cose', animate: false, randomize: true, nodeRepulsion: () => 120000, nodeOverlap: 30, idealEdgeLength: () => 70, gravity: 0.4, numIter: 2000, padding: 20 },
  });
  // Fitting a few nodes would blow them up: keep them at a readable size.
  if (cy.zoom() > 1.6) {
    cy.zoom(1.6);
    cy.center();
  }
  const byId = new Map(snapshot.topEdges.map((e) => [edgeId(e), e]));
  cy.on('tap', 'edge', (evt) => onEdge(byId.get(evt.target.id())));
  cy.on('tap', 'node', (evt) => onNode(evt.target.id()));
  return {
    cy,
    select(edge) {
      cy.elements().unselect();
      cy.getElementById(edgeId(edge)).select();
    },
  };
}
