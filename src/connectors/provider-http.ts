import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { backoffMs, retryAfterMs, scrubSecret } from '../domain/connectors/provider-lines.js';
import { checkTargetSyntax, guardedLookup, type TargetPolicy } from '../webhooks/target-guard.js';

/** Limits of one provider call; the defaults are production's (PROVIDER_HTTP_LIMITS). */
export interface ProviderHttpLimits {
  /** Whole exchange, connect to last byte (ms). */
  timeoutMs: number;
  /** Largest response body read (bytes); a larger one fails the call instead of filling memory. */
  maxBytes: number;
  /** Most 429 answers waited out per call (count). */
  max429: number;
  /** Most attempts per call when the provider answers 5xx or the connection fails (count). */
  maxAttempts: number;
  /** First 5xx backoff (ms), doubled each retry up to backoffCapMs. */
  backoffBaseMs: number;
  backoffCapMs: number;
  /** Longest Retry-After honoured (ms); a longer one is waited for this long, then retried. */
  retryAfterCapMs: number;
}

/**
 * 30 s per call (the admin APIs answer in well under a second); 8 MB per page (a 168-bucket hourly
 * page of a large org is a few hundred kB); 5 rate-limit waits of at most 60 s and 4 attempts with
 * 1 s, 2 s, 4 s backoff per call: a run gives up on a provider that stays down within about a minute.
 */
export const PROVIDER_HTTP_LIMITS: ProviderHttpLimits = {
  timeoutMs: 30_000,
  maxBytes: 8 * 1024 * 1024,
  max429: 5,
  maxAttempts: 4,
  backoffBaseMs: 1_000,
  backoffCapMs: 8_000,
  retryAfterCapMs: 60_000,
};

/** A provider call that failed for good; its message is scrubbed of the credentials and safe to store and show. */
export class ProviderCallError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

interface RawResponse {
  status: number;
  retryAfter: string | undefined;
  body: string;
}

/** One GET: names resolved through the SSRF guard, no redirects followed, bounded in time and size. */
function getOnce(url: string, headers: Record<string, string>, limits: ProviderHttpLimits, policy: TargetPolicy): Promise<RawResponse> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(target, { method: 'GET', headers: { accept: 'application/json', ...headers }, lookup: guardedLookup(policy) as never, timeout: limits.timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      res.on('data', (c: Buffer) => {
        if (tooLarge) return;
        size += c.length;
        if (size > limits.maxBytes) {
          // Not retried: the same page would be as large next time.
          tooLarge = true;
          reject(new ProviderCallError(`GET ${target.pathname}: the response is larger than ${limits.maxBytes} bytes`, res.statusCode ?? null));
          req.destroy();
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => {
        if (tooLarge) return;
        const ra = res.headers['retry-after'];
        resolve({ status: res.statusCode ?? 0, retryAfter: Array.isArray(ra) ? ra[0] : ra, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    const deadline = setTimeout(() => req.destroy(new Error(`no complete answer within ${limits.timeoutMs} ms`)), limits.timeoutMs);
    req.on('close', () => clearTimeout(deadline));
    req.on('timeout', () => req.destroy(new Error(`no complete answer within ${limits.timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * GETs a provider page: waits out 429s (Retry-After, seconds or HTTP date, capped), retries 5xx and
 * connection failures with exponential backoff, and fails at once on any other status. `onRetry` is
 * told of every retry (the run counts them). Every error message is scrubbed of `secret`.
 */
export async function getProviderPage(
  url: string,
  headers: Record<string, string>,
  secret: string,
  policy: TargetPolicy,
  onRetry: (why: '429' | '5xx' | 'network', waitMs: number) => Promise<void> | void,
  limits: ProviderHttpLimits = PROVIDER_HTTP_LIMITS,
): Promise<string> {
  const syntax = checkTargetSyntax(url, policy);
  if (!syntax.ok) throw new ProviderCallError(`refused: ${syntax.reason}`, null);
  const path = new URL(url).pathname;
  let rateLimited = 0;
  let attempts = 0;
  for (;;) {
    attempts++;
    let res: RawResponse;
    try {
      res = await getOnce(url, headers, limits, policy);
    } catch (e) {
      if (e instanceof ProviderCallError) throw e;
      const why = scrubSecret((e as Error).message, secret);
      if (attempts >= limits.maxAttempts) throw new ProviderCallError(`GET ${path} failed after ${attempts} attempts: ${why}`, null);
      const wait = backoffMs(attempts, limits.backoffBaseMs, limits.backoffCapMs);
      await onRetry('network', wait);
      await sleep(wait);
      continue;
    }
    if (res.status >= 200 && res.status < 300) return res.body;
    if (res.status === 429) {
      if (rateLimited >= limits.max429) throw new ProviderCallError(`GET ${path}: still rate limited (HTTP 429) after ${rateLimited} waits`, 429);
      rateLimited++;
      attempts--;
      const wait = retryAfterMs(res.retryAfter, Date.now(), limits.backoffBaseMs, limits.retryAfterCapMs);
      await onRetry('429', wait);
      await sleep(wait);
      continue;
    }
    if (res.status >= 500) {
      if (attempts >= limits.maxAttempts) throw new ProviderCallError(`GET ${path}: HTTP ${res.status} after ${attempts} attempts: ${scrubSecret(res.body, secret, 200)}`, res.status);
      const wait = backoffMs(attempts, limits.backoffBaseMs, limits.backoffCapMs);
      await onRetry('5xx', wait);
      await sleep(wait);
      continue;
    }
    const hint = res.status === 401 || res.status === 403 ? ' (is the admin key right, and is it an admin key?)' : '';
    throw new ProviderCallError(`GET ${path}: HTTP ${res.status}${hint}: ${scrubSecret(res.body, secret, 300)}`, res.status);
  }
}
