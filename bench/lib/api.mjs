// @ts-check
// The benches' set-up and read calls (sign-up, keys, budgets, seed events, reports) go through
// openapi-fetch typed by the OpenAPI document (src/generated/openapi.ts, written by `npm run build`),
// so `npx tsc -p tsconfig.js-clients.json` fails when a bench reads a field the API no longer answers.
// The measured load loops (bench/lib/http.mjs, bench/lib/open-loop.mjs) stay on raw node:http sockets:
// a client that builds a Request and parses every answer in the loop would add its own CPU to the
// figures, on a machine the server shares.
import createClient from 'openapi-fetch';

/** @typedef {import('../../src/generated/openapi.js').paths} paths */
/** @typedef {import('openapi-fetch').Client<paths, 'application/json'>} ApiClient typed for JSON answers (reports that also answer CSV are read as JSON) */

/**
 * A typed client of the API at `baseUrl`, authenticated with `key` (an API key or a JWT) when given.
 * Every request times out after `timeoutMs`.
 * @param {string} baseUrl
 * @param {{ key?: string, timeoutMs?: number }} [opts]
 * @returns {ApiClient}
 */
export function apiClient(baseUrl, { key, timeoutMs = 60_000 } = {}) {
  return createClient({
    baseUrl,
    headers: { accept: 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    fetch: (request) => fetch(request, { signal: AbortSignal.any([request.signal, AbortSignal.timeout(timeoutMs)]) }),
  });
}

/**
 * The body of a typed call's 2xx answer; throws on any other status with the API's answer in the
 * message (and `status` on the error).
 * @template T
 * @param {Promise<{ data?: T, error?: unknown, response: Response }>} call `client.GET(...)` etc.
 * @returns {Promise<T>}
 */
export async function ok(call) {
  const { data, error, response } = await call;
  if (response.ok) return /** @type {T} */ (data);
  const url = new URL(response.url);
  const e = /** @type {Error & { status?: number }} */ (new Error(`${url.pathname}${url.search} → ${response.status}: ${JSON.stringify(error)?.slice(0, 500)}`));
  e.status = response.status;
  throw e;
}

/**
 * A fresh org and its first (admin) API key; a random email each run, so reruns never collide.
 * @param {string} baseUrl
 * @param {string} [tag] names the bench in the org's name and email
 * @returns {Promise<{ orgId: string, apiKey: string }>}
 */
export async function signup(baseUrl, tag = 'bench') {
  const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const res = await ok(
    apiClient(baseUrl).POST('/v1/signup', {
      body: { orgName: `Bench ${tag} ${stamp}`, email: `bench-${tag}-${stamp}@bench.test`, password: `bench-password-${stamp}` },
    }),
  );
  return { orgId: res.org.id, apiKey: res.apiKey.key };
}
