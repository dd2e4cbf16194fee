import ref from '../../reference/economics.json' with { type: 'json' };
import { catalogFromReference, selectInForce, selectPrice, type PriceVersion } from './price.js';

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

describe('catalogFromReference (src/reference/economics.json)', () => {
  const from = new Date('2026-01-01T00:00:00Z');
  const { versions, skipped } = catalogFromReference(ref, from);
  const byId = (modelId: string) => versions.find((v) => v.modelId === modelId);

  it('seeds all 19 closed models', () => {
    expect(versions.filter((v) => ref.closedModels.some((m) => m.id === v.modelId))).toHaveLength(19);
  });

  it.each<[string, string, string, string | null, string | null, string]>([
    ['gpt-4o', '2.5', '10', '1.25', null, 'litellm_main_mirror'],
    ['gpt-5-nano', '0.05', '0.4', '0.005', null, 'litellm_main_mirror'],
    ['claude-sonnet-4.5', '3', '15', '0.3', '3.75', 'litellm_main_mirror'],
    ['claude-3.5-haiku', '0.8', '4', '0.08', '1', 'litellm_2025_09'],
    ['gemini-2.5-flash-lite', '0.1', '0.4', '0.01', null, 'litellm_main_mirror'],
  ])('%s: $%s / $%s, cached %s, cache write %s per 1M as decimal strings', (modelId, input, output, cached, write, source) => {
    const v = byId(modelId);
    expect(v).toMatchObject({
      inputPerMTok: input,
      outputPerMTok: output,
      cachedInputPerMTok: cached,
      cacheWritePerMTok: write,
      reasoningPerMTok: null,
      effectiveFrom: from,
      effectiveTo: null,
      source,
    });
  });

  it.each<[string, number, string, string]>([
    ['claude-sonnet-4.5', 200000, '6', '22.5'],
    ['claude-sonnet-4', 200000, '6', '22.5'],
    ['gemini-2.5-pro', 200000, '2.5', '15'],
  ])('%s long-context tier above %d input tokens: $%s / $%s', (modelId, above, input, output) => {
    expect(byId(modelId)?.tiers).toEqual([{ aboveInputTokens: above, inputPerMTok: input, outputPerMTok: output }]);
  });

  it('models without longContextPricing have no tiers (gpt-4o)', () => {
    expect(byId('gpt-4o')?.tiers).toEqual([]);
  });

  it('managed open-model APIs: together_ai Llama-3.3-70B-Instruct-Turbo $0.88 / $0.88, no cache prices', () => {
    const v = versions.find((x) => x.provider === 'together_ai' && x.modelId === 'meta-llama/Llama-3.3-70B-Instruct-Turbo');
    expect(v).toMatchObject({ inputPerMTok: '0.88', outputPerMTok: '0.88', cachedInputPerMTok: null, cacheWritePerMTok: null, tiers: [] });
  });

  it('prose-named comparison rows are skipped, not seeded ("Groq / Llama 3.1 8B instruct")', () => {
    expect(versions.some((v) => /\s/.test(v.modelId))).toBe(false);
    expect(skipped).toContainEqual({
      section: 'managedOpenApis',
      id: 'Groq/Llama 3.1 8B instruct',
      reason: 'model is a prose name, not an API model id',
    });
  });

  it('every rate is a string (never a float) and ids are unique', () => {
    for (const v of versions) {
      for (const p of [v.inputPerMTok, v.outputPerMTok, v.cachedInputPerMTok ?? '', v.cacheWritePerMTok ?? '']) {
        expect(typeof p).toBe('string');
      }
    }
    expect(new Set(versions.map((v) => v.id)).size).toBe(versions.length);
  });

  it.each<[string, Record<string, unknown>[], string]>([
    ['missing outputPerMTok', [{ id: 'x', provider: 'p', inputPerMTok: 1 }], 'missing id, provider, inputPerMTok or outputPerMTok'],
    ['negative price', [{ id: 'x', provider: 'p', inputPerMTok: -1, outputPerMTok: 1 }], 'missing id, provider, inputPerMTok or outputPerMTok'],
    ['price as a string', [{ id: 'x', provider: 'p', inputPerMTok: '1', outputPerMTok: 1 }], 'missing id, provider, inputPerMTok or outputPerMTok'],
    [
      'longContextPricing without threshold',
      [{ id: 'x', provider: 'p', inputPerMTok: 1, outputPerMTok: 2, longContextPricing: { inputPerMTok: 2, outputPerMTok: 4 } }],
      'longContextPricing lacks thresholdTokens, inputPerMTok or outputPerMTok',
    ],
  ])('skips closed model rows with %s', (_name, closedModels, reason) => {
    const out = catalogFromReference({ closedModels }, from);
    expect(out.versions).toEqual([]);
    expect(out.skipped).toEqual([{ section: 'closedModels', id: 'x', reason }]);
  });

  it('a duplicate provider + model keeps the first row', () => {
    const row = { id: 'm', provider: 'p', inputPerMTok: 1, outputPerMTok: 2 };
    const out = catalogFromReference({ closedModels: [row, { ...row, inputPerMTok: 9 }] }, from);
    expect(out.versions.map((v) => v.inputPerMTok)).toEqual(['1']);
    expect(out.skipped[0].reason).toMatch(/duplicate/);
  });

  it('JSON numbers convert via their shortest spelling: 0.3 → "0.3" (not 0.299999…), 1e-7 → "0.0000001"', () => {
    const out = catalogFromReference({ closedModels: [{ id: 'm', provider: 'p', inputPerMTok: 0.3, outputPerMTok: 1e-7 }] }, from);
    expect(out.versions[0]).toMatchObject({ inputPerMTok: '0.3', outputPerMTok: '0.0000001' });
  });
});
