import { referenceEconomicsCatalog } from '../../../test/builders/reference.js';
import { checkFit, kvBytesPerToken, sizeDeployment, weightsGB, type SizingLoad } from './sizing.js';
import type { GpuSpec, ModelSpec, Precision } from './types.js';

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
const H100 = 'H100-80GB-SXM';
const H200 = 'H200-141GB-SXM';
const A100_80 = 'A100-80GB-SXM';
const A100_40 = 'A100-40GB';
const L4 = 'L4-24GB';
const L40S = 'L40S-48GB';
const A10G = 'A10G-24GB';

describe('weightsGB', () => {
  it.each<[string, string, Precision, number]>([
    ['llama-3.1-8b bf16: 8B x 2 B = 16 GB (memoryExamples 8B bf16)', 'llama-3.1-8b-instruct', 'bf16', 16],
    ['llama-3.1-8b fp8: 8B x 1 B = 8 GB', 'llama-3.1-8b-instruct', 'fp8', 8],
    ['llama-3.1-8b int4: 8B x 0.5 B x 1.05 group scales = 4.2 GB (memoryExamples 4.0 omits scales)', 'llama-3.1-8b-instruct', 'int4', 4.2],
    ['llama-3.3-70b fp8: 70B x 1 B = 70 GB', 'llama-3.3-70b-instruct', 'fp8', 70],
    ['llama-3.1-405b bf16: 405B x 2 B = 810 GB', 'llama-3.1-405b-instruct', 'bf16', 810],
    ['deepseek-v3 fp8: 671B x 1 B = 671 GB', 'deepseek-v3', 'fp8', 671],
    ['gpt-oss-120b mxfp4: 117B x 4.25/8 B = 62.16 GB (AA measured a 60.8 GB checkpoint)', 'gpt-oss-120b', 'mxfp4', 62.15625],
    ['bloom-176b bf16: 176B x 2 B = 352 GB', 'bloom-176b', 'bf16', 352],
    ['bert-base-uncased bf16: 0.11B x 2 B = 0.22 GB', 'bert-base-uncased', 'bf16', 0.22],
  ])('%s', (_name, id, precision, expected) => {
    expect(weightsGB(model(id), precision)).toBeCloseTo(expected, 6);
  });

  it('mistral-7b-v0.3 has paramsB null in the reference → null, never a guess', () => {
    expect(weightsGB(model('mistral-7b-v0.3'), 'bf16')).toBeNull();
  });
});

describe('kvBytesPerToken', () => {
  it.each<[string, string, 'bf16' | 'fp8', number]>([
    ['llama-3.3-70b bf16: 2 x 80 layers x 8 KV heads x 128 dim x 2 B = 327,680 B (320 KiB)', 'llama-3.3-70b-instruct', 'bf16', 327_680],
    ['llama-3.3-70b fp8 KV: 2 x 80 x 8 x 128 x 1 B = 163,840 B', 'llama-3.3-70b-instruct', 'fp8', 163_840],
    ['llama-3.1-8b bf16: 2 x 32 x 8 x 128 x 2 = 131,072 B (128 KiB)', 'llama-3.1-8b-instruct', 'bf16', 131_072],
    ['deepseek-v3 MLA: 61 layers x (512 + 64) x 2 B = 70,272 B', 'deepseek-v3', 'bf16', 70_272],
    ['falcon-40b (seed config, 8 KV heads): 2 x 60 x 8 x 64 x 2 = 122,880 B', 'falcon-40b', 'bf16', 122_880],
    ['falcon-7b MQA: 2 x 32 x 1 x 64 x 2 = 8,192 B', 'falcon-7b', 'bf16', 8_192],
    ['gpt-j-6b MHA: 2 x 28 x 16 x 256 x 2 = 458,752 B', 'gpt-j-6b', 'bf16', 458_752],
    ['gpt-neox-20b MHA: 2 x 44 x 64 x 96 x 2 = 1,081,344 B', 'gpt-neox-20b', 'bf16', 1_081_344],
    ['bloom-176b MHA: 2 x 70 x 112 x 128 x 2 = 4,014,080 B', 'bloom-176b', 'bf16', 4_014_080],
    ['bert-base-uncased encoder: no autoregressive cache = 0 B', 'bert-base-uncased', 'bf16', 0],
    ['bart-large decoder self+cross attention: 2 x 12 x 16 x 64 x 2 = 49,152 B per context token', 'bart-large', 'bf16', 49_152],
  ])('%s', (_name, id, kv, expected) => {
    expect(kvBytesPerToken(model(id), kv)).toBe(expected);
  });

  const published = catalog.models.filter((m) => m.kind !== 'encoder' && typeof m.architecture?.kvBytesPerTokenBF16 === 'number');
  it.each(published.map((m) => [m.id, m.architecture?.kvBytesPerTokenBF16 as number]))(
    'formula matches the reference kvBytesPerTokenBF16 for %s (%d B)',
    (id, expected) => {
      expect(kvBytesPerToken(model(id), 'bf16')).toBe(expected);
    },
  );

  it.each<[string, string, number]>([
    ['Llama-3.1-8B: 131,072 B x 8,192 = 1.07 GB per 8k tokens', 'llama-3.1-8b-instruct', 1.07],
    ['Llama-3.1-70B / 3.3-70B: 327,680 B x 8,192 = 2.68 GB', 'llama-3.3-70b-instruct', 2.68],
    ['Llama-3.1-405B: 516,096 B x 8,192 = 4.23 GB', 'llama-3.1-405b-instruct', 4.23],
    ['Qwen3-235B-A22B: 192,512 B x 8,192 = 1.58 GB', 'qwen3-235b-a22b', 1.58],
    ['DeepSeek-V3 (MLA): 70,272 B x 8,192 = 0.58 GB', 'deepseek-v3', 0.58],
  ])('matches memoryExamples.kvCache: %s', (_name, id, gbPer8k) => {
    expect(((kvBytesPerToken(model(id)) as number) * 8192) / 1e9).toBeCloseTo(gbPer8k, 2);
  });

  it('gemma-2-9b has no architecture in the reference → null (KV cannot be sized)', () => {
    expect(kvBytesPerToken(model('gemma-2-9b'))).toBeNull();
  });
});

describe('checkFit at a given tensor-parallel degree', () => {
  it.each<[string, string, string, Precision, SizingLoad, number, boolean, number]>([
    ['llama-3.3-70b fp8 on 1x H100: 70 GB weights + 16x8k KV 42.9 GB + 2 GB = 114.9 GB > 72 GB usable → does not fit', 'llama-3.3-70b-instruct', H100, 'fp8', { concurrentSequences: 16, contextTokens: 8192 }, 1, false, 114.95],
    ['llama-3.3-70b fp8 on 1x H200: 114.9 GB <= 141 x 0.9 = 126.9 GB → fits', 'llama-3.3-70b-instruct', H200, 'fp8', { concurrentSequences: 16, contextTokens: 8192 }, 1, true, 114.95],
    ['llama-3.3-70b fp8 on 2x H100: 35 + 21.47 + 2 = 58.47 GB per GPU <= 72 → fits', 'llama-3.3-70b-instruct', H100, 'fp8', { concurrentSequences: 16, contextTokens: 8192 }, 2, true, 58.47],
    ['llama-3.1-405b bf16 on 8x H100: 810/8 = 101.25 GB weights per GPU alone > 72 (810 GB > 640 GB) → does not fit', 'llama-3.1-405b-instruct', H100, 'bf16', { concurrentSequences: 16, contextTokens: 8192 }, 8, false, 111.71],
    ['llama-3.1-405b bf16 on 8x H200: 101.25 + 67.65/8 + 2 = 111.71 GB <= 126.9 → fits', 'llama-3.1-405b-instruct', H200, 'bf16', { concurrentSequences: 16, contextTokens: 8192 }, 8, true, 111.71],
    ['llama-3.1-8b bf16 on 1x L4: 16 + 4x4k x 131,072 B = 2.15 + 2 = 20.15 GB <= 24 x 0.9 = 21.6 → fits', 'llama-3.1-8b-instruct', L4, 'bf16', { concurrentSequences: 4, contextTokens: 4096 }, 1, true, 20.15],
    ['falcon-7b (1 MQA head) on 2x A10G: the single KV head is replicated, so KV stays 64x2k x 8,192 B = 1.07 GB per GPU', 'falcon-7b', A10G, 'bf16', { concurrentSequences: 64, contextTokens: 2048 }, 2, true, 7 + 1.07 + 2],
    ['deepseek-v3 fp8 on 8x H200: 671/8 = 83.875 + MLA latent replicated 16x8k x 70,272 B = 9.21 + 2 = 95.09 GB → fits', 'deepseek-v3', H200, 'fp8', { concurrentSequences: 16, contextTokens: 8192 }, 8, true, 95.09],
  ])('%s', (_name, id, gpuId, precision, load, tp, fits, totalGB) => {
    const r = checkFit(model(id), gpu(gpuId), precision, load, tp);
    expect(r?.fits).toBe(fits);
    expect(r?.perGpu.totalGB).toBeCloseTo(totalGB, 1);
  });

  it('fp8 KV halves the pool: llama-3.3-70b fp8 on 1x H100 with 16x8k fp8 KV = 70 + 21.47 + 2 = 93.5 GB, still > 72', () => {
    const r = checkFit(model('llama-3.3-70b-instruct'), gpu(H100), 'fp8', { concurrentSequences: 16, contextTokens: 8192 }, 1, { kvPrecision: 'fp8' });
    expect(r?.perGpu.kvCacheGB).toBeCloseTo(21.47, 2);
    expect(r?.fits).toBe(false);
  });
});

describe('sizeDeployment', () => {
  it.each<[string, string, string, Precision, SizingLoad, number]>([
    ['llama-3.3-70b fp8, 16x8k on H100 → TP 2 (TP 1 needs 114.9 GB > 72)', 'llama-3.3-70b-instruct', H100, 'fp8', { concurrentSequences: 16, contextTokens: 8192 }, 2],
    ['llama-3.3-70b fp8, 16x8k on H200 → TP 1 (114.9 GB <= 126.9)', 'llama-3.3-70b-instruct', H200, 'fp8', { concurrentSequences: 16, contextTokens: 8192 }, 1],
    ['llama-3.1-405b bf16, 16x8k on H200 → TP 8 (111.7 GB per GPU)', 'llama-3.1-405b-instruct', H200, 'bf16', { concurrentSequences: 16, contextTokens: 8192 }, 8],
    ['llama-3.1-8b bf16, 4x4k on L4 24 GB → TP 1 (20.15 GB <= 21.6)', 'llama-3.1-8b-instruct', L4, 'bf16', { concurrentSequences: 4, contextTokens: 4096 }, 1],
    ['seed llama-3-8b bf16, 4x4k on L4 → TP 1 (same 16 GB + 2.15 GB KV as 3.1-8B)', 'llama-3-8b', L4, 'bf16', { concurrentSequences: 4, contextTokens: 4096 }, 1],
    ['seed llama-3-70b bf16, 16x8k on H100 → TP 4 (TP 2: 70 + 21.5 + 2 = 93.5 > 72; TP 4: 35 + 10.7 + 2 = 47.7)', 'llama-3-70b', H100, 'bf16', { concurrentSequences: 16, contextTokens: 8192 }, 4],
    ['seed mistral-7b-v0.1 bf16, 16x32k on L40S → TP 1: 4,096-token sliding window caps KV at 8.6 GB, 14.6 + 8.6 + 2 = 25.2 <= 43.2', 'mistral-7b-v0.1', L40S, 'bf16', { concurrentSequences: 16, contextTokens: 32768 }, 1],
    ['seed falcon-40b bf16, 16x2k on A100-80 → TP 2 (80 GB weights > 72; 40 + 2.0 + 2 = 44)', 'falcon-40b', A100_80, 'bf16', { concurrentSequences: 16, contextTokens: 2048 }, 2],
    ['seed gpt-j-6b bf16, 4x2k on A10G 24 GB → TP 1 (12.1 + 3.76 + 2 = 17.9 <= 21.6)', 'gpt-j-6b', A10G, 'bf16', { concurrentSequences: 4, contextTokens: 2048 }, 1],
    ['seed gpt-j-6b bf16, 8x2k on A10G → TP 2 (12.1 + 7.52 + 2 = 21.62 > 21.6 by 0.02 GB)', 'gpt-j-6b', A10G, 'bf16', { concurrentSequences: 8, contextTokens: 2048 }, 2],
    ['seed gpt-neox-20b bf16, 16x2k on A100-80 → TP 2 (MHA KV 35.4 GB: 41.5 + 35.4 + 2 = 78.9 > 72)', 'gpt-neox-20b', A100_80, 'bf16', { concurrentSequences: 16, contextTokens: 2048 }, 2],
    ['seed bloom-176b bf16, 16x2k on A100-80 → TP 8 (352/8 = 44 + 131.5/8 = 16.4 + 2 = 62.4 <= 72)', 'bloom-176b', A100_80, 'bf16', { concurrentSequences: 16, contextTokens: 2048 }, 8],
    ['seed bert-base-uncased bf16, 32x512 on L4 → TP 1 (0.22 GB weights + 0.40 GB activations + 2)', 'bert-base-uncased', L4, 'bf16', { concurrentSequences: 32, contextTokens: 512 }, 1],
    ['seed bart-large bf16, 16x1k on L4 → TP 1 (0.8 GB + 16x1,024 x 49,152 B = 0.81 GB KV + 2)', 'bart-large', L4, 'bf16', { concurrentSequences: 16, contextTokens: 1024 }, 1],
  ])('%s', (_name, id, gpuId, precision, load, tp) => {
    const r = sizeDeployment(model(id), gpu(gpuId), precision, load);
    expect(r.fits).toBe(true);
    if (r.fits) {
      expect(r.tensorParallel).toBe(tp);
      expect(r.perGpu.headroomGB).toBeGreaterThanOrEqual(0);
    }
  });

  it.each<[string, string, string, Precision, SizingLoad, number]>([
    ['llama-3.1-405b bf16 on H100: (810 + 67.65 GB) / (72 - 2 GB) = 12.5 → 13 GPUs, multi-node', 'llama-3.1-405b-instruct', H100, 'bf16', { concurrentSequences: 16, contextTokens: 8192 }, 13],
    ['bloom-176b bf16 on A100-40: (352 + 131.5) / (36 - 2) = 14.2 → 15 GPUs, multi-node', 'bloom-176b', A100_40, 'bf16', { concurrentSequences: 16, contextTokens: 2048 }, 15],
    ['deepseek-v3 fp8 on H100: 671/8 = 83.9 GB per GPU > 72; (671 + 9.2) / 70 = 9.7 → 10 GPUs', 'deepseek-v3', H100, 'fp8', { concurrentSequences: 16, contextTokens: 8192 }, 10],
  ])('%s', (_name, id, gpuId, precision, load, needed) => {
    const r = sizeDeployment(model(id), gpu(gpuId), precision, load);
    expect(r).toMatchObject({ fits: false, reason: 'multi-node', gpusNeeded: needed });
  });

  it.each<[string, string, Precision, SizingLoad, string]>([
    ['seed falcon-40b at 4,096 tokens > its 2,048 window', 'falcon-40b', 'bf16', { concurrentSequences: 1, contextTokens: 4096 }, 'context-exceeds-model'],
    ['mistral-7b-v0.3 (paramsB null)', 'mistral-7b-v0.3', 'bf16', { concurrentSequences: 1, contextTokens: 1024 }, 'missing-params'],
    ['gemma-2-9b (no layers/KV heads in the reference)', 'gemma-2-9b', 'bf16', { concurrentSequences: 1, contextTokens: 1024 }, 'missing-architecture'],
    ['0 concurrent sequences', 'llama-3.1-8b-instruct', 'bf16', { concurrentSequences: 0, contextTokens: 1024 }, 'invalid-load'],
  ])('returns a reason, never throws: %s', (_name, id, precision, load, reason) => {
    expect(sizeDeployment(model(id), gpu(H100), precision, load)).toMatchObject({ fits: false, reason });
  });

  it('encoder sizing says so: bert-base notes "no autoregressive KV cache" and KV pool = 0 GB', () => {
    const r = sizeDeployment(model('bert-base-uncased'), gpu(L4), 'bf16', { concurrentSequences: 32, contextTokens: 512 });
    expect(r.fits).toBe(true);
    if (r.fits) {
      expect(r.perGpu.kvCacheGB).toBe(0);
      expect(r.perGpu.activationsGB).toBeCloseTo(0.4027, 4);
      expect(r.notes.join(' ')).toMatch(/no autoregressive KV cache/);
    }
  });
});
