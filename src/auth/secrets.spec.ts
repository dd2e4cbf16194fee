import { displayPrefix, generateApiKey, hashApiKey, KEY_PATTERN } from '../api-keys/api-key-secret.js';
import { hashPassword, verifyPassword } from '../orgs/password.js';

describe('API key secrets', () => {
  it('have the cx_<env>_<random> format with 32 base62 characters (190 bits)', () => {
    const key = generateApiKey('live');
    expect(key).toMatch(KEY_PATTERN);
    expect(key.startsWith('cx_live_')).toBe(true);
    expect(32 * Math.log2(62)).toBeGreaterThan(128);
  });

  it('are unique across 10,000 draws and use the whole alphabet evenly enough', () => {
    const keys = new Set<string>();
    const counts = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      const k = generateApiKey('test');
      keys.add(k);
      for (const c of k.slice(8)) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(keys.size).toBe(10_000);
    expect(counts.size).toBe(62);
    const expected = (10_000 * 32) / 62;
    for (const n of counts.values()) expect(Math.abs(n - expected) / expected).toBeLessThan(0.1);
  });

  it('hash deterministically to 32 bytes, different keys to different digests', () => {
    const a = generateApiKey('live');
    expect(hashApiKey(a).equals(hashApiKey(a))).toBe(true);
    expect(hashApiKey(a)).toHaveLength(32);
    expect(hashApiKey(a).equals(hashApiKey(a + 'x'))).toBe(false);
  });

  it('display prefix reveals 6 of the 32 random characters', () => {
    expect(displayPrefix('cx_live_AbCdEf0123456789abcdefghijklmnop')).toBe('cx_live_AbCdEf');
  });
});

describe('password hashing (scrypt)', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const h = await hashPassword('correct horse battery staple');
    expect(h).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(h).not.toContain('correct horse');
    await expect(verifyPassword('correct horse battery staple', h)).resolves.toBe(true);
    await expect(verifyPassword('correct horse battery stapler', h)).resolves.toBe(false);
  });

  it('salts: the same password hashes differently twice', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it('treats a malformed stored hash as a mismatch, not a crash', async () => {
    await expect(verifyPassword('x', 'plain-text-password')).resolves.toBe(false);
  });
});
