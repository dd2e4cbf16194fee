import { referenceEconomicsCatalog } from '../../../test/builders/reference.js';
import { DEFAULT_ASSUMPTIONS, mergeAssumptions } from './assumptions.js';
import { estimateEconomics, type EconomicsInput, type EconomicsResult } from './estimate.js';
import type { HourlyTokens } from './load.js';
import type { Catalog, ThroughputPoint } from './types.js';

const catalog = referenceEconomicsCatalog();

// 70B fp8 on H100/H200 replacing gpt-4o: 2B input + 500M output a month, 4k tokens per request.
const base: EconomicsInput = {
  openModelIds: ['llama-3.3-70b-instruct'],
  precision: 'fp8',
  gpu: ['H100-80GB-SXM', 'H200-141GB-SXM'],
  monthly: { inputTokens: 2e9, outputTokens: 5e8 },
  avgTokensPerRequest: 4000,
  current: { modelId: 'gpt-4o' },
};

describe('estimateEconomics: llama-3.3-70b fp8 vs gpt-4o at 2B in / 500M out per month', () => {
  const r = estimateEconomics(base, catalog);
  const [h200, h100] = r.options;

  it('today on gpt-4o: 2,000M x $2.50 + 500M x $10 = $10,000/month (list price)', () => {
    expect(r.current.monthlyCostUsd?.toFixed()).toBe('10000');
    expect(r.current.basis).toBe('list-price');
  });

  it('load: (500M out + 0.1 x 2B in) / (730 h x 3,600 s) = 266.36 tok/s average, x2 peak-to-average = 532.72', () => {
    expect(r.load.averageTokPerSec).toBeCloseTo(266.362, 3);
    expect(r.load.peakTokPerSec).toBeCloseTo(532.725, 3);
    expect(r.load.p95ContextTokens).toBe(8000);
  });

  it.each<[string, () => unknown, unknown]>([
    ['cheapest first: H200 before H100', () => r.options.map((o) => o.gpuId), ['H200-141GB-SXM', 'H100-80GB-SXM']],
    ['H200 TP 1 (70 + 16x8,000 x 327,680 B = 41.94 + 2 = 113.94 GB per GPU)', () => [h200?.tensorParallel, Number(h200?.memoryPerGpu.totalGB.toFixed(2))], [1, 113.94]],
    ['H200 capacity: measured TRT-LLM 5000/500 point (closest to 4:1) 566 tok/s, x (1 + 0.1 x 10) = 1,132 output-equivalent', () => [h200?.capacity.source, h200?.capacity.tokensPerSec, h200?.capacity.outputEquivalentTokensPerSec], ['measured', 566, 1132]],
    ['H200: 532.7 / (1,132 x 0.6) = 0.78 → 1 + 1 spare = 2 replicas, 2 GPUs, 1,460 GPU-h', () => [h200?.replicas, h200?.gpuCount, h200?.gpuHoursPerMonth], [2, 2, 1460]],
    ['H200 TCO: 1,460 x $10.60 = $15,476 + $7,500 people + $1,547.60 overhead = $24,523.60', () => [h200?.gpuCostUsd.toFixed(), h200?.peopleCostUsd.toFixed(), h200?.overheadUsd.toFixed(), h200?.tcoUsd.toFixed()], ['15476', '7500', '1547.6', '24523.6']],
    ['H200 cost per 1M tokens: $24,523.60 / 2,500M = $9.80944', () => h200?.costPerMTokUsd?.toFixed(), '9.80944'],
    ['H200 utilisation achieved: 266.36 / (1,132 x 2) = 11.8%', () => Number(h200?.utilisation.toFixed(4)), 0.1177],
    ['H200 vs today: $10,000 - $24,523.60 = -$14,523.60, break-even null', () => [h200?.vsCurrent?.monthlySavingsUsd.toFixed(), h200?.vsCurrent?.breakEvenMonths], ['-14523.6', null]],
    ['H100 TP 2 with NIM c=25 point 623.4 tok/s (closest to 16 sequences at 5000/500)', () => [h100?.tensorParallel, h100?.capacity.tokensPerSec, h100?.capacity.point?.source], [2, 623.4, 'nim_bench']],
    ['H100: 2 replicas x 2 GPUs x 730 h = 2,920 GPU-h x $12.29 = $35,886.80 → TCO $46,975.48', () => [h100?.gpuHoursPerMonth, h100?.tcoUsd.toFixed()], [2920, '46975.48']],
  ])('%s', (_name, get, expected) => {
    expect(get()).toEqual(expected);
  });

  it.each<[string, number, string, string, number]>([
    ['deepinfra $0.13/$0.39: 2,000 x 0.13 + 500 x 0.39 = $455, pays back $13,846.15 in 1.45 months', 0, 'deepinfra', '455', 1.4506],
    ['groq $0.59/$0.79: 1,180 + 395 = $1,575', 1, 'groq', '1575', 1.6435],
    ['together $0.88/$0.88: 2,500 x 0.88 = $2,200', 2, 'together_ai', '2200', 1.7751],
    ['fireworks $0.90/$0.90: 2,500 x 0.9 = $2,250', 3, 'fireworks_ai', '2250', 1.7866],
  ])('managed open API %s', (_name, i, provider, usd, months) => {
    const m = r.managedOpen[i];
    expect(m?.provider).toBe(provider);
    expect(m?.monthlyCostUsd.toFixed()).toBe(usd);
    expect(m?.vsCurrent?.breakEvenMonths).toBeCloseTo(months, 4);
  });

  it('cheaper closed models: 13 below $10,000, cheapest gpt-5-nano 2,000 x $0.05 + 500 x $0.40 = $300; no gpt-4o, opus or sonnet', () => {
    expect(r.cheaperClosed).toHaveLength(13);
    expect([r.cheaperClosed[0]?.model, r.cheaperClosed[0]?.monthlyCostUsd.toFixed()]).toEqual(['gpt-5-nano', '300']);
    const names = r.cheaperClosed.map((c) => c.model);
    expect(names).not.toContain('gpt-4o');
    expect(names.some((n) => /opus|sonnet/.test(n))).toBe(false);
  });

  it('crossover: API at $4/1M ($10,000 / 2.5B); H200 x5 replicas = 3,650 GPU-h x $10.60 x 1.1 + $7,500 = $50,059 → 50,059 / 4e-6 = 12.51B tokens/month', () => {
    expect(r.crossover.monthlyTokens).not.toBeNull();
    if (r.crossover.monthlyTokens === null) return;
    expect(r.crossover.monthlyTokens / 12_514_750_000).toBeCloseTo(1, 6);
    expect(r.crossover.selfHostCostUsd.toFixed()).toBe('50059');
    expect(r.crossover.option).toEqual({ optionId: 'llama-3.3-70b-instruct|H200-141GB-SXM|fp8', replicas: 5 });
    expect(r.crossover.selfHostCostUsd.lte(r.crossover.apiCostUsd)).toBe(true);
  });

  it.each<[string, string, string]>([
    ['base: H200 $24,523.60 vs $10,000 → -$14,523.60', 'base', '-14523.6'],
    ['volume x5: $50,000 vs H200 x5 replicas $50,059 → -$59', 'volume x5', '-59'],
    ['gpu price x0.5: 1,460 x $5.30 x 1.1 + $7,500 = $16,011.80 → -$6,011.80', 'gpu price x0.5', '-6011.8'],
    ['gpu price x1.5: 1,460 x $15.90 x 1.1 + $7,500 = $33,035.40 → -$23,035.40', 'gpu price x1.5', '-23035.4'],
  ])('sensitivity %s', (_name, scenario, savings) => {
    const row = r.sensitivity.find((s) => s.scenario === scenario);
    expect(row?.monthlySavingsUsd?.toFixed()).toBe(savings);
    expect(row?.breakEvenMonths).toBeNull();
  });

  it.each<[string, string, string | null]>([
    ['gpu.H200-141GB-SXM.onDemandUsdPerHour', 'reference', 'gpu_specs_b'],
    ['capacity.llama-3.3-70b-instruct|H200-141GB-SXM|fp8', 'reference', 'trtllm_perf'],
    ['capacity.llama-3.3-70b-instruct|H100-80GB-SXM|fp8', 'reference', 'nim_bench'],
    ['current.price', 'reference', 'litellm_main_mirror'],
    ['model.llama-3.3-70b-instruct.architecture', 'reference', 'llama_arch'],
    ['workload.avgTokensPerRequest', 'request', null],
    ['workload.p95ContextTokens', 'default', null],
    ['engineerMonthlyCostUsd', 'default', null],
    ['prefillCostFactor', 'default', null],
  ])('assumption %s comes from %s (%s)', (key, origin, sourceId) => {
    const rec = r.assumptions.find((x) => x.key === key);
    expect(rec?.origin).toBe(origin);
    if (sourceId !== null) expect(rec?.sourceId).toBe(sourceId);
  });
});

describe('estimateEconomics: variations', () => {
  it('10x volume (20B in / 5B out, today $100,000): H200 5,327 / 679.2 = 7.84 → 8 + 1 = 9 replicas, 6,570 GPU-h → $84,106.20, saves $15,893.80, pays back in 0.87 months', () => {
    const r = estimateEconomics({ ...base, monthly: { inputTokens: 2e10, outputTokens: 5e9 } }, catalog);
    const o = r.options[0];
    expect([o?.gpuId, o?.replicas, o?.gpuHoursPerMonth, o?.tcoUsd.toFixed()]).toEqual(['H200-141GB-SXM', 9, 6570, '84106.2']);
    expect(o?.vsCurrent?.monthlySavingsUsd.toFixed()).toBe('15893.8');
    expect(o?.vsCurrent?.breakEvenMonths).toBeCloseTo(13846.1538 / 15893.8, 4);
  });

  it('org H100 price $3.29 (Lambda): 2,920 GPU-h x $3.29 x 1.1 + $7,500 = $18,067.48 now beats H200 $24,523.60; origin org', () => {
    const a = mergeAssumptions(DEFAULT_ASSUMPTIONS, { gpuPriceOverrides: { 'H100-80GB-SXM': { onDemand: '3.29' } } });
    const r = estimateEconomics(base, catalog, a);
    expect([r.options[0]?.gpuId, r.options[0]?.tcoUsd.toFixed()]).toEqual(['H100-80GB-SXM', '18067.48']);
    expect(r.assumptions.find((x) => x.key === 'gpu.H100-80GB-SXM.onDemandUsdPerHour')?.origin).toBe('org');
  });

  it('team maturity strong (request): people 0.25 x $15,000 = $3,750 → H200 $15,476 + $3,750 + $1,547.60 = $20,773.60', () => {
    const r = estimateEconomics(base, catalog, mergeAssumptions(DEFAULT_ASSUMPTIONS, null, { teamMaturity: 'strong' }));
    expect(r.options[0]?.tcoUsd.toFixed()).toBe('20773.6');
    expect(r.assumptions.find((x) => x.key === 'teamMaturity')?.origin).toBe('request');
  });

  it('spot tier: H200 midpoint ($1.9365 + $2.1551) / 2 = $2.0458 x 1,460 = $2,986.868 x 1.1 + $7,500 = $10,785.5548', () => {
    const r = estimateEconomics(base, catalog, mergeAssumptions(DEFAULT_ASSUMPTIONS, null, { priceTier: 'spot' }));
    expect(r.options[0]?.tcoUsd.toFixed()).toBe('10785.5548');
  });

  it('fine-tuning adds 4 weeks: migration 8 x $3,461.54 = $27,692.31; deepinfra pays back in 27,692.31 / 9,545 = 2.90 months', () => {
    const r = estimateEconomics(base, catalog, mergeAssumptions(DEFAULT_ASSUMPTIONS, null, { fineTune: true }));
    expect(r.migration.selfHostWeeks).toBe(8);
    expect(r.migration.selfHostUsd.toDecimalPlaces(2).toFixed()).toBe('27692.31');
    expect(r.managedOpen[0]?.vsCurrent?.breakEvenMonths).toBeCloseTo(2.9012, 4);
  });

  it('committed tier with no committed prices in the reference → every option infeasible with a reason, crossover null', () => {
    const r = estimateEconomics(base, catalog, mergeAssumptions(DEFAULT_ASSUMPTIONS, null, { priceTier: 'committed' }));
    expect(r.options).toHaveLength(0);
    expect(r.infeasible.every((i) => /no committed price/.test(i.reason))).toBe(true);
    expect(r.crossover).toEqual({ monthlyTokens: null, reason: 'no feasible self-host option' });
  });

  it('llama-3.1-405b bf16 on H100 at 16x8,000: (810 + 66.06 GB) / 70 = 12.5 → multi-node, needs 13 GPUs', () => {
    const r = estimateEconomics({ ...base, openModelIds: ['llama-3.1-405b-instruct'], precision: 'bf16', gpu: 'H100-80GB-SXM' }, catalog);
    expect(r.options).toHaveLength(0);
    expect(r.infeasible[0]).toMatchObject({ modelId: 'llama-3.1-405b-instruct', gpuId: 'H100-80GB-SXM', gpusNeeded: 13 });
  });

  it('actual spend $12,000 overrides the $10,000 list price; H200 saves -$12,523.60', () => {
    const r = estimateEconomics({ ...base, current: { modelId: 'gpt-4o', actualMonthlySpendUsd: '12000' } }, catalog);
    expect([r.current.basis, r.current.monthlyCostUsd?.toFixed(), r.current.listPriceCostUsd?.toFixed()]).toEqual(['actual-spend', '12000', '10000']);
    expect(r.options[0]?.vsCurrent?.monthlySavingsUsd.toFixed()).toBe('-12523.6');
  });

  it('unknown current model and unknown open model → unpriced current, infeasible "model not in catalog", no crossover', () => {
    const r = estimateEconomics({ ...base, openModelIds: ['llama-9-1t'], current: { modelId: 'secret-model' } }, catalog);
    expect(r.current.monthlyCostUsd).toBeNull();
    expect(r.infeasible).toEqual([{ modelId: 'llama-9-1t', gpuId: null, precision: null, reason: 'model not in catalog' }]);
    expect(r.crossover.monthlyTokens).toBeNull();
    expect(r.cheaperClosed).toHaveLength(0);
  });

  it('default precisions for gpt-oss-120b on H100 add its native mxfp4: 62.16 GB + 16x4,000 x 73,728 B = 4.72 GB + 2 = 68.9 GB fits TP 1', () => {
    const r = estimateEconomics({ ...base, avgTokensPerRequest: 2000, openModelIds: ['gpt-oss-120b'], precision: undefined, gpu: 'H100-80GB-SXM' }, catalog);
    const mx = r.options.find((o) => o.precision === 'mxfp4');
    expect(mx?.tensorParallel).toBe(1);
    expect(r.options.map((o) => o.precision).sort()).toEqual(['bf16', 'fp8', 'mxfp4']);
  });

  it('gpt-oss-120b mxfp4 at 16x8,000 uses the full-attention KV upper bound: 62.16 + 9.44 + 2 = 73.6 GB > 72 → TP 2 on H100', () => {
    const r = estimateEconomics({ ...base, openModelIds: ['gpt-oss-120b'], precision: 'mxfp4', gpu: 'H100-80GB-SXM' }, catalog);
    expect(r.options[0]?.tensorParallel).toBe(2);
  });

  it('negative output tokens are treated as 0 and cached > input is clamped, both reported as issues', () => {
    const r = estimateEconomics({ ...base, monthly: { inputTokens: 1e9, outputTokens: -5, cachedInputTokens: 2e9 } }, catalog);
    expect(r.issues.join(' ')).toMatch(/negative monthly tokens/);
    expect(r.issues.join(' ')).toMatch(/cachedInputTokens exceeds inputTokens/);
    // 1B cached x $1.25 = $1,250 (all input cached, no output).
    expect(r.current.monthlyCostUsd?.toFixed()).toBe('1250');
  });
});

describe('estimateEconomics: encoders', () => {
  it('bert-base for 1B classification tokens (0 output) on L4: 0.1 x 1B / 2,628,000 s = 38 tok/s vs 22,000 capacity → 2 replicas x 730 h x $0.8048 x 1.1 + $7,500 = $8,792.5088', () => {
    const r = estimateEconomics(
      { openModelIds: ['bert-base-uncased'], precision: 'bf16', gpu: 'L4-24GB', monthly: { inputTokens: 1e9, outputTokens: 0 }, avgTokensPerRequest: 256, current: { modelId: 'gpt-4o-mini' } },
      catalog,
    );
    const o = r.options[0];
    expect([o?.capacity.basis, o?.replicas, o?.tcoUsd.toFixed()]).toEqual(['compute-roofline', 2, '8792.5088']);
    expect(r.current.monthlyCostUsd?.toFixed()).toBe('150');
  });

  it('bert-base cannot serve a generative workload (500M output tokens) → infeasible with a reason', () => {
    const r = estimateEconomics({ ...base, openModelIds: ['bert-base-uncased'], precision: 'bf16' }, catalog);
    expect(r.options).toHaveLength(0);
    expect(r.infeasible[0]?.reason).toMatch(/generates no tokens/);
  });
});

describe('estimateEconomics: hourly series and scaling', () => {
  // One GPU type, one measured point: 1,000 output tok/s per L4, no ISL/OSL so no prefill credit.
  const point: ThroughputPoint = {
    model: 'llama-3.1-8b-instruct',
    modelId: 'llama-3.1-8b-instruct',
    gpu: 'L4-24GB',
    count: 1,
    precision: 'bf16',
    outputTokPerSec: 1000,
    concurrency: 'saturated',
    engine: 'test',
    source: 'test_point',
    islOsl: null,
  };
  const small: Catalog = { ...catalog, gpus: catalog.gpus.filter((g) => g.id === 'L4-24GB'), throughput: [point] };
  // 12 busy hours at 1,200 output tok/s and 12 idle hours: 600 tok/s average = 1,576.8M output tokens per 730 h.
  const hourly: HourlyTokens[] = Array.from({ length: 7 * 24 }, (_, i) => ({ inputTokens: 0, outputTokens: i % 24 >= 8 && i % 24 < 20 ? 4_320_000 : 0 }));
  const input: EconomicsInput = {
    openModelIds: ['llama-3.1-8b-instruct'],
    precision: 'bf16',
    monthly: { inputTokens: 0, outputTokens: 1_576_800_000 },
    avgTokensPerRequest: 1000,
    hourly,
    current: { price: { inputPerMTok: '0.5', outputPerMTok: '1.5' } },
  };

  it.each<[string, 'always-on' | 'scaled', number, number, string, number]>([
    ['always-on: p95 1,200 / 600 = 2 + 1 = 3 replicas x 730 h = 2,190 GPU-h x $0.8048 x 1.1 + $7,500 = $9,438.7632', 'always-on', 3, 2190, '9438.7632', 0.2],
    ['scaled: (12 h x 3 + 12 h x 2) / 24 = 2.5 avg replicas x 730 = 1,825 GPU-h x $0.8048 x 1.1 + $7,500 = $9,115.636', 'scaled', 3, 1825, '9115.636', 0.24],
  ])('%s', (_name, scaling, replicas, gpuHours, tco, util) => {
    const r = estimateEconomics(input, small, mergeAssumptions(DEFAULT_ASSUMPTIONS, null, { scaling, concurrentSequencesPerReplica: 4 }));
    const o = r.options[0];
    expect(r.load.shape).toBe('hourly');
    expect([o?.scaling, o?.replicas, o?.gpuHoursPerMonth, o?.tcoUsd.toFixed()]).toEqual([scaling, replicas, gpuHours, tco]);
    expect(o?.utilisation).toBeCloseTo(util, 9);
  });

  it('request price $1.50/1M output: 1,576.8M x $1.50 = $2,365.20 today', () => {
    const r = estimateEconomics(input, small);
    expect(r.current.monthlyCostUsd?.toFixed()).toBe('2365.2');
    expect(r.assumptions.find((a) => a.key === 'current.price')?.origin).toBe('request');
  });

  it('16 sequences x 2,000 tokens x 131,072 B = 4.19 GB KV + 16 GB + 2 GB = 22.2 GB > 21.6 on one L4 → TP 2 with default concurrency', () => {
    const r: EconomicsResult = estimateEconomics(input, small);
    expect(r.options[0]?.tensorParallel).toBe(2);
  });

  it('scaled without an hourly series falls back to always-on and says so', () => {
    const r = estimateEconomics({ ...input, hourly: undefined }, small, mergeAssumptions(DEFAULT_ASSUMPTIONS, null, { scaling: 'scaled' }));
    expect(r.options[0]?.scaling).toBe('always-on');
    expect(r.issues.join(' ')).toMatch(/needs an hourly series/);
  });
});
