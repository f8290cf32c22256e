// Every action of a network's members over time, one row per member: synchrony shows as columns of points.
import { Chart, ScatterController, PointElement, LinearScale, Tooltip, Legend } from 'chart.js';

Chart.register(ScatterController, PointElement, LinearScale, Tooltip, Legend);

const hhmm = (ms) => new Date(ms).toISOString().slice(5, 16).replace('T', ' ');

export function drawTimeline(canvas, timeline) {
  // Members in order of their first action, so that a campaign's staggered start reads as a slope.
  const first = new Map();
  for (const p of timeline.points) {
    const t = Date.parse(p.time);
    if (!first.has(p.account) || t < first.get(p.account)) first.set(p.account, t);
  }
  const members = [...timeline.members].sort((a, b) => (first.get(a) ?? Infinity) - (first.get(b) ?? Infinity) || a.localeCompare(b));
  const row = new Map(members.map((m, i) => [m, i]));
  const point = (p) => ({ x: Date.parse(p.time), y: row.get(p.account), p });
  const onEvidence = timeline.points.filter((p) => p.onEvidence).map(point);
  const other = timeline.points.filter((p) => !p.onEvidence).map(point);
  return new Chart(canvas, {
    type: 'scatter',
    data: {
      datasets: [
        { label: `on the network's evidence targets (${onEvidence.length})`, data: onEvidence, backgroundColor: 'rgba(196, 35, 35, 0.75)', pointRadius: 2.6, pointHoverRadius: 5 },
        { label: `other actions (${other.length})`, data: other, backgroundColor: 'rgba(110, 120, 140, 0.35)', pointRadius: 1.8, pointHoverRadius: 4 },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      parsing: false,
      scales: {
        x: { type: 'linear', title: { display: true, text: 'time (UTC)' }, ticks: { callback: (v) => hhmm(v), maxRotation: 0, autoSkipPadding: 20 } },
        y: {
          type: 'linear', reverse: true, min: -0.5, max: members.length - 0.5,
          // One tick per member (the axis would otherwise put its ticks between the rows).
          afterBuildTicks: (axis) => { axis.ticks = members.map((_, i) => ({ value: i })); },
          ticks: { autoSkip: members.length > 60, font: { size: 9 }, callback: (v) => members[v] ?? '' },
          title: { display: true, text: 'member' },
        },
      },
      plugins: {
        legend: { position: 'top' },
        tooltip: {
          callbacks: {
            label: (ctx) => {
              const { p } = ctx.raw;
              return `${p.account} ${p.kind} ${p.target} at ${new Date(p.time).toISOString()}`;
            },
          },
        },
      },
    },
  });
}
