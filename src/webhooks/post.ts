import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { checkTargetSyntax, guardedLookup, type TargetPolicy } from './target-guard.js';

/**
 * POSTs a body to a tenant's webhook URL and resolves with the HTTP status.
 * The connection resolves names through guardedLookup, so it can only reach
 * addresses the SSRF policy allows, whatever the name resolves to today;
 * redirects are not followed; the whole exchange is bounded by timeoutMs (ms).
 */
export function postWebhook(url: string, headers: Record<string, string>, body: string, timeoutMs: number, policy: TargetPolicy): Promise<number> {
  const syntax = checkTargetSyntax(url, policy);
  if (!syntax.ok) return Promise.reject(new Error(`refused: ${syntax.reason}`));
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(policy) as never,
        timeout: timeoutMs,
      },
      (res) => {
        // The receiver's body is never read into memory or shown: only its status matters.
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    const deadline = setTimeout(() => req.destroy(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    req.on('close', () => clearTimeout(deadline));
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
