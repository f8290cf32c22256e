// Builds DOM nodes. Text always goes in as text nodes, never as HTML: signal texts, targets and
// account names come from the platform's users and may contain markup.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name === 'style' && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k.startsWith('--')) el.style.setProperty(k, v); else el.style[k] = v;
      }
    }
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the content of <main> with the given nodes. */
export function show(...children) {
  const main = document.getElementById('main');
  main.replaceChildren();
  append(main, children);
  return main;
}

export function errorBox(error) {
  const status = error?.status ? `${error.status} ${error.title ?? ''}: ` : '';
  return h('p', { class: 'error', role: 'alert' }, status + (error?.message ?? String(error)));
}

export const fmt = {
  score: (x) => (typeof x === 'number' ? x.toFixed(3) : '–'),
  num: (x, digits = 2) => (typeof x === 'number' ? (Number.isInteger(x) ? x.toLocaleString('en') : x.toFixed(digits)) : '–'),
  time: (t) => (t ? new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace(/:00Z$/, 'Z') : '–'),
  /** To the millisecond, for evidence: how close two actions were is the point. */
  instant: (t) => (t ? new Date(t).toISOString().replace('T', ' ') : '–'),
  seconds: (s) => (typeof s === 'number' ? `${s.toFixed(s < 10 ? 1 : 0)} s` : '–'),
};

export const link = {
  network: (id) => h('a', { href: `#/networks/${encodeURIComponent(id)}`, class: 'mono' }, id),
  account: (id) => h('a', { href: `#/accounts/${encodeURIComponent(id)}`, class: 'mono' }, id),
};

export function badge(text, kind) {
  return h('span', { class: `badge ${kind ?? text}` }, text);
}

/**
 * A table whose columns sort on click. columns: [{ title, value(row), render?(row), num? }].
 * Sorting is client-side over the rows the API returned, so it never changes what was asked for.
 */
export function sortableTable(columns, rows, { onRow, rowAttrs, initial } = {}) {
  let sort = initial ?? null;
  const tbody = h('tbody');
  const heads = columns.map((c, i) => h('th', {
    class: `sortable${c.num ? ' num' : ''}`,
    dataset: { column: c.key ?? String(i) },
    onclick: () => {
      sort = { index: i, dir: sort?.index === i && sort.dir === 'desc' ? 'asc' : sort?.index === i ? 'desc' : (c.num ? 'desc' : 'asc') };
      draw();
    },
  }, c.title));
  function draw() {
    const sorted = [...rows];
    if (sort) {
      const { value } = columns[sort.index];
      const sign = sort.dir === 'asc' ? 1 : -1;
      sorted.sort((a, b) => {
        const x = value(a); const y = value(b);
        return (x < y ? -1 : x > y ? 1 : 0) * sign;
      });
    }
    heads.forEach((th, i) => {
      th.classList.toggle('sorted-asc', sort?.index === i && sort.dir === 'asc');
      th.classList.toggle('sorted-desc', sort?.index === i && sort.dir === 'desc');
    });
    tbody.replaceChildren(...sorted.map((row) => h('tr', {
      class: onRow ? 'clickable' : undefined,
      onclick: onRow ? (e) => { if (!(e.target instanceof HTMLAnchorElement)) onRow(row); } : undefined,
      ...(rowAttrs ? rowAttrs(row) : {}),
    }, columns.map((c) => h('td', { class: c.num ? 'num' : undefined }, c.render ? c.render(row) : c.value(row))))));
  }
  draw();
  return h('table', {}, h('thead', {}, h('tr', {}, heads)), tbody);
}
