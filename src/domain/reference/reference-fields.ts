import { Money } from '../money.js';
import type { ArchitectureSpec, IslOsl, ModelKind, Precision } from '../economics/types.js';

/*
 * Defensive parsers for single fields of src/reference/economics.json (nulls,
 * prose notes and mixed types are normal there): each returns null, or a
 * default, rather than throwing.
 */

/** One entry of the reference file, as parsed JSON. */
export type Raw = Readonly<Record<string, unknown>>;

export function rec(v: unknown): Raw | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : null;
}

export function records(v: unknown): Raw[] {
  return Array.isArray(v) ? v.map(rec).filter((r) => r !== null) : [];
}

export function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function str(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

/**
 * JSON number (USD) → plain decimal string. String(n) is the shortest spelling
 * that parses back to the same double, so 0.3 stays "0.3"; toFixed() then
 * writes 1e-7 as "0.0000001". Negative or non-numeric values are not prices.
 */
export function usd(v: unknown): string | null {
  const n = num(v);
  return n === null || n < 0 ? null : new Money(String(n)).toFixed();
}

export function parseKind(v: unknown): ModelKind {
  return v === 'encoder' || v === 'encoder-decoder' ? v : 'decoder';
}

/**
 * Architecture is usable when the KV formula has its inputs: MLA dims, or
 * kvHeads and headDim, or at least the published bytes/token. Falcon-40B's
 * openModels entry ("multi-query (1 KV head)", no numbers) is not usable; the
 * economics take its seedModels entry (config: 8 KV heads) instead.
 */
export function parseArchitecture(v: unknown): ArchitectureSpec | null {
  const a = rec(v);
  if (a === null) return null;
  const layers = num(a.layers);
  if (layers === null) return null;
  const kvLoraRank = num(a.kvLoraRank);
  const qkRopeHeadDim = num(a.qkRopeHeadDim);
  const mla = kvLoraRank !== null && qkRopeHeadDim !== null ? { kvLoraRank, qkRopeHeadDim } : null;
  const kvHeads = num(a.kvHeads);
  const headDim = num(a.headDim);
  const kvBytesPerTokenBF16 = num(a.kvBytesPerTokenBF16);
  if (mla === null && (kvHeads === null || headDim === null) && kvBytesPerTokenBF16 === null) return null;
  return {
    layers,
    kvHeads,
    headDim,
    kvBytesPerTokenBF16,
    mla,
    hiddenSize: num(a.hiddenSize) ?? num(a.dModel),
    attentionHeads: num(a.attentionHeads),
    slidingWindow: num(a.slidingWindow),
    encoderLayers: num(a.encoderLayers),
    decoderLayers: num(a.decoderLayers),
    source: str(a.source),
  };
}

/**
 * Native precision is only stated in prose notes: gpt-oss ships MXFP4 weights,
 * DeepSeek-V3 is "released natively in FP8".
 */
export function parseNativePrecision(m: Raw): Precision | null {
  const arch = rec(m.architecture);
  const text = [str(m.note), str(m.notes), arch ? str(arch.note) : null].filter((s) => s !== null).join(' ');
  if (/mxfp4/i.test(text)) return 'mxfp4';
  if (/natively in fp8/i.test(text)) return 'fp8';
  return null;
}

/** "bf16 (assumed)" → bf16 (assumed); "not stated" → null. fp16 counts as bf16 (same bytes). */
export function parsePrecision(label: unknown): { precision: Precision | null; assumed: boolean } {
  const s = typeof label === 'string' ? label.toLowerCase() : '';
  const assumed = /assumed|not stated/.test(s);
  if (/mxfp4/.test(s)) return { precision: 'mxfp4', assumed };
  if (/bf16|fp16/.test(s)) return { precision: 'bf16', assumed };
  if (/fp8/.test(s)) return { precision: 'fp8', assumed };
  if (/int8/.test(s)) return { precision: 'int8', assumed };
  if (/int4|awq|gptq/.test(s)) return { precision: 'int4', assumed };
  return { precision: null, assumed };
}

export function parseIslOsl(v: unknown): IslOsl | null {
  const s = str(v);
  const m = s === null ? null : /^(\d+)\s*\/\s*(\d+)$/.exec(s);
  if (m === null) return null;
  return { input: Number(m[1]), output: Number(m[2]) };
}
