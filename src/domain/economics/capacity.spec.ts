import { referenceEconomicsCatalog } from '../../../test/builders/reference.js';
import { calibrationFor, estimateCapacity, operatingPoint, p95LatencyRatio, type CapacityEstimate, type CapacityQuery } from './capacity.js';
import {
  decodeStepSec,
  engineClassOf,
  latencyBoundConcurrency,
  outputTokPerSecAt,
  replicaCosts,
  requestLatencySec,
  type Efficiencies,
  type ReplicaCosts,
  type ReplicaSpec,
  type ServingShape,
} from './capacity-model.js';
import type { GpuSpec, ModelSpec } from './types.js';

const catalog = referenceEconomicsCatalog();
const ctx = { models: catalog.models, gpus: catalog.gpus };
const calibration = calibrationFor(catalog.throughput, ctx);
const model = (id: string): ModelSpec => {
  const m = catalog.models.find((x) => x.id === id);
  if (!m) throw new Error(`fixture: no model ${id}`);
  return m;
};
const gpu = (id: string): GpuSpec => {
  const g = catalog.gpus.find((x) => x.id === id);
  if (!g) throw new Error(`fixture: no gpu ${id}`);
  return g;
};

/*
 * A hand-built replica whose arithmetic fits on paper:
 * GPU 100 bf16 TFLOPS, 1 TB/s, 80 GB; a dense 10B model, 10 layers x 1 KV head x 100 dims
 * → KV 2 x 10 x 1 x 100 x 2 B = 4,000 B/token; efficiencies 0.5 (FLOPs) and 0.5 (bandwidth).
 *   prefill per input token  = 2 x 10e9 FLOPs / (100e12 x 0.5) = 0.4 ms
 *   weight read per step      = 20 GB (bf16) / (1e12 x 0.5)    = 40 ms
 *   per sequence per step     = ctxAvg x 4,000 B / 0.5e12 + 20 GFLOPs / 50e12 (0.4 ms)
 */
const paperGpu = (over: Partial<GpuSpec> = {}): GpuSpec =>
  ({ ...gpu('H100-80GB-SXM'), id: 'paper-gpu', memoryGB: 80, memBandwidthTBs: 1, bf16TFLOPS: 100, fp8TFLOPS: null, interconnect: undefined, fp8: undefined, ...over }) as GpuSpec;
const paperModel: ModelSpec = {
  id: 'paper-10b',
  paramsB: 10,
  activeParamsB: null,
  kind: 'decoder',
  architecture: { layers: 10, kvHeads: 1, headDim: 100, source: null },
  contextTokens: null,
  source: null,
};
const half: Efficiencies = { prefillEfficiency: 0.5, decodeBandwidthEfficiency: 0.5 };
const spec = (over: Partial<ReplicaSpec> = {}): ReplicaSpec => ({ model: paperModel, gpu: paperGpu(), tensorParallel: 1, precision: 'bf16', engine: 'trtllm', ...over });
const costsOf = (s: ReplicaSpec, shape: ServingShape): ReplicaCosts => {
  const r = replicaCosts(s, shape, half);
  if (!r.ok) throw new Error(r.reason);
  return r.costs;
};
const shape1000x100: ServingShape = { inputTokens: 1000, outputTokens: 100 };

describe('capacity model: prefill (compute) + decode (bandwidth) on a paper replica', () => {
  const c = costsOf(spec(), shape1000x100);

  it('prefill of 1,000 input tokens = 1,000 x 0.4 ms = 0.4 s', () => {
    expect(c.prefillSecPerRequest).toBeCloseTo(0.4, 12);
  });

  it('decode step at batch 1 = 40 ms weights + (1,050 x 4,000 B / 0.5 TB/s = 8.4 µs) + 0.4 ms = 40.4084 ms; at batch 10 = 44.084 ms', () => {
    expect(decodeStepSec(c, 1)).toBeCloseTo(0.0404084, 12);
    expect(decodeStepSec(c, 10)).toBeCloseTo(0.044084, 12);
  });

  it('batch 1: 0.4 s + 100 x 40.4084 ms = 4.44084 s per request → 100 / 4.44084 = 22.52 output tok/s', () => {
    expect(requestLatencySec(c, shape1000x100, 1)).toBeCloseTo(4.44084, 9);
    expect(outputTokPerSecAt(c, shape1000x100, 1)).toBeCloseTo(100 / 4.44084, 9);
  });

  it("batch 10: replica time per request 0.4 + 100 x 44.084 / 10 ms = 0.84084 s → 118.93 tok/s; Little's law latency 10 x 0.84084 = 8.4084 s", () => {
    expect(outputTokPerSecAt(c, shape1000x100, 10)).toBeCloseTo(100 / 0.84084, 9);
    expect(requestLatencySec(c, shape1000x100, 10)).toBeCloseTo(8.4084, 9);
  });

  it('latency is linear in c (4 s + 0.44084 s x c), so an 8.4084 s bound allows exactly 10 sequences', () => {
    expect(latencyBoundConcurrency(c, shape1000x100, 8.4084)).toBeCloseTo(10, 6);
    expect(latencyBoundConcurrency(c, shape1000x100, 4)).toBe(0);
  });

  it('a 20:1 RAG shape (2,000 in / 100 out) gives fewer output tok/s than 1:1 (1,050 / 1,050) at batch 10: 80.54 vs 207.79, by the prefill arithmetic', () => {
    const rag: ServingShape = { inputTokens: 2000, outputTokens: 100 };
    const even: ServingShape = { inputTokens: 1050, outputTokens: 1050 };
    // RAG: 2,000 x 0.4 ms = 0.8 s prefill; step(10) = 40 + 10 x (2,050 x 4,000 / 0.5e12 s + 0.4 ms) = 44.164 ms; 0.8 + 100 x 4.4164 ms = 1.24164 s.
    expect(outputTokPerSecAt(costsOf(spec(), rag), rag, 10)).toBeCloseTo(100 / 1.24164, 6);
    // 1:1: 0.42 s prefill; step(10) = 40 + 10 x (1,575 x 4,000 / 0.5e12 s + 0.4 ms) = 44.126 ms; 0.42 + 1,050 x 4.4126 ms = 5.05323 s.
    expect(outputTokPerSecAt(costsOf(spec(), even), even, 10)).toBeCloseTo(1050 / 5.05323, 6);
  });
});

describe('capacity model: precision support and interconnect', () => {
  it.each<[string, GpuSpec, number, number]>([
    ['native fp8 (Hopper/Ada): 1 B/param → 20 ms weight step; prefill at 2 x 100 TFLOPS → 0.2 ms/token', paperGpu({ fp8: 'native' }), 0.02, 0.2],
    ['sourced fp8 TFLOPS wins over the 2x rule: 300 TFLOPS → 20 GFLOPs / 150e12 = 0.1333 ms/token', paperGpu({ fp8: 'native', fp8TFLOPS: 300 }), 0.02, 0.4 / 3],
    ['weight-only fp8 (Ampere): memory like fp8 (20 ms), prefill at the bf16 rate (0.4 ms/token)', paperGpu({ fp8: 'weight-only' }), 0.02, 0.4],
  ])('%s', (_name, g, weightStep, prefillMsPerToken) => {
    const c = costsOf(spec({ gpu: g, precision: 'fp8' }), shape1000x100);
    expect(c.weightStepSec).toBeCloseTo(weightStep, 12);
    expect((c.prefillSecPerRequest / 1000) * 1000).toBeCloseTo(prefillMsPerToken, 9);
  });

  it('fp8 on a GPU with no fp8 at all is refused with the reason', () => {
    const r = replicaCosts(spec({ gpu: paperGpu({ fp8: 'none' }), precision: 'fp8' }), shape1000x100, half);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/no fp8 support/);
  });

  it.each<[string, number, boolean]>([
    ['PCIe-only card at TP 2 is allowed', 2, true],
    ['PCIe-only card at TP 4 is refused (all-reduce over PCIe, no measured point)', 4, false],
  ])('%s', (_name, tp, ok) => {
    const r = replicaCosts(spec({ gpu: paperGpu({ interconnect: 'pcie' }), tensorParallel: tp }), shape1000x100, half);
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r.reason).toMatch(/PCIe-only/);
  });

  it('the reference marks A100s as weight-only fp8: Llama-3.1-8B fp8 on A100-80 prefills at the bf16 rate (2x slower than native) and reads 8 GB per step like fp8', () => {
    const a100 = gpu('A100-80GB-SXM');
    expect(a100.fp8).toBe('weight-only');
    const s: ServingShape = { inputTokens: 1000, outputTokens: 100 };
    const weightOnly = costsOf({ model: model('llama-3.1-8b-instruct'), gpu: a100, tensorParallel: 1, precision: 'fp8', engine: 'trtllm' }, s);
    const asNative = costsOf({ model: model('llama-3.1-8b-instruct'), gpu: { ...a100, fp8: 'native', fp8TFLOPS: null }, tensorParallel: 1, precision: 'fp8', engine: 'trtllm' }, s);
    const bf16 = costsOf({ model: model('llama-3.1-8b-instruct'), gpu: a100, tensorParallel: 1, precision: 'bf16', engine: 'trtllm' }, s);
    expect(weightOnly.prefillSecPerRequest / asNative.prefillSecPerRequest).toBeCloseTo(2, 9);
    expect(weightOnly.prefillSecPerRequest).toBeCloseTo(bf16.prefillSecPerRequest, 12);
    // 8e9 params x 1 B vs 2 B: half the bf16 weight read.
    expect(weightOnly.weightStepSec / bf16.weightStepSec).toBeCloseTo(0.5, 12);
  });
});

describe('engine classes', () => {
  it.each<[string, string]>([
    ['TensorRT-LLM (PyTorch backend)', 'trtllm'],
    ['NVIDIA NIM 1.8.0 (TRT-LLM)', 'nim'],
    ['vLLM 0.5.4', 'vllm'],
    ['SGLang', 'vllm'],
  ])('%s → %s', (label, cls) => {
    expect(engineClassOf(label)).toBe(cls);
  });
});

describe('estimateCapacity on the calibrated reference', () => {
  const q = (over: Partial<CapacityQuery>): CapacityEstimate => {
    const r = estimateCapacity(
      {
        model: model('llama-3.3-70b-instruct'),
        gpu: gpu('H100-80GB-SXM'),
        tensorParallel: 2,
        precision: 'fp8',
        shape: { inputTokens: 1000, outputTokens: 1000 },
        p95ContextTokens: 2000,
        kvPrecision: 'fp8',
        ...over,
      },
      calibration,
      ctx,
    );
    if (r.requestsPerSec === null) throw new Error(r.reason);
    return r;
  };

  it('fitted efficiencies are physical fractions (0, 1] and every engine factor is fitted from its own points', () => {
    expect(calibration.global.efficiencies.prefillEfficiency).toBeGreaterThan(0);
    expect(calibration.global.efficiencies.prefillEfficiency).toBeLessThanOrEqual(1);
    expect(calibration.global.efficiencies.decodeBandwidthEfficiency).toBeGreaterThan(0);
    expect(calibration.global.efficiencies.decodeBandwidthEfficiency).toBeLessThanOrEqual(1);
    expect([calibration.engines.trtllm.points, calibration.engines.nim.points, calibration.engines.vllm.points]).toEqual([24, 6, 1]);
  });

  it('70B fp8 on 2x H100 at 1000/1000, saturated (no latency bound): within 15% of TensorRT-LLM\'s 4,205 tok/s, from its 4 calibration points', () => {
    const e = q({ latencyTargetP95Ms: 1e9 });
    expect(e.boundBy).not.toBe('latency');
    expect(e.tokensPerSec / 4205).toBeGreaterThan(0.85);
    expect(e.tokensPerSec / 4205).toBeLessThan(1.15);
    expect(e.basis).toBe('calibrated-group');
    expect(e.calibrationPoints.map((p) => p.source)).toEqual(['trtllm_perf', 'trtllm_perf', 'trtllm_perf', 'trtllm_perf']);
  });

  it('H200 vs H100 per GPU for 70B fp8 at 1000/1000 saturated: inside TensorRT-LLM\'s measured 1.13-1.38x (2,909 / (4,205 / 2) = 1.38)', () => {
    const h100 = q({ latencyTargetP95Ms: 1e9 });
    const h200 = q({ gpu: gpu('H200-141GB-SXM'), tensorParallel: 1, latencyTargetP95Ms: 1e9 });
    const ratio = h200.tokensPerSec / 1 / (h100.tokensPerSec / 2);
    expect(ratio).toBeGreaterThanOrEqual(1.13);
    expect(ratio).toBeLessThanOrEqual(1.38);
  });

  it('20:1 RAG (2,000 in / 100 out) on the same 2x H100 gets under a third of the 1:1 output tok/s: its replica time goes to prefill (more input tok/s)', () => {
    const even = q({ latencyTargetP95Ms: 1e9 });
    const rag = q({ shape: { inputTokens: 2000, outputTokens: 100 }, p95ContextTokens: 2100, latencyTargetP95Ms: 1e9 });
    expect(rag.tokensPerSec).toBeLessThan(even.tokensPerSec / 3);
    // Input tok/s of the RAG replica exceed the 1:1 replica's: its time goes to prefill, not decode.
    expect(rag.inputTokensPerSec).toBeGreaterThan(even.inputTokensPerSec);
  });

  it('a latency target bounds concurrency: 70B fp8 2x H100 at 1000/1000 with a 20 s p95 runs fewer sequences and fewer tok/s than saturated, and meets the target', () => {
    const sat = q({ latencyTargetP95Ms: 1e9 });
    const bounded = q({ latencyTargetP95Ms: 20_000 });
    expect(bounded.boundBy).toBe('latency');
    expect(bounded.concurrency).toBeLessThan(sat.concurrency);
    expect(bounded.tokensPerSec).toBeLessThan(sat.tokensPerSec);
    expect(bounded.expectedP95LatencyMs).toBeLessThanOrEqual(20_000 + 1e-6);
  });

  it('refuses a replica that cannot meet the target even idle, with the figure', () => {
    const r = estimateCapacity(
      { model: model('llama-3.3-70b-instruct'), gpu: gpu('H200-141GB-SXM'), tensorParallel: 1, precision: 'fp8', shape: { inputTokens: 1000, outputTokens: 1000 }, p95ContextTokens: 2000, latencyTargetP95Ms: 1000 },
      calibration,
      ctx,
    );
    expect(r.requestsPerSec).toBeNull();
    if (r.requestsPerSec === null) expect(r.reason).toMatch(/exceeds the 1000 ms target/);
  });

  it('returns a reason, never a number, for a GPU without a bf16 TFLOPS figure (A10G)', () => {
    const r = estimateCapacity(
      { model: model('llama-3.1-8b-instruct'), gpu: gpu('A10G-24GB'), tensorParallel: 1, precision: 'bf16', shape: shape1000x100, p95ContextTokens: 2200 },
      calibration,
      ctx,
    );
    expect(r.requestsPerSec).toBeNull();
    if (r.requestsPerSec === null) expect(r.reason).toMatch(/TFLOPS/);
  });
});

describe("operatingPoint: Little's law on the paper replica", () => {
  // Latency L(c) = 4 + 0.44084 c (s); at 1 request/s: c = 1 x L(c) → c = 4 / (1 - 0.44084) = 7.1535.
  const costs = costsOf(spec(), shape1000x100);
  const est = { costs, shape: shape1000x100, p95ContextTokens: 1100, concurrency: 10 } as unknown as CapacityEstimate;

  it('1 request/s → 7.1535 sequences in flight, mean latency 7.1535 s (p95 ratio 1 at p95 = average tokens)', () => {
    const op = operatingPoint(est, 1);
    expect(op.concurrency).toBeCloseTo(4 / (1 - 0.44084), 6);
    expect(op.expectedP95LatencyMs).toBeCloseTo((4 / (1 - 0.44084)) * 1000, 3);
    expect(op.overloaded).toBe(false);
  });

  it('2 requests/s exceeds what 10 sequences serve (10 / 8.4084 s = 1.19 req/s) → overloaded at the cap', () => {
    expect(operatingPoint(est, 2)).toMatchObject({ concurrency: 10, overloaded: true });
  });

  it('p95 latency ratio = p95 tokens / average tokens: 2,200 / 1,100 = 2', () => {
    expect(p95LatencyRatio(shape1000x100, 2200)).toBe(2);
  });
});
