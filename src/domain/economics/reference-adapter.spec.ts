import { referenceData as ref } from '../../../test/builders/reference.js';
import { parsePrecision } from '../reference/reference-reader.js';
import { looseModelKey, matchModelKey, modelKey } from './model-key.js';
import {
  closedModelsFromReference,
  economicsCatalogFrom,
  gpusFromReference,
  managedOpenApisFromReference,
  modelSpecsFromReference,
  referenceGaps,
  throughputFromReference,
} from './reference-adapter.js';

const models = modelSpecsFromReference(ref);
const ids = models.map((m) => m.id);

describe('model keys', () => {
  it.each<[string, string]>([
    ['Llama-3.1-8B-Instruct', 'llama3.18b'],
    ['meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo', 'llama3.18b'],
    ['accounts/fireworks/models/llama-v3p1-8b-instruct', 'llama3.18b'],
    ['Llama 3.1 8B instruct', 'llama3.18b'],
    ['accounts/fireworks/models/qwen2p5-72b-instruct', 'qwen2.572b'],
    ['Qwen/Qwen3-235B-A22B-fp8-tput', 'qwen3235ba22b'],
  ])('%s → %s', (name, key) => {
    expect(modelKey(name)).toBe(key);
  });

  it('loose key drops a trailing v0.x only: Mixtral-8x7B-Instruct-v0.1 → mixtral8x7b, DeepSeek-V3 keeps v3', () => {
    expect(looseModelKey('Mixtral-8x7B-Instruct-v0.1')).toBe('mixtral8x7b');
    expect(looseModelKey('deepseek-v3')).toBe('deepseekv3');
  });

  it.each<[string, string | null]>([
    ['Llama-3.1-8B-Instruct', 'llama-3.1-8b-instruct'],
    ['Meta-Llama-3.1-70B-Instruct-FP8', 'llama-3.1-70b-instruct'],
    ['Llama-3.1-8B', 'llama-3.1-8b-instruct'],
    ['Meta-Llama-3-8B (fine-tune)', 'llama-3-8b'],
    ['Mistral-7B-Instruct-v0.3', 'mistral-7b-v0.3'],
    ['Mixtral-8x7B-Instruct-v0.1', 'mixtral-8x7b-instruct'],
    ['llama-3.3-70b-versatile', 'llama-3.3-70b-instruct'],
    ['accounts/fireworks/models/gemma2-9b-it', 'gemma-2-9b'],
    ['deepseek-ai/DeepSeek-V3.1', null],
    ['Qwen2.5-Coder-32B', null],
  ])('matchModelKey(%s) → %s', (name, id) => {
    expect(matchModelKey(name, ids)).toBe(id);
  });
});

describe('modelSpecsFromReference', () => {
  it('18 openModels + 16 seedModels - 1 shared id (falcon-40b) = 33 models', () => {
    expect(models).toHaveLength(33);
  });

  it('falcon-40b: openModels says "multi-query (1 KV head)" without numbers, so the seed config (8 KV heads x 64 dim) is used', () => {
    const f = models.find((m) => m.id === 'falcon-40b');
    expect(f?.architecture).toMatchObject({ layers: 60, kvHeads: 8, headDim: 64, source: 'seed_falcon40b_config' });
    expect(f?.notes?.join(' ')).toMatch(/seedModels/);
  });

  it.each<[string, string | null]>([
    ['gpt-oss-120b', 'mxfp4'],
    ['gpt-oss-20b', 'mxfp4'],
    ['deepseek-v3', 'fp8'],
    ['llama-3.3-70b-instruct', null],
  ])('native precision of %s = %s (parsed from the reference notes)', (id, p) => {
    expect(models.find((m) => m.id === id)?.nativePrecision).toBe(p);
  });

  it.each<[string, string]>([
    ['bert-base-uncased', 'encoder'],
    ['bart-large', 'encoder-decoder'],
    ['llama-3.1-8b-instruct', 'decoder'],
  ])('%s kind = %s', (id, kind) => {
    expect(models.find((m) => m.id === id)?.kind).toBe(kind);
  });

  it('deepseek-v3 MLA: kv_lora_rank 512, qk_rope_head_dim 64, source deepseek_v3_readme', () => {
    expect(models.find((m) => m.id === 'deepseek-v3')?.architecture).toMatchObject({ mla: { kvLoraRank: 512, qkRopeHeadDim: 64 }, source: 'deepseek_v3_readme' });
  });
});

describe('gpusFromReference', () => {
  const gpus = gpusFromReference(ref);
  it.each<[string, number, number, string | null, string | null]>([
    ['H100-80GB-SXM', 80, 3.35, '12.29', '3.2075'],
    ['H200-141GB-SXM', 141, 4.8, '10.6', '2.0458'],
    ['L4-24GB', 24, 0.3, '0.8048', '0.41705'],
  ])('%s: %d GB, %d TB/s, on-demand $%s, spot midpoint $%s', (id, mem, bw, od, spot) => {
    const g = gpus.find((x) => x.id === id);
    expect(g?.memoryGB).toBe(mem);
    expect(g?.memBandwidthTBs).toBe(bw);
    expect(g?.hourlyUsd.onDemand?.toFixed() ?? null).toBe(od);
    expect(g?.hourlyUsd.spot?.toFixed() ?? null).toBe(spot);
    expect(g?.hourlyUsd.committed).toBeNull();
  });

  it('7 GPUs; A10G bf16 TFLOPS stays null', () => {
    expect(gpus).toHaveLength(7);
    expect(gpus.find((g) => g.id === 'A10G-24GB')?.bf16TFLOPS).toBeNull();
  });
});

describe('throughputFromReference', () => {
  const points = throughputFromReference(ref);
  it('53 points, every one keeps its source id', () => {
    expect(points).toHaveLength(53);
    expect(points.every((p) => typeof p.source === 'string' && p.source !== 'unknown')).toBe(true);
  });

  it.each<[string, string | null, boolean]>([
    ['fp8', 'fp8', false],
    ['bf16 (assumed)', 'bf16', true],
    ['bf16 (not stated)', 'bf16', true],
    ['not stated', null, true],
    ['fp16', 'bf16', false],
  ])('parsePrecision(%s) → %s (assumed %s)', (label, p, assumed) => {
    expect(parsePrecision(label)).toEqual({ precision: p, assumed });
  });

  it('"offline max (infinite request rate)" → saturated; NIM c=25 stays 25; 1000/1000 → {1000, 1000}', () => {
    const trt = points.find((p) => p.source === 'trtllm_perf' && p.outputTokPerSec === 4205);
    expect(trt?.concurrency).toBe('saturated');
    expect(trt?.islOsl).toEqual({ input: 1000, output: 1000 });
    expect(points.find((p) => p.source === 'nim_bench' && p.outputTokPerSec === 623.4)?.concurrency).toBe(25);
  });
});

describe('managed and closed APIs', () => {
  it.each<[string, string, string | null]>([
    ['groq', 'llama-3.3-70b-versatile', 'llama-3.3-70b-instruct'],
    ['fireworks_ai', 'accounts/fireworks/models/qwen2p5-72b-instruct', 'qwen2.5-72b-instruct'],
    ['deepinfra', 'deepseek-ai/DeepSeek-V3', 'deepseek-v3'],
    ['together_ai', 'deepseek-ai/DeepSeek-V3.1', null],
  ])('%s %s → %s', (provider, model, id) => {
    const m = managedOpenApisFromReference(ref).find((x) => x.provider === provider && x.model === model);
    expect(m?.modelId).toBe(id);
  });

  it('19 closed models priced; gemini-2.5-pro >200k tier $2.5/$15', () => {
    const closed = closedModelsFromReference(ref);
    expect(closed).toHaveLength(19);
    const g = closed.find((c) => c.id === 'gemini-2.5-pro');
    expect(g?.longContext?.thresholdTokens).toBe(200_000);
    expect(String(g?.longContext?.inputPerMTok)).toBe('2.5');
  });
});

describe('referenceGaps / economicsCatalogFrom', () => {
  const gaps = referenceGaps(ref);
  it.each<[string, RegExp]>([
    ['mistral-7b-v0.3', /paramsB is null/],
    ['gemma-2-27b', /no usable architecture/],
    ['Qwen2.5-Coder-32B@H100-NVL-94GB', /not in gpus/],
    ['H100-80GB-SXM', /no committed/],
  ])('%s is reported as a gap', (id, reason) => {
    expect(gaps.some((g) => g.id === id && reason.test(g.reason))).toBe(true);
  });

  it('catalog bundles 33 models, 7 GPUs, 53 points, 51 managed and 19 closed prices', () => {
    const c = economicsCatalogFrom(ref);
    expect([c.models.length, c.gpus.length, c.throughput.length, c.managedOpenApis.length, c.closedModels.length]).toEqual([33, 7, 53, 51, 19]);
  });
});
