import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getProviderPage, ProviderCallError, type ProviderHttpLimits } from './provider-http.js';

const policy = { allowHosts: ['127.0.0.1'], requireHttps: false };
const limits: ProviderHttpLimits = { timeoutMs: 300, maxBytes: 1_000, max429: 2, maxAttempts: 3, backoffBaseMs: 10, backoffCapMs: 40, retryAfterCapMs: 50 };
const SECRET = 'sk-admin-secret-0123456789';

let server: Server;
let url: string;
let handler: (n: number, res: import('node:http').ServerResponse) => void;
let hits = 0;
beforeAll(async () => {
  server = createServer((_req, res) => handler(++hits, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/organization/costs`;
});
beforeEach(() => (hits = 0));
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const retries: string[] = [];
const onRetry = (why: string) => void retries.push(why);
beforeEach(() => (retries.length = 0));

describe('getProviderPage: an untrusted provider, bounded', () => {
  it('429 twice (retry-after capped at 50 ms), then 200: two waits counted', async () => {
    handler = (n, res) => (n <= 2 ? res.writeHead(429, { 'retry-after': '30' }).end() : res.end('{"ok":true}'));
    const started = Date.now();
    expect(await getProviderPage(url, {}, SECRET, policy, onRetry, limits)).toBe('{"ok":true}');
    expect(retries).toEqual(['429', '429']);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('a third 429 is the end: the run fails naming the rate limit', async () => {
    handler = (_n, res) => res.writeHead(429).end();
    await expect(getProviderPage(url, {}, SECRET, policy, onRetry, limits)).rejects.toThrow(/still rate limited/);
  });

  it('500 on every attempt: 3 attempts with backoff, then an error whose text is scrubbed of the key', async () => {
    handler = (_n, res) => res.writeHead(500).end(`boom for ${SECRET}`);
    const err = (await getProviderPage(url, {}, SECRET, policy, onRetry, limits).catch((e: unknown) => e)) as ProviderCallError;
    expect(err).toBeInstanceOf(ProviderCallError);
    expect(err.message).toMatch(/HTTP 500 after 3 attempts/);
    expect(err.message).not.toContain(SECRET);
    expect(retries).toEqual(['5xx', '5xx']);
  });

  it('a slow provider times out (and is retried like a 5xx)', async () => {
    handler = () => undefined; // never answers
    await expect(getProviderPage(url, {}, SECRET, policy, onRetry, limits)).rejects.toThrow(/failed after 3 attempts: no complete answer within 300 ms/);
    expect(retries).toEqual(['network', 'network']);
  });

  it('a response larger than maxBytes is cut off, not read into memory', async () => {
    handler = (_n, res) => res.end('x'.repeat(5_000));
    await expect(getProviderPage(url, {}, SECRET, policy, onRetry, limits)).rejects.toThrow(/larger than 1000 bytes/);
  });

  it('a 400 fails at once, without retries; a private address outside the allow-list is refused before any call', async () => {
    handler = (_n, res) => res.writeHead(400).end('bad');
    await expect(getProviderPage(url, {}, SECRET, policy, onRetry, limits)).rejects.toThrow(/HTTP 400: bad/);
    expect(hits).toBe(1);
    await expect(getProviderPage(url, {}, SECRET, { allowHosts: [], requireHttps: false }, onRetry, limits)).rejects.toThrow(/private, loopback or reserved/);
  });
});
