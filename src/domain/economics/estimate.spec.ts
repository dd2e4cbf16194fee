import { referenceEconomicsCatalog } from '../../../test/builders/reference.js';
import { DEFAULT_ASSUMPTIONS, mergeAssumptions } from './assumptions.js';
import { estimateEconomics, type EconomicsInput } from './estimate.js';
import type { HourlyTokens } from './load.js';
import type { Decimal } from 'decimal.js';
import { Money } from '../money.js';
import type { Catalog } from './types.js';

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
  // GPU prices come from the GPU-price catalog (another part's figures, with sources); the self-host
  // figures below are checked as arithmetic on the option's own price, so they hold whatever it is.
  const tcoOf = (gpuHours: number, usdPerGpuHour: Decimal.Value, people = 7500): string =>
    new Money(gpuHours).mul(usdPerGpuHour).mul(1.1).plus(people).toFixed();

  it('today on gpt-4o: 2,000M x $2.50 + 500M x $10 = $10,000/month (list price)', () => {
    expect(r.current.monthlyCostUsd?.toFixed()).toBe('10000');
    expect(r.current.basis).toBe('list-price');
  });

  // Capacity now serves requests of the workload's shape (the flat 0.1 "prefill cost factor" is gone):
  // load is (2B + 0.5B) / (730 h x 3,600 s) = 951.29 tok/s = 0.23782 requests/s of 4,000 tokens.
  it('load: 2.5B tokens / 2,628,000 s = 951.29 tok/s average, x2 peak-to-average = 1,902.59; p95 context 4,000 x 2 = 8,000', () => {
    expect(r.load.averageTokPerSec).toBeCloseTo(951.294, 3);
    expect(r.load.peakTokPerSec).toBeCloseTo(1902.588, 3);
    expect(r.load.p95ContextTokens).toBe(8000);
  });

  it('cheapest first: H200 before H100', () => {
    expect(r.options.map((o) => o.gpuId)).toEqual(['H200-141GB-SXM', 'H100-80GB-SXM']);
  });

  it('H200 TP 1 is refused by the default 20 s p95 target (its idle p95 for a 6,400 in / 1,600 out request is ~26 s), so TP 2', () => {
    expect(h200?.tensorParallel).toBe(2);
    expect(h200?.notes.join(' ')).toMatch(/TP 1: p95 latency \d+ ms with the replica idle exceeds the 20000 ms target/);
  });

  it('H200 TP 2 memory: 70 GB / 2 + 4 sequences (the peak\'s 3.48 in flight, rounded up) x 8,000 x 327,680 B / 2 KV shards = 5.24 GB + 2 = 42.24 GB per GPU', () => {
    expect(h200?.memoryPerGpu.weightsGB).toBe(35);
    expect(h200?.memoryPerGpu.kvCacheGB).toBeCloseTo((4 * 8000 * 327680) / 2 / 1e9, 9);
    expect(h200?.memoryPerGpu.totalGB).toBeCloseTo(42.24288, 9);
  });

  it('H200 capacity by hand from the fitted parameters: prefill 3,200 x 140 GFLOPs / (2 x 1,979 TFLOPS x etaP x speed); decode step 70 GB / (2 x 4.8 TB/s x etaD x speed) + c x (3,600 x 327,680 B / bandwidth + 140 GFLOPs / FLOPs); c where mean latency = 20 s / 2', () => {
    const f = h200!.capacity.fitted;
    const speed = f.engineFactor * f.groupFactor;
    const flops = 2 * 1979e12 * f.prefillEfficiency * speed;
    const bytes = 2 * 4.8e12 * f.decodeBandwidthEfficiency * speed;
    const prefill = (3200 * 140e9) / flops;
    const weights = 70e9 / bytes;
    const perSeq = (3600 * 327680) / bytes + 140e9 / flops;
    // L(c) = c x prefill + 800 x (weights + c x perSeq) = 10 s  →  c = (10 - 800 x weights) / (prefill + 800 x perSeq)
    const c = (10 - 800 * weights) / (prefill + 800 * perSeq);
    expect(h200?.capacity.maxConcurrency).toBeCloseTo(c, 4);
    expect(h200?.capacity.requestsPerSec).toBeCloseTo(c / 10, 4);
    expect(h200?.capacity.tokensPerSec).toBeCloseTo((c / 10) * 800, 2);
    expect(h200?.capacity.boundBy).toBe('latency');
    // With the calibrated figures this is ~12.2 sequences, ~1.22 requests/s, ~977 output tok/s.
    expect(c).toBeGreaterThan(11);
    expect(c).toBeLessThan(14);
  });

  it('H200 capacity is calibrated on its own 4 TensorRT-LLM points (measured group), with the fit shown', () => {
    expect(h200?.capacity.source).toBe('measured');
    expect(h200?.capacity.basis).toBe('calibrated-group');
    expect(h200?.capacity.calibrationPoints.map((p) => [p.source, p.gpu, p.count, p.measuredTokPerSec])).toEqual([
      ['trtllm_perf', 'H200-141GB-SXM', 1, 2909],
      ['trtllm_perf', 'H200-141GB-SXM', 1, 4336],
      ['trtllm_perf', 'H200-141GB-SXM', 1, 2003],
      ['trtllm_perf', 'H200-141GB-SXM', 1, 566],
    ]);
    expect(h200?.capacity.fitted.fittedOnPoints).toBe(31);
  });

  it('H200 replicas: peak 0.47565 req/s / (capacity x 0.6) < 1 → 1 + 1 spare = 2 replicas, 4 GPUs, 2,920 GPU-h', () => {
    expect(0.475647 / (h200!.capacity.requestsPerSec * 0.6)).toBeLessThan(1);
    expect([h200?.replicas, h200?.gpuCount, h200?.gpuHoursPerMonth]).toEqual([2, 4, 2920]);
  });

  it("H200 at peak: Little's law puts 0.47565 / 1 serving replica in flight; expected p95 below the 20 s target", () => {
    expect(h200?.capacity.concurrency).toBeGreaterThan(0);
    expect(h200?.capacity.concurrency).toBeLessThan(h200!.capacity.maxConcurrency);
    expect(h200?.capacity.expectedP95LatencyMs).toBeLessThanOrEqual(20000);
    expect(h200?.capacity.latencyTargetP95Ms).toBe(20000);
  });

  it('H200 TCO = 2,920 GPU-h x its price x 1.1 overhead + $7,500 people; utilisation 0.23782 / (2 x capacity)', () => {
    expect(h200?.tcoUsd.toFixed()).toBe(tcoOf(2920, h200!.hourlyPriceUsd));
    expect(h200?.price.usdPerGpuHour.toFixed()).toBe(h200?.hourlyPriceUsd.toFixed());
    expect(h200?.price.sourceIds.length).toBeGreaterThan(0);
    expect(h200?.utilisation).toBeCloseTo(0.237823 / (2 * h200!.capacity.requestsPerSec), 5);
  });

  it('H100 needs TP 4 for the latency target (TP 2 idle p95 over 20 s), 2 replicas x 4 GPUs = 5,840 GPU-h', () => {
    expect([h100?.tensorParallel, h100?.replicas, h100?.gpuHoursPerMonth]).toEqual([4, 2, 5840]);
    expect(h100?.tcoUsd.toFixed()).toBe(tcoOf(5840, h100!.hourlyPriceUsd));
    expect(h100?.capacity.calibrationPoints.every((p) => p.source === 'trtllm_perf')).toBe(true);
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

  it('crossover: API at $4/1M ($10,000 / 2.5B); the self-host option found costs no more than the API at that volume', () => {
    expect(r.crossover.monthlyTokens).not.toBeNull();
    if (r.crossover.monthlyTokens === null) return;
    expect(r.crossover.monthlyTokens).toBeGreaterThan(2.5e9);
    expect(r.crossover.selfHostCostUsd.lte(r.crossover.apiCostUsd)).toBe(true);
  });

  it.each<[string, string, number, number]>([
    ['base: savings = $10,000 - H200 TCO', 'base', 1, 1],
    ['gpu price x0.5: $10,000 - (2,920 x price x 0.5 x 1.1 + $7,500)', 'gpu price x0.5', 1, 0.5],
    ['gpu price x1.5: $10,000 - (2,920 x price x 1.5 x 1.1 + $7,500)', 'gpu price x1.5', 1, 1.5],
  ])('sensitivity %s', (_name, scenario, volume, price) => {
    const row = r.sensitivity.find((x) => x.scenario === scenario);
    const tco = new Money(tcoOf(2920, h200!.hourlyPriceUsd.mul(price)));
    expect(row?.monthlySavingsUsd?.toFixed()).toBe(new Money(10000).mul(volume).minus(tco).toFixed());
  });

  it('assumption records: GPU price with its sources and date, capacity with its calibration source, the latency target as a default', () => {
    const rec = (k: string) => r.assumptions.find((x) => x.key === k);
    const price = rec(`gpu.H200-141GB-SXM.${h200!.priceTier}UsdPerHour`);
    expect(price?.origin).toBe('reference');
    expect(price?.sourceId).toBe(h200?.price.sourceIds[0]);
    expect(price?.note).toMatch(/as of /);
    expect(rec('capacity.llama-3.3-70b-instruct|H200-141GB-SXM|fp8')).toMatchObject({ origin: 'reference', sourceId: 'trtllm_perf' });
    expect(rec('capacity.llama-3.3-70b-instruct|H100-80GB-SXM|fp8')).toMatchObject({ origin: 'reference', sourceId: 'trtllm_perf' });
    expect(rec('workload.latencyTargetP95Ms')).toMatchObject({ value: 20000, origin: 'default' });
  });

  it.each<[string, string, string | null]>([
    ['current.price', 'reference', 'litellm_main_mirror'],
    ['model.llama-3.3-70b-instruct.architecture', 'reference', 'llama_arch'],
    ['workload.avgTokensPerRequest', 'request', null],
    ['workload.p95ContextTokens', 'default', null],
    ['engineerMonthlyCostUsd', 'default', null],
  ])('assumption %s comes from %s (%s)', (key, origin, sourceId) => {
    const rec = r.assumptions.find((x) => x.key === key);
    expect(rec?.origin).toBe(origin);
    if (sourceId !== null) expect(rec?.sourceId).toBe(sourceId);
  });
});

describe('estimateEconomics: variations', () => {
  // The degree is the cheapest at the volume: at TP 2 (1.13 req/s per replica) 4.7565 req/s needs 7 + 1 = 8 replicas
  // = 16 GPUs; at TP 4 a replica serves ~4.47 req/s (weights split four ways leave KV room for far more sequences),
  // so ceil(4.7565 / (4.47 x 0.6)) = 2 + 1 = 3 replicas = 12 GPUs at the same price per GPU-hour.
  it('10x volume (20B in / 5B out): H200 moves to TP 4, 2 + 1 = 3 replicas (12 GPUs) instead of TP 2 x 8 replicas (16 GPUs)', () => {
    const r = estimateEconomics({ ...base, monthly: { inputTokens: 2e10, outputTokens: 5e9 } }, catalog);
    const o = r.options.find((x) => x.gpuId === 'H200-141GB-SXM');
    const serving = Math.ceil(4.756469 / (o!.capacity.requestsPerSec * 0.6));
    expect(serving).toBe(2);
    expect([o?.tensorParallel, o?.replicas, o?.gpuHoursPerMonth]).toEqual([4, serving + 1, (serving + 1) * 4 * 730]);
  });

  it('a workload latency target of 60 s lets the H200 run one GPU per replica (TP 1) and more sequences each', () => {
    const r = estimateEconomics({ ...base, latencyTargetP95Ms: 60_000 }, catalog);
    const o = r.options.find((x) => x.gpuId === 'H200-141GB-SXM');
    expect(o?.tensorParallel).toBe(1);
    expect(o?.capacity.latencyTargetP95Ms).toBe(60000);
    expect(r.assumptions.find((x) => x.key === 'workload.latencyTargetP95Ms')).toMatchObject({ value: 60000, origin: 'request' });
  });

  it('org H100 price $1.00: 5,840 GPU-h x $1.00 x 1.1 + $7,500 = $13,924 now beats H200; origin org', () => {
    const tier = DEFAULT_ASSUMPTIONS.priceTier;
    const a = mergeAssumptions(DEFAULT_ASSUMPTIONS, { gpuPriceOverrides: { 'H100-80GB-SXM': { [tier]: '1.00' } } });
    const r = estimateEconomics(base, catalog, a);
    expect([r.options[0]?.gpuId, r.options[0]?.tcoUsd.toFixed()]).toEqual(['H100-80GB-SXM', '13924']);
    expect(r.assumptions.find((x) => x.key === `gpu.H100-80GB-SXM.${tier}UsdPerHour`)?.origin).toBe('org');
  });

  it('team maturity strong (request): people 0.25 x $15,000 = $3,750 → H200 2,920 x price x 1.1 + $3,750', () => {
    const r = estimateEconomics(base, catalog, mergeAssumptions(DEFAULT_ASSUMPTIONS, null, { teamMaturity: 'strong' }));
    const o = r.options[0]!;
    expect(o.tcoUsd.toFixed()).toBe(new Money(2920).mul(o.hourlyPriceUsd).mul(1.1).plus(3750).toFixed());
    expect(r.assumptions.find((x) => x.key === 'teamMaturity')?.origin).toBe('request');
  });

  it('spot tier: the option carries the spot price and its tier', () => {
    const r = estimateEconomics(base, catalog, mergeAssumptions(DEFAULT_ASSUMPTIONS, null, { priceTier: 'spot' }));
    const o = r.options[0]!;
    expect([o.price.tier, o.priceTier]).toEqual(['spot', 'spot']);
    expect(o.tcoUsd.toFixed()).toBe(new Money(o.gpuHoursPerMonth).mul(o.hourlyPriceUsd).mul(1.1).plus(7500).toFixed());
  });

  it('fine-tuning adds 4 weeks: migration 8 x $3,461.54 = $27,692.31; deepinfra pays back in 27,692.31 / 9,545 = 2.90 months', () => {
    const r = estimateEconomics(base, catalog, mergeAssumptions(DEFAULT_ASSUMPTIONS, null, { fineTune: true }));
    expect(r.migration.selfHostWeeks).toBe(8);
    expect(r.migration.selfHostUsd.toDecimalPlaces(2).toFixed()).toBe('27692.31');
    expect(r.managedOpen[0]?.vsCurrent?.breakEvenMonths).toBeCloseTo(2.9012, 4);
  });

  it('llama-3.1-405b bf16 on H100, one 8,000-token sequence: (810 + 8,000 x 516,096 B = 4.13 GB) / 70 = 11.6 → multi-node, needs 12 GPUs', () => {
    const r = estimateEconomics({ ...base, openModelIds: ['llama-3.1-405b-instruct'], precision: 'bf16', gpu: 'H100-80GB-SXM' }, catalog);
    expect(r.options).toHaveLength(0);
    expect(r.infeasible[0]).toMatchObject({ modelId: 'llama-3.1-405b-instruct', gpuId: 'H100-80GB-SXM', gpusNeeded: 12 });
  });

  it('llama-3.3-70b on A10G (PCIe-only) is refused beyond TP 2: 70 GB fp8 weights do not fit 2 x 24 GB, and TP 4/8 are not offered', () => {
    const r = estimateEconomics({ ...base, precision: 'fp8', gpu: 'A10G-24GB' }, catalog);
    expect(r.options).toHaveLength(0);
    expect(r.infeasible[0]?.reason).toMatch(/PCIe-only: tensor parallelism capped at 2/);
  });

  it('actual spend $12,000 overrides the $10,000 list price; savings = $12,000 - H200 TCO', () => {
    const r = estimateEconomics({ ...base, current: { modelId: 'gpt-4o', actualMonthlySpendUsd: '12000' } }, catalog);
    expect([r.current.basis, r.current.monthlyCostUsd?.toFixed(), r.current.listPriceCostUsd?.toFixed()]).toEqual(['actual-spend', '12000', '10000']);
    expect(r.options[0]?.vsCurrent?.monthlySavingsUsd.toFixed()).toBe(new Money(12000).minus(r.options[0]!.tcoUsd).toFixed());
  });

  it('unknown current model and unknown open model → unpriced current, infeasible "model not in catalog", no crossover', () => {
    const r = estimateEconomics({ ...base, openModelIds: ['llama-9-1t'], current: { modelId: 'secret-model' } }, catalog);
    expect(r.current.monthlyCostUsd).toBeNull();
    expect(r.infeasible).toEqual([{ modelId: 'llama-9-1t', gpuId: null, precision: null, reason: 'model not in catalog' }]);
    expect(r.crossover.monthlyTokens).toBeNull();
    expect(r.cheaperClosed).toHaveLength(0);
  });

  it('default precisions for gpt-oss-120b on H100 add its native mxfp4: 62.16 GB weights fit TP 1', () => {
    const r = estimateEconomics({ ...base, avgTokensPerRequest: 2000, openModelIds: ['gpt-oss-120b'], precision: undefined, gpu: 'H100-80GB-SXM' }, catalog);
    const mx = r.options.find((o) => o.precision === 'mxfp4');
    expect(mx?.tensorParallel).toBe(1);
    expect(r.options.map((o) => o.precision).sort()).toEqual(['bf16', 'fp8', 'mxfp4']);
  });

  it('gpt-oss-120b mxfp4 at 8,000-token p95: sized for the peak concurrency (1 sequence), 62.16 + 0.59 + 2 = 64.75 GB fits TP 1 (the fixed 16 sequences needed TP 2)', () => {
    const r = estimateEconomics({ ...base, openModelIds: ['gpt-oss-120b'], precision: 'mxfp4', gpu: 'H100-80GB-SXM' }, catalog);
    expect(r.options[0]?.tensorParallel).toBe(1);
    expect(r.options[0]?.memoryPerGpu.kvCacheGB).toBeCloseTo((8000 * 73728) / 1e9, 9);
  });

  it('negative output tokens are treated as 0 and cached > input is clamped, both reported as issues', () => {
    const r = estimateEconomics({ ...base, monthly: { inputTokens: 1e9, outputTokens: -5, cachedInputTokens: 2e9 } }, catalog);
    expect(r.issues.join(' ')).toMatch(/negative monthly tokens/);
    expect(r.issues.join(' ')).toMatch(/cachedInputTokens exceeds inputTokens/);
    // 1B cached x $1.25 = $1,250 (all input cached, no output).
    expect(r.current.monthlyCostUsd?.toFixed()).toBe('1250');
  });
});

describe('estimateEconomics: the demo case (issue 11)', () => {
  // Llama-3.1-8B for ~300,000 requests a month of 1,500 in / 300 out tokens: 450M in + 90M out.
  const demo: EconomicsInput = {
    openModelIds: ['llama-3.1-8b-instruct'],
    monthly: { inputTokens: 450e6, outputTokens: 90e6 },
    avgTokensPerRequest: 1800,
    current: { modelId: 'gpt-4o-mini' },
  };

  it('load: 540M tokens / 2,628,000 s / 1,800 = 0.1142 req/s average, 0.2283 at peak', () => {
    const r = estimateEconomics(demo, catalog);
    expect(r.load.averageTokPerSec / 1800).toBeCloseTo(540e6 / 2_628_000 / 1800, 9);
  });

  it('the cheapest option is one TP 1 serving replica (+1 spare) that holds the 0.2283 req/s peak at 60%, not 8 L4s; no L4 option goes past TP 2', () => {
    const r = estimateEconomics(demo, catalog);
    const best = r.options[0]!;
    expect(best.tensorParallel).toBe(1);
    expect(best.replicas).toBe(2);
    expect(0.228311 / (best.capacity.requestsPerSec * 0.6)).toBeLessThanOrEqual(1);
    const l4 = r.options.filter((o) => o.gpuId === 'L4-24GB');
    expect(l4.length).toBeGreaterThan(0);
    expect(l4.every((o) => o.tensorParallel <= 2)).toBe(true);
  });

  it('on L4 with a 30 s p95 target: fp8 TP 1, 1 + 1 spare replicas (L4 decodes an 8B model at ~30 tok/s per sequence)', () => {
    const r = estimateEconomics({ ...demo, gpu: 'L4-24GB', precision: 'fp8', latencyTargetP95Ms: 30_000 }, catalog);
    expect([r.options[0]?.tensorParallel, r.options[0]?.replicas, r.options[0]?.gpuCount]).toEqual([1, 2, 2]);
  });
});

describe('estimateEconomics: encoders', () => {
  it('bert-base for 1B classification tokens (0 output) on L4: 1B / 2,628,000 s / 256 = 1.4864 req/s avg, 2.9727 peak; ~1,072 req/s per replica → 1 + 1 = 2 replicas, 1,460 GPU-h', () => {
    const r = estimateEconomics(
      { openModelIds: ['bert-base-uncased'], precision: 'bf16', gpu: 'L4-24GB', monthly: { inputTokens: 1e9, outputTokens: 0 }, avgTokensPerRequest: 256, current: { modelId: 'gpt-4o-mini' } },
      catalog,
    );
    const o = r.options[0]!;
    // Prefill only: (2 x 0.11e9 + 4 x 12 layers x 768 x 128) FLOPs x 256 tokens / (121 TFLOPS x etaP x engine factor).
    const f = o.capacity.fitted;
    const perRequest = (256 * (0.22e9 + 4 * 12 * 768 * 128)) / (121e12 * f.prefillEfficiency * f.engineFactor * f.groupFactor);
    expect(o.capacity.requestsPerSec).toBeCloseTo(1 / perRequest, 6);
    expect([o.capacity.basis, o.replicas, o.gpuHoursPerMonth]).toEqual(['physics', 2, 1460]);
    expect(r.current.monthlyCostUsd?.toFixed()).toBe('150');
  });

  it('bert-base cannot serve a generative workload (500M output tokens) → infeasible with a reason', () => {
    const r = estimateEconomics({ ...base, openModelIds: ['bert-base-uncased'], precision: 'bf16' }, catalog);
    expect(r.options).toHaveLength(0);
    expect(r.infeasible[0]?.reason).toMatch(/generates no tokens/);
  });
});

describe('estimateEconomics: hourly series and scaling', () => {
  // Llama-3.1-8B fp8 on H100 (a calibrated group). 12 busy hours, 12 idle; requests of 1,000 output tokens.
  const only: Catalog = { ...catalog, gpus: catalog.gpus.filter((g) => g.id === 'H100-80GB-SXM') };
  const probe: EconomicsInput = {
    openModelIds: ['llama-3.1-8b-instruct'],
    precision: 'fp8',
    monthly: { inputTokens: 0, outputTokens: 1e9 },
    avgTokensPerRequest: 1000,
    current: { price: { inputPerMTok: '0.5', outputPerMTok: '1.5' } },
  };
  const capacity = estimateEconomics(probe, only).options[0]!.capacity.requestsPerSec;
  // Busy hours at 1.5 x (capacity x 0.6) requests/s → 2 serving + 1 spare = 3 replicas; idle hours keep the minimum 2.
  const busyTokensPerHour = 1.5 * capacity * 0.6 * 1000 * 3600;
  const hourly: HourlyTokens[] = Array.from({ length: 7 * 24 }, (_, i) => ({ inputTokens: 0, outputTokens: i % 24 >= 8 && i % 24 < 20 ? busyTokensPerHour : 0 }));
  const input: EconomicsInput = { ...probe, monthly: { inputTokens: 0, outputTokens: (busyTokensPerHour * 12 * 730) / 24 }, hourly };

  it.each<[string, 'always-on' | 'scaled', number, number, number]>([
    ['always-on: p95 = busy-hour demand = 1.5 x 0.6 x capacity → 2 + 1 = 3 replicas x 730 h = 2,190 GPU-h; utilisation 0.45 x capacity / (3 x capacity) = 15%', 'always-on', 3, 2190, 0.15],
    ['scaled: (12 h x 3 + 12 h x 2) / 24 = 2.5 avg replicas x 730 = 1,825 GPU-h; utilisation 0.45 / 2.5 = 18%', 'scaled', 3, 1825, 0.18],
  ])('%s', (_name, scaling, replicas, gpuHours, util) => {
    const r = estimateEconomics(input, only, mergeAssumptions(DEFAULT_ASSUMPTIONS, null, { scaling }));
    const o = r.options[0];
    expect(r.load.shape).toBe('hourly');
    expect(o?.capacity.requestsPerSec).toBeCloseTo(capacity, 9);
    expect([o?.scaling, o?.replicas, o?.gpuHoursPerMonth]).toEqual([scaling, replicas, gpuHours]);
    expect(o?.utilisation).toBeCloseTo(util, 9);
  });

  it('request price $1.50/1M output: today = output tokens x $1.50 / 1M', () => {
    const r = estimateEconomics(input, only);
    expect(r.current.monthlyCostUsd?.minus(new Money(input.monthly.outputTokens).mul('1.5').div(1e6)).abs().lt('0.000001')).toBe(true);
    expect(r.assumptions.find((a) => a.key === 'current.price')?.origin).toBe('request');
  });

  it('scaled without an hourly series falls back to always-on and says so', () => {
    const r = estimateEconomics({ ...input, hourly: undefined }, only, mergeAssumptions(DEFAULT_ASSUMPTIONS, null, { scaling: 'scaled' }));
    expect(r.options[0]?.scaling).toBe('always-on');
    expect(r.issues.join(' ')).toMatch(/needs an hourly series/);
  });
});
