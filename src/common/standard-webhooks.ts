import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

/** Standard Webhooks: base64 HMAC-SHA256 over `<id>.<timestamp>.<raw body>` with the secret's bytes. */
export function signPayload(secret: string, id: string, timestamp: number, body: Buffer | string): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
  return createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64');
}

/**
 * Verifies Standard Webhooks headers over the raw bytes, in constant time.
 * Returns null when valid, else the reason (for a 401 message).
 */
export function verifySignature(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  rawBody: Buffer,
  nowSeconds = Math.floor(Date.now() / 1000),
): string | null {
  const id = headers['webhook-id'];
  const ts = headers['webhook-timestamp'];
  const sig = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof ts !== 'string' || typeof sig !== 'string') {
    return 'this API key requires signed requests: send webhook-id, webhook-timestamp and webhook-signature';
  }
  const timestamp = Number(ts);
  if (!/^\d+$/.test(ts) || Math.abs(nowSeconds - timestamp) > SIGNATURE_TOLERANCE_SECONDS) {
    return 'webhook-timestamp is missing or more than 5 minutes away from now (replay refused)';
  }
  const expected = Buffer.from(signPayload(secret, id, timestamp, rawBody), 'base64');
  for (const part of sig.split(' ')) {
    const [version, value] = part.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return null;
  }
  return 'webhook-signature does not match the request body';
}
