// The console: hash routes, one page each; what a key may see follows its roles (GET /v1/me).
import { api, session, READERS } from './api.js';
import { h, show, errorBox } from './dom.js';
import { loginPage } from './pages/login.js';
import { networksPage } from './pages/networks.js';
import { networkPage } from './pages/network.js';
import { accountPage } from './pages/account.js';
import { targetsPage } from './pages/targets.js';
import { takedownsPage } from './pages/takedowns.js';
import { reportPage } from './pages/report.js';
import { auditPage } from './pages/audit.js';

/** Routes: pattern, page, the roles that may open it (null: any key), nav title. */
const routes = [
  { path: /^networks$/, page: networksPage, roles: READERS, nav: 'Networks', href: '#/networks' },
  { path: /^networks\/(.+)$/, page: networkPage, roles: READERS },
  { path: /^accounts(?:\/(.+))?$/, page: accountPage, roles: READERS, nav: 'Accounts', href: '#/accounts' },
  { path: /^targets$/, page: targetsPage, roles: READERS, nav: 'Target search', href: '#/targets' },
  { path: /^takedowns$/, page: takedownsPage, roles: ['enforcement', 'admin'], nav: 'Takedown list', href: '#/takedowns' },
  { path: /^report$/, page: reportPage, roles: ['admin'], nav: 'Transparency report', href: '#/report' },
  { path: /^audit$/, page: auditPage, roles: ['admin'], nav: 'Audit log', href: '#/audit' },
];

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, search] = raw.split('?');
  return { path: decodeURIComponent(path || ''), query: new URLSearchParams(search || '') };
}

function allowed(route) {
  return !route.roles || session.hasAny(...route.roles);
}

function home() {
  return routes.find((r) => r.nav && allowed(r))?.href ?? '#/';
}

function drawHeader(path) {
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  if (!session.me) {
    nav.replaceChildren();
    who.replaceChildren();
    return;
  }
  nav.replaceChildren(...routes.filter((r) => r.nav && allowed(r)).map((r) =>
    h('a', { href: r.href, class: path.startsWith(r.href.slice(2)) ? 'active' : undefined, dataset: { nav: r.href.slice(2) } }, r.nav)));
  who.replaceChildren(
    h('span', { id: 'who-name' }, session.me.name),
    ' · ',
    h('span', { id: 'who-roles' }, session.me.roles.join(', ')),
    h('button', { class: 'secondary', id: 'logout', onclick: logout }, 'Log out'));
}

function logout() {
  session.key = null;
  session.me = null;
  location.hash = '#/login';
}

/** Logs in with a key: asks the silo who it is, keeps it for this tab. Throws the API's answer on failure. */
export async function login(key) {
  const me = await api.me(key);
  session.key = key;
  session.me = me;
  // A link opened before logging in is honoured; otherwise the first page the key may see.
  const { path } = parseHash();
  const target = path && path !== 'login' ? location.hash : home();
  if (target === location.hash) route(); else location.hash = target;
}

let generation = 0;

async function route() {
  const mine = ++generation;
  const { path, query } = parseHash();
  if (!session.me && session.key) {
    try {
      session.me = await api.me();
    } catch {
      session.key = null;
    }
  }
  if (mine !== generation) return;
  drawHeader(path);
  if (!session.me || path === 'login') {
    loginPage({ login });
    return;
  }
  if (!routes.some((r) => r.nav && allowed(r))) {
    show(h('h1', {}, 'Nothing to show for this key'), h('p', { class: 'error', id: 'forbidden' },
      `Key "${session.me.name}" has the roles ${session.me.roles.join(', ')}; the console's pages need investigator, reviewer, enforcement or admin.`));
    return;
  }
  const match = routes.map((r) => ({ r, m: path.match(r.path) })).find((x) => x.m);
  if (!match) {
    location.replace(home());
    return;
  }
  if (!allowed(match.r)) {
    show(h('h1', {}, 'Not for this key'), h('p', { class: 'error', id: 'forbidden' },
      `This page needs one of the roles ${match.r.roles.join(', ')}; key "${session.me.name}" has ${session.me.roles.join(', ')}.`));
    return;
  }
  try {
    await match.r.page({ params: match.m.slice(1), query, isCurrent: () => mine === generation });
  } catch (error) {
    if (mine === generation) show(errorBox(error));
  }
}

window.addEventListener('hashchange', route);
route();
