// @ts-check
// A small keep-alive HTTP client: C sockets, each carrying one request at a time. This is the measured
// path of bench/ingest (and decision's seed batch): raw on purpose, see bench/lib/api.mjs for the typed
// client every set-up and read call uses.
// node:http rather than fetch so that the number of connections is exactly C
// and the per-request overhead on the client (which shares the CPU with the
// server) stays small.
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';

export function makeClient(baseUrl, connections) {
  const url = new URL(baseUrl);
  const mod = url.protocol === 'https:' ? https : http;
  const agent = new mod.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });

  /** POST a JSON body (object or pre-serialised Buffer); resolves with status, parsed body and milliseconds. */
  function post(pathname, body, headers = {}) {
    const payload = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const req = mod.request(
        new URL(pathname, url),
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': payload.length, ...headers },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const ms = performance.now() - started;
            const text = Buffer.concat(chunks).toString();
            let json = null;
            try {
              json = JSON.parse(text);
            } catch {
              // Left null: the caller reports the raw text.
            }
            resolve({ status: res.statusCode, json, text, ms });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  return { post, close: () => agent.destroy() };
}

/**
 * Posts every batch over `connections` workers, each sending its next batch
 * as soon as its previous one is answered (closed loop). Returns the wall time
 * of the whole run and, per batch, its latency and what the server said.
 */
export async function postBatches(client, apiKey, batches, connections) {
  const headers = { authorization: `Bearer ${apiKey}` };
  const outcomes = new Array(batches.length);
  let next = 0;
  async function worker() {
    while (next < batches.length) {
      const i = next++;
      const { size, body } = batches[i];
      try {
        const res = await client.post('/v1/events', body, headers);
        outcomes[i] = { size, ms: res.ms, status: res.status, counts: res.status === 200 ? res.json : null, error: res.status === 200 ? null : res.text.slice(0, 300) };
      } catch (e) {
        outcomes[i] = { size, ms: null, status: null, counts: null, error: e instanceof Error ? e.message : String(e) };
      }
    }
  }
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(connections, batches.length) }, worker));
  return { seconds: (performance.now() - started) / 1000, outcomes };
}
