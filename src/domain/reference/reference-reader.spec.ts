import { referenceData } from '../../../test/builders/reference.js';
import { readReference } from './reference-reader.js';

const closed = (over: Record<string, unknown> = {}) => ({ id: 'm', provider: 'p', inputPerMTok: 1, outputPerMTok: 2, tier: 'mid', source: 's', ...over });

describe('readReference: the shipped file (src/reference/economics.json)', () => {
  it('reads every entry: 19 closed, 51 managed, 18 + 16 open, 7 GPUs, 53 throughput points, 12 routing results, no gaps', () => {
    const r = referenceData;
    expect([r.closedModels, r.managedOpenApis, r.openModels, r.seedModels, r.gpus, r.throughput, r.routingResults].map((s) => s.length)).toEqual([
      19, 51, 18, 16, 7, 53, 12,
    ]);
    expect(r.gaps).toEqual([]);
  });

  it.each<[string, string, string, string | null, string | null, string]>([
    ['gpt-4o', '2.5', '10', '1.25', null, 'litellm_main_mirror'],
    ['gpt-5-nano', '0.05', '0.4', '0.005', null, 'litellm_main_mirror'],
    ['claude-sonnet-4.5', '3', '15', '0.3', '3.75', 'litellm_main_mirror'],
    ['claude-3.5-haiku', '0.8', '4', '0.08', '1', 'litellm_2025_09'],
    ['gemini-2.5-flash-lite', '0.1', '0.4', '0.01', null, 'litellm_main_mirror'],
  ])('%s: $%s / $%s, cached %s, cache write %s per 1M as decimal strings, source %s', (id, input, output, cached, write, source) => {
    expect(referenceData.closedModels.find((m) => m.id === id)).toMatchObject({
      inputPerMTok: input,
      outputPerMTok: output,
      cachedInputPerMTok: cached,
      cacheWritePerMTok: write,
      source,
    });
  });

  it.each<[string, string, string | null]>([
    ['claude-sonnet-4', 'frontier', 'claude-sonnet-4-20250514'],
    ['gpt-4o', 'mid', 'gpt-4o'],
    ['gemini-2.5-flash-lite', 'small', 'gemini/gemini-2.5-flash-lite'],
  ])('%s: tier %s, filed by the price source as %s', (id, tier, sourceKey) => {
    expect(referenceData.closedModels.find((m) => m.id === id)).toMatchObject({ tier, sourceKey });
  });

  it('managed offers: one provider spelling ("together_ai" and "Together" → together), model id lower-cased, the listing kept', () => {
    const turbo = referenceData.managedOpenApis.find((m) => m.listed.model === 'meta-llama/Llama-3.3-70B-Instruct-Turbo' && m.listed.provider === 'together_ai');
    expect(turbo).toMatchObject({ provider: 'together', modelId: 'meta-llama/llama-3.3-70b-instruct-turbo', inputPerMTok: '0.88', outputPerMTok: '0.88' });
    const prose = referenceData.managedOpenApis.find((m) => m.listed.provider === 'Together' && m.listed.model === 'Llama 3.1 8B instruct');
    expect(prose).toMatchObject({ provider: 'together', modelId: 'llama 3.1 8b instruct', asOf: '2024-08', source: 'arc53_compass' });
  });

  it('H100: spot published as a range [2.6242, 3.7908] USD/GPU-hour, on-demand 12.29, no reserved price', () => {
    expect(referenceData.gpus.find((g) => g.id === 'H100-80GB-SXM')?.hourlyUsd).toMatchObject({
      onDemand: '12.29',
      spot: null,
      spotRange: ['2.6242', '3.7908'],
      reserved1y: null,
    });
  });

  it('a throughput point is keyed by its published fields (absent ones spelled "undefined", as stored facts are keyed)', () => {
    expect(referenceData.throughput.map((t) => t.key)).toContain(
      'Mistral-7B-Instruct-v0.3|A100-80GB-SXM|1|bf16|vLLM 0.5.4|undefined|320 prompts sent at once (vLLM batches up to its limits)',
    );
    expect(new Set(referenceData.throughput.map((t) => t.key)).size).toBe(53);
  });
});

describe('readReference: entries it leaves out, and why', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['missing outputPerMTok', closed({ outputPerMTok: undefined }), 'missing id, provider, inputPerMTok or outputPerMTok'],
    ['a negative price', closed({ inputPerMTok: -1 }), 'missing id, provider, inputPerMTok or outputPerMTok'],
    ['a price as a string', closed({ inputPerMTok: '1' }), 'missing id, provider, inputPerMTok or outputPerMTok'],
    ['no source id', closed({ source: null }), 'no source id'],
    [
      'longContextPricing without threshold',
      closed({ longContextPricing: { inputPerMTok: 2, outputPerMTok: 4 } }),
      'longContextPricing lacks thresholdTokens, inputPerMTok or outputPerMTok',
    ],
  ])('a closed model with %s', (_name, row, reason) => {
    const r = readReference({ closedModels: [row] });
    expect(r.closedModels).toEqual([]);
    expect(r.gaps).toEqual([{ section: 'closedModels', id: 'm', reason }]);
  });

  it('a closed model without a tier is kept (the planner reads it as mid) and reported', () => {
    const r = readReference({ closedModels: [closed({ tier: undefined })] });
    expect(r.closedModels[0].tier).toBeNull();
    expect(r.gaps).toEqual([{ section: 'closedModels', id: 'm', reason: expect.stringMatching(/not frontier, mid or small/) }]);
  });

  it('a managed offer without a price', () => {
    const r = readReference({ managedOpenApis: [{ provider: 'groq', model: 'x', inputPerMTok: null, outputPerMTok: 1, source: 's' }] });
    expect(r.managedOpenApis).toEqual([]);
    expect(r.gaps).toEqual([{ section: 'managedOpenApis', id: 'groq/x', reason: 'missing provider, model, inputPerMTok or outputPerMTok' }]);
  });

  it('anything that is not the file shape reads as empty', () => {
    for (const raw of [null, 42, [], { closedModels: 'none' }]) expect(readReference(raw).closedModels).toEqual([]);
  });

  it('JSON numbers convert via their shortest spelling: 0.3 → "0.3" (not 0.299999…), 1e-7 → "0.0000001"', () => {
    const r = readReference({ closedModels: [closed({ inputPerMTok: 0.3, outputPerMTok: 1e-7 })] });
    expect(r.closedModels[0]).toMatchObject({ inputPerMTok: '0.3', outputPerMTok: '0.0000001' });
  });
});

describe('readGpuMarket: src/reference/gpu-market.json', () => {
  const market = referenceData.gpuMarket;

  it('the shipped file: the 7 GPU ids of economics.json, no gaps, every source id resolves in one of the two files', () => {
    expect(market.gpus.map((g) => g.id).sort()).toEqual(referenceData.gpus.map((g) => g.id).sort());
    expect(referenceData.gaps).toEqual([]);
    const known = new Set([...market.sources, ...referenceData.sources].map((s) => s.id));
    const used = market.gpus.flatMap((g) => [...g.offers.map((o) => o.sourceId), g.interconnect?.sourceId, g.fp8?.sourceId]);
    expect(used.filter((id) => id !== null && id !== undefined && !known.has(id))).toEqual([]);
    expect(market.sources.filter((s) => referenceData.sources.some((e) => e.id === s.id))).toEqual([]);
  });

  it('every undated offer is stale (it cannot be placed in the market window)', () => {
    const offers = market.gpus.flatMap((g) => g.offers);
    expect(offers.filter((o) => o.asOf === null && !o.stale)).toEqual([]);
  });

  it('g6.12xlarge (4x L4) $4.6016 / 4 = "1.1504" per GPU, 4 GPUs per instance', () => {
    const o = market.gpus.find((g) => g.id === 'L4-24GB')?.offers.find((x) => x.sku.startsWith('g6.12xlarge'));
    expect(o).toMatchObject({ usdPerGpuHour: '1.1504', gpusPerInstance: 4, kind: 'onDemand', hyperscaler: true });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a price as a number', { usdPerGpuHour: 1.5 }, 'offer lacks provider, sku, kind, usdPerGpuHour (decimal string) or gpusPerInstance'],
    ['an unknown kind', { kind: 'reserved' }, 'offer lacks provider, sku, kind, usdPerGpuHour (decimal string) or gpusPerInstance'],
    ['no source id', { sourceId: null }, 'no source id'],
  ])('an offer with %s is left out and reported', (_n, over, reason) => {
    const offer = { provider: 'P', sku: 's', gpusPerInstance: 1, kind: 'onDemand', usdPerGpuHour: '1.5', sourceId: 'x', asOf: '2026-01', ...over };
    const r = readReference({}, { gpus: [{ id: 'G', interconnect: 'pcie', offers: [offer] }] });
    expect(r.gpuMarket.gpus[0]?.offers).toEqual([]);
    expect(r.gaps).toEqual([{ section: 'gpuMarket', id: 'G/P/s', reason }]);
  });

  it('a dated offer marked stale in the file stays stale; "2025-2026" is not a date (→ asOf null, stale)', () => {
    const base = { provider: 'P', sku: 's', gpusPerInstance: 1, kind: 'onDemand', usdPerGpuHour: '1', sourceId: 'x' };
    const r = readReference({}, { gpus: [{ id: 'G', offers: [{ ...base, asOf: '2026-01', stale: true }, { ...base, asOf: '2025-2026' }] }] });
    expect(r.gpuMarket.gpus[0]?.offers.map((o) => [o.asOf, o.stale])).toEqual([
      ['2026-01', true],
      [null, true],
    ]);
  });
});
