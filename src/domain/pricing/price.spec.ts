import { selectInForce, selectPrice, type PriceVersion } from './price.js';

function version(id: string, from: string, to: string | null): PriceVersion {
  return {
    id,
    modelId: 'gpt-5',
    provider: 'openai',
    inputPerMTok: '1.25',
    outputPerMTok: '10',
    cachedInputPerMTok: null,
    cacheWritePerMTok: null,
    reasoningPerMTok: null,
    tiers: [],
    effectiveFrom: new Date(from),
    effectiveTo: to === null ? null : new Date(to),
    source: 'test',
  };
}

describe('selectPrice: effective dating, effectiveTo exclusive', () => {
  const old = version('old', '2025-01-01T00:00:00Z', '2026-03-01T00:00:00Z');
  const next = version('new', '2026-03-01T00:00:00Z', null);
  const promo = version('promo', '2025-06-01T00:00:00Z', '2025-07-01T00:00:00Z');
  const versions = [old, next, promo];

  it.each<[string, string, string | null]>([
    ['1 ms before the change at 2026-03-01T00:00:00Z → old', '2026-02-28T23:59:59.999Z', 'old'],
    ['exactly at the new effectiveFrom 2026-03-01T00:00:00Z → new', '2026-03-01T00:00:00.000Z', 'new'],
    ['years later, open-ended effectiveTo → new', '2030-01-01T00:00:00Z', 'new'],
    ['exactly at the first effectiveFrom → old', '2025-01-01T00:00:00Z', 'old'],
    ['1 ms before any price → null (unpriced)', '2024-12-31T23:59:59.999Z', null],
    ['overlap: promo from 2025-06-01 beats old from 2025-01-01 (latest effectiveFrom wins)', '2025-06-15T12:00:00Z', 'promo'],
    ['promo effectiveTo 2025-07-01 is exclusive → old again at that instant', '2025-07-01T00:00:00Z', 'old'],
    ['invalid date → null', 'not a date', null],
  ])('%s', (_name, at, expected) => {
    expect(selectPrice(versions, new Date(at))?.id ?? null).toBe(expected);
  });

  it('equal effectiveFrom: the later array element wins', () => {
    const a = version('a', '2025-01-01T00:00:00Z', null);
    const b = version('b', '2025-01-01T00:00:00Z', null);
    expect(selectInForce([a, b], new Date('2025-02-01T00:00:00Z'))?.id).toBe('b');
    expect(selectInForce([b, a], new Date('2025-02-01T00:00:00Z'))?.id).toBe('a');
  });

  it('an empty catalog prices nothing', () => {
    expect(selectPrice([], new Date('2025-01-01T00:00:00Z'))).toBeNull();
  });
});
