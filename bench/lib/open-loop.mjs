// @ts-check
// Load generators for bench/single-events.mjs: an open loop (requests leave
// on a fixed schedule whatever the server does) and a closed loop (C workers,
// each sending its next request when the previous one is answered).
//
// In the open loop, latency runs from the time a request was *due*, not from
// the time the client got round to sending it: a request stuck behind busy
// sockets or a late timer is charged for its wait, as a real caller's would
// be. Measuring from the actual send instead would hide exactly the queueing
// an overloaded server causes (coordinated omission).
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';

/**
 * A keep-alive client for POSTs of pre-serialised bodies, with up to
 * `sockets` connections; requests beyond that wait in the agent's queue
 * (their wait counts in their latency). Every request is abandoned
 * `timeoutMs` after it was due.
 */
export function makeLoadClient(baseUrl, { sockets = 256, timeoutMs = 30_000 } = {}) {
  const url = new URL(baseUrl);
  const mod = url.protocol === 'https:' ? https : http;
  const agent = new mod.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });

  /**
   * POSTs `body` (a Buffer) to `pathname`. `dueMs` (performance.now() clock)
   * is when the request should have left; latency `ms` is measured from it.
   * Never rejects: a transport failure resolves with `error` set.
   */
  function post(pathname, body, headers, dueMs = performance.now()) {
    return new Promise((resolve) => {
      const sentAt = performance.now();
      let socketAt = null;
      let settled = false;
      const done = (outcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        // wireMs: from getting a connection to the answer, i.e. without the wait for a free socket.
        resolve({ lagMs: sentAt - dueMs, wireMs: socketAt === null || outcome.status === null ? null : performance.now() - socketAt, ...outcome });
      };
      const req = mod.request(
        { protocol: url.protocol, hostname: url.hostname, port: url.port, path: pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length, ...headers } },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const ms = performance.now() - dueMs;
            let json = null;
            try {
              json = JSON.parse(Buffer.concat(chunks).toString());
            } catch {
              // Left null: counted by status only.
            }
            done({ status: res.statusCode, ms, json, retryAfter: res.headers['retry-after'] ?? null, error: null });
          });
          res.on('error', (/** @type {NodeJS.ErrnoException} */ e) => done({ status: null, ms: performance.now() - dueMs, json: null, retryAfter: null, error: e.code ?? e.message }));
        },
      );
      const timer = setTimeout(() => {
        done({ status: null, ms: performance.now() - dueMs, json: null, retryAfter: null, error: 'timeout' });
        req.destroy();
      }, Math.max(1, dueMs + timeoutMs - sentAt));
      req.once('socket', () => (socketAt = performance.now()));
      req.on('error', (/** @type {NodeJS.ErrnoException} */ e) => done({ status: null, ms: performance.now() - dueMs, json: null, retryAfter: null, error: e.code ?? e.message }));
      req.end(body);
    });
  }

  /** Requests waiting for a free socket right now (client-side queue). */
  function queued() {
    let n = 0;
    for (const list of Object.values(agent.requests)) n += list?.length ?? 0;
    return n;
  }

  return { post, queued, close: () => agent.destroy() };
}

/**
 * Open loop: request i is due at start + i / rate seconds, for `seconds`
 * seconds, and leaves at its due time (or as soon after as the event loop
 * allows) whether or not earlier ones were answered. `send(i, dueMs)` returns
 * a promise of the outcome. Resolves once every request has an outcome, with
 * the outcomes in schedule order and the wall seconds from the first due
 * time to the last outcome.
 */
export function openLoop({ rate, seconds, send }) {
  const total = Math.round(rate * seconds);
  const intervalMs = 1000 / rate;
  const pending = new Array(total);
  const start = performance.now() + 2;
  let i = 0;
  return new Promise((resolve, reject) => {
    function tick() {
      try {
        const now = performance.now();
        while (i < total && start + i * intervalMs <= now) {
          pending[i] = send(i, start + i * intervalMs);
          i++;
        }
        if (i < total) {
          // Timers fire at ~1 ms granularity at best; a late tick sends every
          // request that fell due meanwhile, each still timed from its due time.
          setTimeout(tick, Math.max(0, start + i * intervalMs - performance.now()));
          return;
        }
        Promise.all(pending).then((outcomes) => resolve({ outcomes, seconds: (performance.now() - start) / 1000, sendSeconds: seconds }), reject);
      } catch (e) {
        reject(e);
      }
    }
    setTimeout(tick, Math.max(0, start - performance.now()));
  });
}

/**
 * Closed loop: `concurrency` workers, each sending its next request as soon as
 * its previous one is answered, until `seconds` have passed (requests in
 * flight then are still awaited). Latency is from each request's own send.
 * `send(i, dueMs)` as for openLoop.
 */
export async function closedLoop({ concurrency, seconds, send }) {
  const outcomes = [];
  const start = performance.now();
  const deadline = start + seconds * 1000;
  let next = 0;
  async function worker() {
    while (performance.now() < deadline) {
      const i = next++;
      outcomes[i] = await send(i, performance.now());
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { outcomes, seconds: (performance.now() - start) / 1000, sendSeconds: seconds };
}
