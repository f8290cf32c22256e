// The silo's /v1 API, called from the same origin with the key the user pasted.
// The key lives in sessionStorage: it is gone when the tab closes and is never written anywhere else.

const KEY_ITEM = 'cib.key';

export class ApiError extends Error {
  constructor(status, title, detail) {
    super(detail || title || `HTTP ${status}`);
    this.status = status;
    this.title = title;
  }
}

export const session = {
  get key() { return sessionStorage.getItem(KEY_ITEM); },
  set key(value) {
    if (value) sessionStorage.setItem(KEY_ITEM, value); else sessionStorage.removeItem(KEY_ITEM);
  },
  /** The key's name and roles, from GET /v1/me, once logged in. */
  me: null,
  has(role) { return !!this.me && this.me.roles.includes(role); },
  hasAny(...roles) { return roles.some((r) => this.has(r)); },
};

/** Roles that may read networks, accounts, evidence and timelines (the API's readers). */
export const READERS = ['investigator', 'reviewer', 'admin'];

function query(params) {
  const q = new URLSearchParams();
  for (const [name, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== '') q.set(name, value);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function call(method, path, { params, body, key } = {}) {
  const headers = { Authorization: `Bearer ${key ?? session.key ?? ''}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`/v1/${path}${query(params)}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = response.headers.get('Content-Type') || '';
  const payload = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    throw new ApiError(response.status, payload?.title, payload?.detail ?? (typeof payload === 'string' ? payload : undefined));
  }
  return payload;
}

const enc = encodeURIComponent;

export const api = {
  me: (key) => call('GET', 'me', { key }),
  networks: (filters) => call('GET', 'networks', { params: filters }),
  network: (id) => call('GET', `networks/${enc(id)}`),
  timeline: (id) => call('GET', `networks/${enc(id)}/timeline`, { params: { limit: 20000 } }),
  decide: (id, decision) => call('POST', `networks/${enc(id)}/decisions`, { body: decision }),
  account: (id) => call('GET', `accounts/${enc(id)}`),
  history: (id) => call('GET', `accounts/${enc(id)}/history`, { params: { limit: 500 } }),
  targets: (q) => call('GET', 'targets', { params: { q } }),
  report: (from, to) => call('GET', 'reports/transparency', { params: { from, to } }),
  takedowns: (after, limit) => call('GET', 'takedowns', { params: { after, limit } }),
  audit: (after, limit) => call('GET', 'audit', { params: { after, limit } }),
  verifyAudit: () => call('GET', 'audit/verify'),
};
