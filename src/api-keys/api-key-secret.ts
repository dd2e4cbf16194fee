import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 32 base62 characters = 190 bits of entropy (the contract asks for at least 128). */
const RANDOM_CHARS = 32;
export const KEY_PATTERN = /^cx_[a-z0-9]{2,8}_[0-9A-Za-z]{32}$/;

/** Creates `cx_<env>_<32 base62 chars>` from the CSPRNG (rejection sampling keeps it uniform). */
export function generateApiKey(env: string): string {
  let out = '';
  while (out.length < RANDOM_CHARS) {
    for (const byte of randomBytes(48)) {
      if (byte < 248 && out.length < RANDOM_CHARS) out += ALPHABET[byte % 62];
    }
  }
  return `cx_${env}_${out}`;
}

/**
 * SHA-256 of the whole key. A slow hash is pointless for 190-bit random
 * secrets (nothing to guess) and would make every request pay for it; the
 * digest is what the unique index is probed with, so lookup never scans.
 */
export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** What listings show: enough to tell keys apart, not enough to use one. */
export function displayPrefix(key: string): string {
  const parts = key.split('_');
  return `${parts[0]}_${parts[1]}_${parts[2].slice(0, 6)}`;
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith('cx_');
}
