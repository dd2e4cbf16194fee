import { referenceEconomicsCatalog } from '../../../test/builders/reference.js';
import { estimateCapacity, outputEquivalent, type CapacityEstimate, type CapacityQuery } from './capacity.js';
import type { GpuSpec, ModelSpec, ThroughputPoint } from './types.js';

const catalog = referenceEconomicsCatalog();
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
const ctx = { models: catalog.models, gpus: catalog.gpus };
const estimate = (q: CapacityQuery, table: readonly ThroughputPoint[] = catalog.throughput): CapacityEstimate => {
  const r = estimateCapacity(q, table, ctx);
  if (r.tokensPerSec === null) throw new Error(r.reason);
  return r;
};

const musgraveC1 = catalog.throughput.find((p) => p.source === 'musgrave_a100' && p.concurrency === 1) as ThroughputPoint;

describe('estimateCapacity: measured points are returned unchanged', () => {
  it.each<[string, CapacityQuery, number, string]>([
    ['llama-3.3-70b fp8 on 2x H100, workload 1:1 → TRT-LLM 1000/1000 point 4,205 tok/s', { model: model('llama-3.3-70b-instruct'), gpu: gpu('H100-80GB-SXM'), gpuCount: 2, precision: 'fp8', inputOutputRatio: 1 }, 4205, 'trtllm_perf'],
    ['llama-3.3-70b fp8 on 2x H100, workload 10:1 at 25 sequences → NIM 5000/500 c=25 point 623.4 tok/s', { model: model('llama-3.3-70b-instruct'), gpu: gpu('H100-80GB-SXM'), gpuCount: 2, precision: 'fp8', inputOutputRatio: 10, concurrency: 25 }, 623.4, 'nim_bench'],
    ['llama-3.3-70b fp8 on 2x H100, workload 10:1, no concurrency → first 5000/500 point (TRT-LLM 898 tok/s)', { model: model('llama-3.3-70b-instruct'), gpu: gpu('H100-80GB-SXM'), gpuCount: 2, precision: 'fp8', inputOutputRatio: 10 }, 898, 'trtllm_perf'],
    ['llama-3.1-8b fp8 on 1x H200, workload 1:1 → 17,744 tok/s', { model: model('llama-3.1-8b-instruct'), gpu: gpu('H200-141GB-SXM'), gpuCount: 1, precision: 'fp8', inputOutputRatio: 1 }, 17744, 'trtllm_perf'],
    ['mixtral-8x7b bf16 on 2x H100: "Mixtral-8x7B-Instruct-v0.1" resolves to mixtral-8x7b-instruct → 1,430.42 tok/s', { model: model('mixtral-8x7b-instruct'), gpu: gpu('H100-80GB-SXM'), gpuCount: 2, precision: 'bf16' }, 1430.42, 'lambda_vllm'],
    ['mistral-7b-v0.3 bf16 on 1x H100 (paramsB null is fine when measured) → 3,281.19 tok/s', { model: model('mistral-7b-v0.3'), gpu: gpu('H100-80GB-SXM'), gpuCount: 1, precision: 'bf16' }, 3281.19, 'lambda_vllm'],
  ])('%s', (_name, q, tokPerSec, source) => {
    const r = estimate(q);
    expect(r.source).toBe('measured');
    expect(r.basis).toBe('measured');
    expect(r.tokensPerSec).toBe(tokPerSec);
    expect(r.tokensPerSec).toBe(r.point?.outputTokPerSec);
    expect(r.point?.source).toBe(source);
    expect(r.scaleFactor).toBeNull();
  });

  it('returns the very point object from the table (4,205 tok/s, 2x H100, fp8, 1000/1000)', () => {
    const point = catalog.throughput.find((p) => p.source === 'trtllm_perf' && p.outputTokPerSec === 4205);
    const r = estimate({ model: model('llama-3.3-70b-instruct'), gpu: gpu('H100-80GB-SXM'), gpuCount: 2, precision: 'fp8', inputOutputRatio: 1 });
    expect(r.point).toBe(point);
  });

  it.each<[string, number, number]>([
    ['1000/1000 point 4,205 tok/s x (1 + 0.1 x 1) = 4,625.5 output-equivalent tok/s', 1, 4625.5],
    ['NIM 5000/500 c=25 point 623.4 x (1 + 0.1 x 10) = 1,246.8 output-equivalent tok/s', 10, 1246.8],
  ])('prefill credit: %s', (_name, ratio, outEq) => {
    const r = estimate({ model: model('llama-3.3-70b-instruct'), gpu: gpu('H100-80GB-SXM'), gpuCount: 2, precision: 'fp8', inputOutputRatio: ratio, concurrency: ratio === 10 ? 25 : undefined });
    expect(r.outputEquivalentTokensPerSec).toBeCloseTo(outEq, 6);
    expect(r.prefillCostFactor).toBe(0.1);
  });

  it('flags TensorRT-LLM offline peaks as optimistic for a latency-bound service', () => {
    const r = estimate({ model: model('llama-3.1-8b-instruct'), gpu: gpu('H200-141GB-SXM'), gpuCount: 1, precision: 'fp8', inputOutputRatio: 1 });
    expect(r.notes.join(' ')).toMatch(/offline peak/);
  });
});

describe('estimateCapacity: scaled from the nearest similar point', () => {
  it.each<[string, CapacityQuery, ThroughputPoint[] | undefined, number, number]>([
    ['llama-3.3-70b fp8 on 2x A100-80: llama-3.1-70b fp8 2x A100 662.64 tok/s x 1.0 (same size, GPU, count) = 662.64', { model: model('llama-3.3-70b-instruct'), gpu: gpu('A100-80GB-SXM'), gpuCount: 2, precision: 'fp8' }, undefined, 1, 662.64],
    ['llama-3.3-70b fp8 on 1x A100-80: 662.64 x (1 GPU / 2 GPUs) = 331.32', { model: model('llama-3.3-70b-instruct'), gpu: gpu('A100-80GB-SXM'), gpuCount: 1, precision: 'fp8' }, undefined, 0.5, 331.32],
    ['qwen3-8b bf16 on 1x H100 from llama-3.1-8b bf16 1x A100-40 75 tok/s: x 3.35/1.555 TB/s = 2.1543 → 161.58', { model: model('qwen3-8b'), gpu: gpu('H100-80GB-SXM'), gpuCount: 1, precision: 'bf16' }, [musgraveC1], 3.35 / 1.555, 161.575],
    ['llama-3.1-8b int4 on A100-40 from its bf16 75 tok/s: x 16 GB / 4.2 GB = 3.8095 → 285.71', { model: model('llama-3.1-8b-instruct'), gpu: gpu('A100-40GB'), gpuCount: 1, precision: 'int4' }, [musgraveC1], 16 / 4.2, 285.714],
    ['llama-3.1-8b bf16 on 1x A10G from 75 tok/s on A100-40: x 0.6/1.555 TB/s = 0.3859 → 28.94', { model: model('llama-3.1-8b-instruct'), gpu: gpu('A10G-24GB'), gpuCount: 1, precision: 'bf16' }, [musgraveC1], 0.6 / 1.555, 28.939],
  ])('%s', (_name, q, table, factor, tokPerSec) => {
    const r = estimate(q, table);
    expect(r.source).toBe('estimated');
    expect(r.basis).toBe('scaled');
    expect(r.scaleFactor).toBeCloseTo(factor, 6);
    expect(r.tokensPerSec).toBeCloseTo(tokPerSec, 2);
    expect(r.point).not.toBeNull();
  });
});

describe('estimateCapacity: roofline when no similar model was measured', () => {
  it.each<[string, CapacityQuery, number]>([
    ['llama-3.1-8b bf16 on 1x A100-40, empty table: 1,555 GB/s / 16 GB = 97.19 tok/s x 5 batch factor = 485.94', { model: model('llama-3.1-8b-instruct'), gpu: gpu('A100-40GB'), gpuCount: 1, precision: 'bf16' }, 485.9375],
    ['llama-3.3-70b fp8 on 2x H100, empty table: 6,700 GB/s / 70 GB = 95.71 x 5 = 478.57', { model: model('llama-3.3-70b-instruct'), gpu: gpu('H100-80GB-SXM'), gpuCount: 2, precision: 'fp8' }, 478.571],
    ['gpt-oss-120b mxfp4 on 1x H100, empty table: 3,350 / (5.1B active x 0.53125 B) = 1,236.45 x 5 = 6,182.2', { model: model('gpt-oss-120b'), gpu: gpu('H100-80GB-SXM'), gpuCount: 1, precision: 'mxfp4' }, 6182.237],
  ])('%s', (_name, q, outEq) => {
    const r = estimate(q, []);
    expect(r.basis).toBe('roofline');
    expect(r.source).toBe('estimated');
    expect(r.point).toBeNull();
    expect(r.outputEquivalentTokensPerSec).toBeCloseTo(outEq, 2);
  });

  it('qwen3-32b is more than 4x llama-3.1-8b (ln 4 + 0.1 > ln 4), so that point is not "similar" → roofline', () => {
    const r = estimate({ model: model('qwen3-32b'), gpu: gpu('A100-40GB'), gpuCount: 1, precision: 'bf16' }, [musgraveC1]);
    expect(r.basis).toBe('roofline');
  });

  it('roofline output tok/s at a 4:1 workload = 485.94 / (1 + 0.1 x 4) = 347.10', () => {
    const r = estimate({ model: model('llama-3.1-8b-instruct'), gpu: gpu('A100-40GB'), gpuCount: 1, precision: 'bf16', inputOutputRatio: 4 }, []);
    expect(r.tokensPerSec).toBeCloseTo(347.098, 2);
  });

  it('bert-base encoder on 1x L4: 121 TFLOPS x 0.4 MFU / (2 x 0.11B) = 220,000 input tok/s → 22,000 output-equivalent', () => {
    const r = estimate({ model: model('bert-base-uncased'), gpu: gpu('L4-24GB'), gpuCount: 1, precision: 'bf16' });
    expect(r.basis).toBe('compute-roofline');
    expect(r.outputEquivalentTokensPerSec).toBeCloseTo(22000, 6);
  });

  it.each<[string, CapacityQuery, RegExp]>([
    ['bert-base on A10G (bf16 TFLOPS null in the reference)', { model: model('bert-base-uncased'), gpu: gpu('A10G-24GB'), gpuCount: 1, precision: 'bf16' }, /TFLOPS/],
    ['mistral-7b-v0.3 on L4 with no measured point (paramsB null)', { model: model('mistral-7b-v0.3'), gpu: gpu('L4-24GB'), gpuCount: 1, precision: 'bf16' }, /parameter count/],
    ['0 GPUs', { model: model('llama-3.1-8b-instruct'), gpu: gpu('L4-24GB'), gpuCount: 0, precision: 'bf16' }, /gpuCount/],
  ])('returns a reason instead of a number: %s', (_name, q, reason) => {
    const r = estimateCapacity(q, catalog.throughput, ctx);
    expect(r.tokensPerSec).toBeNull();
    if (r.tokensPerSec === null) expect(r.reason).toMatch(reason);
  });
});

describe('outputEquivalent', () => {
  it.each<[string, number, number, number, number]>([
    ['1,000 output + 10,000 input x 0.1 = 2,000', 1000, 10000, 0.1, 2000],
    ['1,000 output + 10,000 input x 0.2 = 3,000', 1000, 10000, 0.2, 3000],
    ['0 output + 1M input x 0.1 = 100,000 (encoder workload)', 0, 1_000_000, 0.1, 100_000],
  ])('%s', (_name, out, inp, f, expected) => {
    expect(outputEquivalent(out, inp, f)).toBeCloseTo(expected, 9);
  });
});
