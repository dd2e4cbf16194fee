/** One reply of our own API; the body is parsed JSON when it is JSON, else the text. */
export interface Reply {
  status: number;
  body: any; // JSON from our own API, read defensively
  headers: Headers;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The demo talks to the app only through its public HTTP API, like any
 * client, so it exercises the same validation, auth and rate limits.
 */
export class ApiClient {
  constructor(
    readonly base: string,
    private readonly token?: string,
  ) {}

  /** The same server, authenticated with `token` (a JWT or an API key). */
  withToken(token: string): ApiClient {
    return new ApiClient(this.base, token);
  }

  /** A string body is sent as is (already serialised JSON). */
  async call(method: string, path: string, body?: unknown): Promise<Reply> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  /** A call that retries rate limits (429, honouring Retry-After), 5xx and network errors. */
  async callRetrying(method: string, path: string, body?: unknown, attempts = 6): Promise<Reply> {
    for (let i = 1; ; i++) {
      try {
        const r = await this.call(method, path, body);
        if ((r.status === 429 || r.status >= 500) && i < attempts) {
          const retryAfter = Number(r.headers.get('retry-after'));
          await sleep(r.status === 429 && retryAfter > 0 ? retryAfter * 1000 : 250 * 2 ** i);
          continue;
        }
        return r;
      } catch (err) {
        if (i >= attempts) throw err;
        await sleep(250 * 2 ** i);
      }
    }
  }
}

export function errorText(r: Reply): string {
  const e = r.body?.error;
  return e ? `${r.status} ${e.code}: ${e.message}${e.details ? ` ${JSON.stringify(e.details).slice(0, 300)}` : ''}` : `${r.status} ${JSON.stringify(r.body)?.slice(0, 300)}`;
}

/** 404 because the route does not exist (yet), rather than because a resource is missing. */
export function routeMissing(r: Reply): boolean {
  return r.status === 404 && typeof r.body?.error?.message === 'string' && /^Cannot (GET|POST|PATCH|PUT|DELETE) /.test(r.body.error.message);
}
