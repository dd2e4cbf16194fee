import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../config/config.js';
import { CredentialSealer } from './credential-sealer.js';

const key = (id: string) => ({ id, key: randomBytes(32) });
const sealerWith = (...keys: { id: string; key: Buffer }[]) => new CredentialSealer({ connectors: { keys, allowBaseUrl: false } } as unknown as AppConfig);
const ORG = '00000000-0000-4000-8000-000000000001';
const CONN = '00000000-0000-4000-8000-000000000002';
const SECRET = { adminKey: 'sk-admin-0123456789abcdef' };

describe('CredentialSealer (AES-256-GCM)', () => {
  const a = key('a');
  const b = key('b');

  it('seals with the first key and opens what it sealed; iv (12) + tag (16) + ciphertext, no plaintext', () => {
    const s = sealerWith(a);
    const sealed = s.seal(ORG, CONN, SECRET);
    expect(sealed.keyId).toBe('a');
    expect(sealed.sealed.includes(Buffer.from(SECRET.adminKey))).toBe(false);
    expect(sealed.sealed.length).toBe(12 + 16 + Buffer.byteLength(JSON.stringify(SECRET)));
    expect(s.open(ORG, CONN, 'a', sealed.sealed)).toEqual(SECRET);
  });

  it('a random IV per seal: sealing twice gives two different values', () => {
    const s = sealerWith(a);
    expect(s.seal(ORG, CONN, SECRET).sealed.equals(s.seal(ORG, CONN, SECRET).sealed)).toBe(false);
  });

  it('rotation: with keys "b,a" a value sealed under "a" still opens, and new seals use "b"', () => {
    const old = sealerWith(a).seal(ORG, CONN, SECRET);
    const rotated = sealerWith(b, a);
    expect(rotated.open(ORG, CONN, 'a', old.sealed)).toEqual(SECRET);
    expect(rotated.seal(ORG, CONN, SECRET).keyId).toBe('b');
    expect(rotated.currentKeyId).toBe('b');
  });

  it('refuses, without echoing anything secret: a dropped key, another row or org (bound by AAD), a flipped bit, a truncated value', () => {
    const s = sealerWith(a);
    const { sealed } = s.seal(ORG, CONN, SECRET);
    expect(() => sealerWith(b).open(ORG, CONN, 'a', sealed)).toThrow(/no longer lists/);
    expect(() => s.open(ORG, '00000000-0000-4000-8000-000000000003', 'a', sealed)).toThrow(/do not open/);
    expect(() => s.open('00000000-0000-4000-8000-000000000009', CONN, 'a', sealed)).toThrow(/do not open/);
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 1]! ^= 1;
    expect(() => s.open(ORG, CONN, 'a', flipped)).toThrow(/do not open/);
    expect(() => s.open(ORG, CONN, 'a', sealed.subarray(0, 20))).toThrow(/truncated/);
    try {
      s.open(ORG, CONN, 'a', flipped);
    } catch (e) {
      expect((e as Error).message).not.toContain(SECRET.adminKey);
    }
  });
});
