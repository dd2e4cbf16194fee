import { mapPrices, rateString, versionsOfModel, type GenaiModel } from './genai-prices.js';
import { compileMatch, equalsNames, unsafePattern } from './match-rules.js';
import { planSeed } from './seed-plan.js';

const base = new Date('2020-01-01T00:00:00Z');

describe('genai-prices mapper', () => {
  it.each<[number, string]>([
    [0.1, '0.1'],
    [3.75, '3.75'],
    [0.01875, '0.01875'],
    [1e-7, '0.0000001'],
  ])('rate %s → exact decimal "%s" (shortest round trip, no float arithmetic)', (n, s) => expect(rateString(n)).toBe(s));

  it('tiers: start 200000 → aboveInputTokens 200000 (both "strictly above"); untiered keys keep their flat rate in the tier', () => {
    const m = mapPrices({ input_mtok: { base: 3, tiers: [{ start: 200000, price: 6 }] }, output_mtok: { base: 15, tiers: [{ start: 200000, price: 22.5 }] }, cache_read_mtok: 0.3, cache_write_1h_mtok: { base: 6, tiers: [{ start: 200000, price: 12 }] } });
    expect('rates' in m && m.rates.tiers).toEqual([{ aboveInputTokens: 200000, inputPerMTok: '6', outputPerMTok: '22.5', cachedInputPerMTok: '0.3', cacheWrite1hPerMTok: '12' }]);
  });

  it('modality and cache classes map to their columns; per-search fees and image output are left out with a reason', () => {
    const m = mapPrices({ input_mtok: 0.3, output_mtok: 2.5, input_audio_mtok: 1, cache_audio_read_mtok: 0.1, output_image_mtok: 30, web_searches_kcount: 10 });
    expect(m).toMatchObject({ rates: { inputAudioPerMTok: '1', cachedInputAudioPerMTok: '0.1', inputPerMTok: '0.3' }, ignored: ['output_image_mtok (image output tokens)', 'web_searches_kcount (per-search fee)'] });
  });

  it('a model without an output token price (embeddings) is not seeded', () => {
    expect(mapPrices({ input_mtok: 0.02 })).toEqual({ error: expect.stringContaining('no output_mtok') });
  });

  it('start-dated prices become versions [from, next from); time-of-day entries are skipped with a reason', () => {
    const model: GenaiModel = {
      id: 'm',
      match: { equals: 'm' },
      prices: [
        { prices: { input_mtok: 1, output_mtok: 2 } },
        { constraint: { type: 'time_of_date', start_time: '00:30:00Z', end_time: '08:30:00Z' }, prices: { input_mtok: 0.5, output_mtok: 1 } },
        { constraint: { type: 'start_date', start_date: '2026-03-13' }, prices: { input_mtok: 3, output_mtok: 4 } },
      ],
    };
    const { versions, skips } = versionsOfModel('p', 'm', model, { source: 'genai-prices@0.1.8', baseFrom: base });
    expect(versions.map((v) => [v.effectiveFrom.toISOString(), v.effectiveTo?.toISOString() ?? null, v.inputPerMTok])).toEqual([
      ['2020-01-01T00:00:00.000Z', '2026-03-13T00:00:00.000Z', '1'],
      ['2026-03-13T00:00:00.000Z', null, '3'],
    ]);
    expect(skips[0].reason).toContain('time of day');
  });
});

describe('match rules', () => {
  it('string rules are case-insensitive; equals names are aliases', () => {
    const rule = { or: [{ starts_with: 'claude-sonnet-4-6' }, { equals: 'Claude-X' }] } as const;
    expect(compileMatch(rule).test('claude-sonnet-4-6-20260101')).toBe(true);
    expect(equalsNames(rule)).toEqual(['claude-x']);
  });

  it.each(['(a+)+$', '(a|aa)*b', '(x\\w*)+y', '^(\\d+)\\1$'])('refuses the catastrophic pattern %s', (p) => {
    expect(unsafePattern(p)).not.toBeNull();
    expect(compileMatch({ regex: p }).test('a'.repeat(40) + '!')).toBe(false);
  });

  it('runs the package patterns it ships (^gpt-5\\.6-sol-\\d{4}-\\d{2}-\\d{2}$, negative lookahead) and never on names over 256 characters', () => {
    expect(compileMatch({ regex: '^gpt-5\\.6-sol-\\d{4}-\\d{2}-\\d{2}$' }).test('gpt-5.6-sol-2026-08-21')).toBe(true);
    expect(compileMatch({ and: [{ starts_with: 'gemini-2.5-pro' }, { regex: '^(?!.*-[tT][tT][sS](?:$|-))' }] }).test('gemini-2.5-pro-preview-tts')).toBe(false);
    expect(compileMatch({ regex: 'a' }).test('a'.repeat(300))).toBe(false);
  });
});

describe('seed plan (append-only)', () => {
  const v = (from: string, input: string, to: string | null = null) => ({
    provider: 'p', modelId: 'm', kind: 'closed' as const, contextTokens: null, source: 'genai-prices@0.1.8', note: null,
    effectiveFrom: new Date(from), effectiveTo: to ? new Date(to) : null, inputPerMTok: input, outputPerMTok: '10',
    cachedInputPerMTok: null, cacheWritePerMTok: null, cacheWrite1hPerMTok: null, inputAudioPerMTok: null, cachedInputAudioPerMTok: null,
    outputAudioPerMTok: null, inputImagePerMTok: null, inputVideoPerMTok: null, tiers: [],
  });
  const now = new Date('2026-12-01T00:00:00Z');

  it('a new model gets every version; planning again against the result plans nothing', () => {
    const want = [v('2020-01-01', '1', '2026-03-13'), v('2026-03-13', '2')];
    const first = planSeed(want, [], now);
    expect(first.inserts).toHaveLength(2);
    expect(planSeed(want, first.inserts, now)).toEqual({ inserts: [], closes: [], log: [] });
  });

  it('a newer package with a new dated version appends it and closes the open stored row; the stored rate is untouched', () => {
    const stored = [v('2020-01-01', '1')];
    const plan = planSeed([v('2020-01-01', '1', '2027-01-01'), v('2027-01-01', '0.5')], stored, now);
    expect(plan.inserts.map((i) => [i.effectiveFrom.toISOString(), i.inputPerMTok])).toEqual([['2027-01-01T00:00:00.000Z', '0.5']]);
    expect(plan.closes).toEqual([{ provider: 'p', modelId: 'm', effectiveFrom: new Date('2020-01-01'), effectiveTo: new Date('2027-01-01') }]);
  });

  it('a corrected current price (1 → 1.25) is a new version from now: history is not rewritten, past events keep their price', () => {
    const plan = planSeed([v('2020-01-01', '1.25')], [v('2020-01-01', '1')], now);
    expect(plan.inserts.map((i) => [i.effectiveFrom.toISOString(), i.inputPerMTok])).toEqual([[now.toISOString(), '1.25']]);
    expect(plan.inserts[0].note).toContain('inputPerMTok 1→1.25');
  });
});
