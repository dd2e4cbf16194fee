// The dashboard's only way to the data: the public /v1 API with a bearer token.

const SESSION_KEY = 'crossover.session';

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** The signed-in session ({ accessToken, orgId, role, email, expiresAt }), kept in sessionStorage (this tab only). */
export const session = {
  get() {
    try {
      const s = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
      return s && typeof s.accessToken === 'string' ? s : null;
    } catch {
      return null;
    }
  },
  set(s) {
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
  },
  clear() {
    sessionStorage.removeItem(SESSION_KEY);
  },
};

let onUnauthenticated = () => {};
/** Called when the API answers 401 to a signed-in request (expired or revoked token). */
export function whenUnauthenticated(fn) {
  onUnauthenticated = fn;
}

/** JSON request to the API; throws ApiError with the API's own message on non-2xx. */
export async function api(path, { method = 'GET', body, auth = true, signal } = {}) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const s = auth ? session.get() : null;
  if (s) headers.authorization = `Bearer ${s.accessToken}`;
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal, credentials: 'omit' });
  } catch (err) {
    if (err?.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'Cannot reach the Crossover API. Check your connection and try again.');
  }
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const e = data?.error ?? {};
    const message = typeof e.message === 'string' ? e.message : `${res.status} ${res.statusText || 'error'}`;
    const error = new ApiError(res.status, e.code ?? `http_${res.status}`, message, e.details);
    if (res.status === 401 && s) onUnauthenticated(error);
    throw error;
  }
  return data;
}

/** Signs in with email and password; stores the session. */
export async function login(email, password) {
  const r = await api('/v1/login', { method: 'POST', body: { email, password }, auth: false });
  const expiresIn = Number(r.expiresIn) || 3600;
  session.set({ accessToken: r.accessToken, orgId: r.orgId, role: r.role, email, expiresAt: Date.now() + expiresIn * 1000 });
  return r;
}

/** Follows `nextCursor` and concatenates `rows` (or `data`) over pages. */
export async function allPages(path, { signal, maxPages = 40 } = {}) {
  const rows = [];
  let cursor = null;
  let first = null;
  for (let page = 0; page < maxPages; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const r = await api(cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path, { signal });
    first ??= r;
    rows.push(...(r?.rows ?? r?.data ?? []));
    cursor = r?.nextCursor;
    if (!cursor) break;
  }
  return { ...first, rows };
}
