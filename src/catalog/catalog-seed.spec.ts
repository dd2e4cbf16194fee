import { readReference } from '../domain/reference/reference-reader.js';
import { aliasRowsFromReference, factRowsFromReference, priceRowsFromReference } from './catalog-seed.js';
import { SEED_EFFECTIVE_FROM } from './reference-data.js';

describe('catalog seed from the shipped reference data', () => {
  const rows = priceRowsFromReference();
  const row = (provider: string, modelId: string) => rows.find((r) => r.provider === provider && r.modelId === modelId);

  it('70 price rows: 19 closed models and 51 managed open-model offers, one per provider + model', () => {
    expect([rows.filter((r) => r.kind === 'closed').length, rows.filter((r) => r.kind === 'managed_open').length]).toEqual([19, 51]);
    expect(new Set(rows.map((r) => `${r.provider}/${r.modelId}`)).size).toBe(rows.length);
  });

  it.each<[string, string, string, string | null, string | null]>([
    ['gpt-4o', '2.5', '10', '1.25', null],
    ['claude-sonnet-4.5', '3', '15', '0.3', '3.75'],
    ['claude-3.5-haiku', '0.8', '4', '0.08', '1'],
  ])('%s: $%s / $%s, cached %s, cache write %s per 1M, in force from the seed date', (modelId, input, output, cached, write) => {
    expect(rows.find((r) => r.modelId === modelId)).toMatchObject({
      inputPerMTok: input,
      outputPerMTok: output,
      cachedInputPerMTok: cached,
      cacheWritePerMTok: write,
      effectiveFrom: SEED_EFFECTIVE_FROM,
    });
  });

  it.each<[string, number, string, string]>([
    ['claude-sonnet-4.5', 200000, '6', '22.5'],
    ['claude-sonnet-4', 200000, '6', '22.5'],
    ['gemini-2.5-pro', 200000, '2.5', '15'],
  ])('%s long-context tier above %d input tokens: $%s / $%s', (modelId, above, input, output) => {
    expect(rows.find((r) => r.modelId === modelId)?.tiers).toEqual([{ aboveInputTokens: above, inputPerMTok: input, outputPerMTok: output }]);
  });

  it('managed offers under the canonical provider and the lower-cased model id: together Llama-3.3-70B-Instruct-Turbo $0.88 / $0.88', () => {
    expect(row('together', 'meta-llama/llama-3.3-70b-instruct-turbo')).toMatchObject({ inputPerMTok: '0.88', outputPerMTok: '0.88', cachedInputPerMTok: null, tiers: [] });
  });

  it('every rate is a decimal string, never a float', () => {
    for (const r of rows) for (const p of [r.inputPerMTok, r.outputPerMTok, r.cachedInputPerMTok ?? '', r.cacheWritePerMTok ?? '']) expect(typeof p).toBe('string');
  });

  it('an offer listed twice under two spellings of the provider is seeded once, at the first price', () => {
    const offer = { model: 'Org/Model-X', outputPerMTok: 1, source: 's' };
    const ref = readReference({ managedOpenApis: [{ ...offer, provider: 'together_ai', inputPerMTok: 0.5 }, { ...offer, provider: 'Together', inputPerMTok: 0.9 }] });
    expect(priceRowsFromReference(ref).map((r) => [r.provider, r.modelId, r.inputPerMTok])).toEqual([['together', 'org/model-x', '0.5']]);
  });

  it('aliases: the price source key where it differs from the catalog id (claude-sonnet-4-5 → claude-sonnet-4.5)', () => {
    expect(aliasRowsFromReference()).toContainEqual({ alias: 'claude-sonnet-4-5', modelId: 'claude-sonnet-4.5', provider: 'anthropic' });
    expect(aliasRowsFromReference().some((a) => a.modelId === 'gpt-4o')).toBe(false);
  });

  it('facts: 34 open models (current and seed generation), 7 GPUs, 53 throughput points, 12 routing results, stored as published', () => {
    const facts = factRowsFromReference();
    const count = (kind: string) => facts.filter((f) => f.kind === kind).length;
    expect([count('open_model'), count('gpu'), count('throughput'), count('routing_result')]).toEqual([34, 7, 53, 12]);
    expect(facts.find((f) => f.kind === 'gpu' && f.id === 'L4-24GB')?.data).toMatchObject({ memoryGB: 24, hourlyUSD: { onDemand: 0.8048 } });
  });
});
