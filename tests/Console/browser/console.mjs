// Drives the Cib console in headless Chromium for the xunit tests in tests/Console.
//   node console.mjs SCENARIO
// Environment: CIB_URL (the silo), CIB_KEY (the key to log in with), CIB_CHROMIUM (the browser),
// CIB_SHOTS (folder for screenshots), CIB_ARGS (JSON: the scenario's arguments).
// Prints one line "RESULT {json}" with what it saw; the C# test asserts on it. Any step that cannot be
// done (an element that never appears, an error on the page) ends it with exit code 1 and the reason.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const scenario = process.argv[2];
const base = new URL('console/', process.env.CIB_URL).href;
const key = process.env.CIB_KEY;
const args = JSON.parse(process.env.CIB_ARGS || '{}');
const shots = process.env.CIB_SHOTS;
if (shots) mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({ executablePath: process.env.CIB_CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 });
page.setDefaultTimeout(30_000);
const problems = [];
page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
const requests = [];
page.on('request', (r) => requests.push(r.url()));

async function shot(name, target) {
  if (!shots) return;
  await (target ?? page).screenshot({ path: join(shots, `${name}.png`), ...(target ? {} : { fullPage: false }) });
}

async function login(withKey = key) {
  await page.goto(base);
  await page.locator('#key').fill(withKey);
  await page.locator('#login').click();
}

const text = (selector) => page.locator(selector).innerText();
const navLinks = () => page.locator('#nav a').allInnerTexts();

/** Clicks an edge of the graph where no node and no other edge is near, as a person would, and returns it. */
async function clickAnEdge() {
  await page.locator('#graph').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => window.cib?.graph?.edges().length > 0);
  const target = await page.evaluate(() => {
    const cy = window.cib.graph;
    const d = (p, q) => Math.hypot(p.x - q.x, p.y - q.y);
    const toSegment = (p, a, b) => {
      const l2 = (b.x - a.x) ** 2 + (b.y - a.y) ** 2;
      const t = l2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * (b.x - a.x) + (p.y - a.y) * (b.y - a.y)) / l2));
      return d(p, { x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) });
    };
    const nodes = cy.nodes().map((n) => n.renderedPosition());
    const edges = cy.edges().map((e) => ({ id: e.id(), a: e.source().id(), b: e.target().id(), s: e.source().renderedPosition(), t: e.target().renderedPosition() }));
    let best = null;
    for (const e of edges) {
      const m = { x: (e.s.x + e.t.x) / 2, y: (e.s.y + e.t.y) / 2 };
      const clearance = Math.min(...nodes.map((n) => d(m, n)), ...edges.filter((o) => o.id !== e.id).map((o) => 2 * toSegment(m, o.s, o.t)));
      if (!best || clearance > best.clearance) best = { ...e, m, clearance };
    }
    const box = cy.container().getBoundingClientRect();
    return { a: best.a, b: best.b, x: box.left + best.m.x, y: box.top + best.m.y, clearance: best.clearance };
  });
  await page.mouse.click(target.x, target.y);
  await page.locator('#evidence-pair').waitFor();
  return target;
}

async function evidenceRows() {
  return page.locator('#evidence-table tbody tr').evaluateAll((rows) => rows.map((r) => ({
    kind: r.cells[0].innerText,
    target: r.querySelector('.evidence-target')?.innerText,
    text: r.querySelector('.evidence-text')?.innerText ?? null,
    timeA: r.cells[2].innerText,
    timeB: r.cells[3].innerText,
  })));
}

async function openNetworkFromList(id) {
  await page.locator('#network-count').waitFor();
  await page.locator(`tr[data-network="${id}"]`).click();
  await page.locator('#network-id').waitFor();
  await page.waitForFunction(() => window.cib?.graph?.nodes().length > 0);
}

/** Opens a page from the menu, types into its search field, presses Enter and waits for the answer. */
async function search(nav, field, value, answer) {
  await page.locator(`a[data-nav="${nav}"]`).click();
  await page.locator(field).fill(value);
  await page.locator(field).press('Enter');
  await page.locator(answer).waitFor();
}

const scenarios = {
  /** A reviewer logs in, lists networks, opens one, clicks an edge, reads its evidence and timeline, and confirms it. */
  async review() {
    await login();
    await page.locator('#network-count').waitFor();
    const listed = await page.locator('tbody tr[data-network]').count();
    const nav = await navLinks();
    const who = await text('#who-roles');
    // Sorting by size, twice: the first row is then the smallest network.
    await page.locator('th[data-column="size"]').click();
    await page.locator('th[data-column="size"]').click();
    const smallestFirst = await page.locator('tbody tr[data-network] td:nth-child(3)').allInnerTexts();
    await page.locator('th[data-column="score"]').click();
    await shot('networks');
    await openNetworkFromList(args.network);
    const graph = await page.evaluate(() => ({
      nodes: window.cib.graph.nodes().length,
      edges: window.cib.graph.edges().length,
      labelled: window.cib.graph.nodes('.labelled').map((n) => n.id()),
      exempt: window.cib.graph.nodes('.exempt').map((n) => n.id()),
      colours: [...new Set(window.cib.graph.edges().map((e) => e.data('colour')))],
      widths: window.cib.graph.edges().map((e) => e.data('width')),
    }));
    const legend = await text('#legend');
    const clicked = await clickAnEdge();
    const pair = await text('#evidence-pair');
    const evidence = await evidenceRows();
    await page.locator('#timeline-note[data-points]').waitFor();
    const timelineNote = await page.locator('#timeline-note').getAttribute('data-points');
    const plotted = await page.evaluate(() => window.cib.timeline.data.datasets.reduce((n, d) => n + d.data.length, 0));
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot('network');
    if (shots) await shot('timeline', page.locator('#timeline-box').locator('xpath=..'));
    const topFeatures = await page.locator('#top-features tbody tr').count();
    await page.locator('a[data-nav="networks"]').click();
    await openNetworkFromList(args.confirm);
    await page.locator('#decision').selectOption('confirm');
    await page.locator('#action').selectOption('restrict');
    await page.locator('#reason').fill('synchronised reposting seen in the console');
    await page.locator('#submit-review').click();
    await page.locator('#review-result .notice').waitFor();
    const result = await text('#review-result');
    const status = await text('#review-status');
    return { listed, nav, who, smallestFirst, graph, legend, clicked, pair, evidence, timelinePoints: Number(timelineNote), plotted, topFeatures, result, status };
  },

  /** The takedown list as an enforcement or admin key sees it. */
  async takedowns() {
    await login();
    await page.locator('a[data-nav="takedowns"]').click();
    await page.locator('#takedown-count').waitFor();
    const rows = await page.locator('#takedowns tbody tr').evaluateAll((trs) => trs.map((r) => ({
      network: r.dataset.network, account: r.dataset.account, cursor: Number(r.dataset.cursor), decidedBy: r.querySelector('.decided-by').innerText,
    })));
    return { nav: await navLinks(), rows };
  },

  async account() {
    await login();
    await search('accounts', '#account-query', args.account, '#account-id');
    await shot('account');
    const historyRows = await page.locator('#history tbody tr').count();
    const actions = await text('#account-actions');
    await page.locator('#account-network a').click();
    await page.locator('#network-id').waitFor();
    return { actions, historyRows, network: await text('#network-id') };
  },

  async targets() {
    await login();
    await search('targets', '#target-query', args.query, '#target-count');
    const networks = await page.locator('#target-results tr[data-network]').evaluateAll((trs) => trs.map((r) => r.dataset.network));
    await shot('targets');
    return { count: await text('#target-count'), networks };
  },

  async report() {
    await login();
    await page.locator('a[data-nav="report"]').click();
    await page.locator('#report-headline').waitFor();
    await shot('report');
    return {
      networks: Number(await text('#report-networks')),
      accounts: Number(await text('#report-accounts')),
      rows: await page.locator('#report-table tr[data-network]').evaluateAll((trs) => trs.map((r) => r.dataset.network)),
    };
  },

  /** Admins see the audit log; other keys get no link and a refusal when they open it by address. */
  async audit() {
    await login();
    await page.locator('#who-roles').waitFor();
    const nav = await navLinks();
    await page.goto(`${base}#/audit`);
    await page.locator('#audit-verification, #forbidden').first().waitFor();
    const forbidden = await page.locator('#forbidden').count() > 0;
    const actions = forbidden ? [] : await page.locator('#audit .audit-action').allInnerTexts();
    if (!forbidden) await shot('audit');
    return { nav, forbidden, verification: forbidden ? null : await text('#audit-verification'), actions };
  },

  /** A reader without the reviewer role sees a network but no review form. */
  async readonly() {
    await login();
    await openNetworkFromList(args.network);
    return { reviewForm: await page.locator('#review-form').count(), hiddenNote: await page.locator('#review-hidden').count() };
  },

  async badKey() {
    await login(args.key);
    await page.locator('.error').waitFor();
    return { error: await text('.error'), stored: await page.evaluate(() => sessionStorage.getItem('cib.key')) };
  },

  /** A network's members as ranked by the member layer, with their probabilities and held-back marks. */
  async members() {
    await login();
    await openNetworkFromList(args.network);
    await page.locator('#member-layer-note').waitFor();
    await shot('members');
    const members = await page.locator('#members .member').evaluateAll((spans) => spans.map((m) => ({
      account: m.dataset.account, score: m.dataset.score, held: m.querySelector('.badge.held') !== null,
    })));
    return { note: await text('#member-layer-note'), members };
  },

  /** Evidence texts written by platform users are shown as text, never run as markup. */
  async hostileText() {
    await login();
    await openNetworkFromList(args.network);
    await clickAnEdge();
    const evidence = await evidenceRows();
    const images = await page.locator('#evidence img').count();
    return { evidence, images, injected: await page.evaluate(() => window.__cibInjected ?? null) };
  },
};

let exitCode = 0;
try {
  if (!scenarios[scenario]) throw new Error(`unknown scenario "${scenario}": one of ${Object.keys(scenarios).join(', ')}`);
  const seen = await scenarios[scenario]();
  const foreign = requests.filter((u) => !u.startsWith(new URL(base).origin));
  console.log(`RESULT ${JSON.stringify({ ...seen, problems, foreign })}`);
} catch (error) {
  exitCode = 1;
  console.error(`scenario ${scenario} failed: ${error.stack ?? error}`);
  if (problems.length) console.error(`problems on the page:\n${problems.join('\n')}`);
  if (shots) await page.screenshot({ path: join(shots, `failed-${scenario}.png`), fullPage: true }).catch(() => {});
} finally {
  await browser.close();
}
process.exit(exitCode);
