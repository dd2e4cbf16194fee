import type { Decimal } from 'decimal.js';
import { Money } from '../money.js';
import { DEFAULT_LATENCY_TARGET_P95_MS } from './capacity.js';
import { GPU_PRICE_TIERS, PRECISIONS, type GpuPriceTier, type KvPrecision, type Precision } from './types.js';

export type TeamMaturity = 'none' | 'some' | 'strong';
/** GPU price tier the self-host options are priced at (see GpuPriceTier); the default is marketOnDemand. */
export type PriceTier = GpuPriceTier;
export type ScalingMode = 'always-on' | 'scaled';
export type AssumptionOrigin = 'default' | 'org' | 'request';

/** Org-negotiated GPU prices (USD per GPU-hour) per tier that replace the reference catalog's. */
export type GpuPriceOverride = Partial<Record<GpuPriceTier, Decimal.Value>>;

/**
 * Tier names orgs saved before the market tiers existed, and what they mean
 * now: the old onDemand was the hyperscaler list price, but the product's
 * default on-demand is the market figure, so it maps to marketOnDemand.
 */
export const LEGACY_PRICE_TIERS: Readonly<Record<string, GpuPriceTier>> = Object.freeze({ onDemand: 'marketOnDemand', committed: 'committed1y' });

/** Longest accepted gpuProvider (characters). */
export const GPU_PROVIDER_MAX_LENGTH = 40;

export interface Assumptions {
  /** Fraction of GPU memory the engine plans with (vLLM default 0.9). */
  gpuMemoryUtilization: number;
  /** Per-GPU workspace for activations, CUDA graphs, allocator slack (GB). */
  workspaceGBPerGpu: number;
  kvCachePrecision: KvPrecision;
  /** Precisions tried when the request names none. */
  precisions: Precision[];
  /** Also try the model's released precision (gpt-oss mxfp4, DeepSeek-V3 fp8). */
  includeNativePrecision: boolean;
  /** p95 context = avg tokens per request x this, capped at the model window. */
  p95ContextMultiplier: number;
  /** Tokens per request (input + output) when the request does not say. */
  defaultAvgTokensPerRequest: number;
  /** p95 time per request (ms) self-hosted replicas are sized for when the workload names none (a stated default, not a measurement). */
  latencyTargetP95Ms: number;
  /** Busiest-hour utilisation the fleet is planned for (0-1). */
  targetUtilisation: number;
  /** Spare replicas on top of peak (N+1 = 1). */
  redundancyReplicas: number;
  /** Replicas kept at zero load; null = 1 + redundancy. */
  minReplicas: number | null;
  /** always-on (fleet sized for p95 all month) or scaled (per hour of day; needs an hourly series). */
  scaling: ScalingMode;
  /** Peak / average demand when no hourly series is given. */
  peakToAverage: number;
  /** Hours per month (365 x 24 / 12). */
  hoursPerMonth: number;
  priceTier: PriceTier;
  /** The org's preferred GPU cloud ("lambda", "aws"), matched case-insensitively to offer providers; null = market figures. */
  gpuProvider: string | null;
  gpuPriceOverrides: Record<string, GpuPriceOverride>;
  teamMaturity: TeamMaturity;
  /** Engineers per self-hosted deployment, by team maturity (FTE). */
  engineerFractionByMaturity: Record<TeamMaturity, number>;
  /** Loaded cost of one engineer (USD/month). */
  engineerMonthlyCostUsd: Decimal.Value;
  /** Storage, egress, monitoring as a fraction of GPU cost. */
  overheadFraction: number;
  /** One-off engineer-weeks per migration step. */
  migrationWeeks: { evaluation: number; integration: number; fineTuning: number };
  /** Include the fine-tuning step in migrations to open models. */
  fineTune: boolean;
  /** 52 weeks / 12 months. */
  weeksPerMonth: number;
  /** Crossover search range (tokens/month). */
  crossoverMinTokens: number;
  crossoverMaxTokens: number;
  sensitivityVolumeFactors: number[];
  sensitivityGpuPriceFactors: number[];
}

/** Defaults used when neither the org nor the request says otherwise. */
export const DEFAULT_ASSUMPTIONS: Readonly<Assumptions> = Object.freeze({
  gpuMemoryUtilization: 0.9,
  workspaceGBPerGpu: 2,
  kvCachePrecision: 'bf16',
  precisions: ['bf16', 'fp8'],
  includeNativePrecision: true,
  p95ContextMultiplier: 2,
  defaultAvgTokensPerRequest: 2000,
  latencyTargetP95Ms: DEFAULT_LATENCY_TARGET_P95_MS,
  targetUtilisation: 0.6,
  redundancyReplicas: 1,
  minReplicas: null,
  scaling: 'always-on',
  peakToAverage: 2,
  hoursPerMonth: 730,
  priceTier: 'marketOnDemand',
  gpuProvider: null,
  gpuPriceOverrides: {},
  teamMaturity: 'some',
  engineerFractionByMaturity: { none: 1, some: 0.5, strong: 0.25 },
  engineerMonthlyCostUsd: '15000',
  overheadFraction: 0.1,
  migrationWeeks: { evaluation: 2, integration: 2, fineTuning: 4 },
  fineTune: false,
  weeksPerMonth: 52 / 12,
  crossoverMinTokens: 1e6,
  crossoverMaxTokens: 1e13,
  sensitivityVolumeFactors: [0.5, 2, 5],
  sensitivityGpuPriceFactors: [0.5, 1.5],
}) as Readonly<Assumptions>;

/** Partial overrides: nested maps may be partial too (e.g. one maturity fraction). */
export type AssumptionOverrides = {
  [K in keyof Assumptions]?: Assumptions[K] extends unknown[]
    ? Assumptions[K]
    : Assumptions[K] extends Record<string, unknown>
      ? Partial<Assumptions[K]>
      : Assumptions[K];
};

export interface ResolvedAssumptions {
  values: Assumptions;
  /** Origin of every leaf, keyed by dotted path ("migrationWeeks.evaluation", "gpuPriceOverrides.L4-24GB.onDemand"). */
  origins: Record<string, AssumptionOrigin>;
  /** Overrides that were rejected (and so left at the previous value), or legacy values that were mapped, with why. */
  issues: string[];
  /** The subset of `issues` that are legacy values mapped to their new name (accepted, not rejected). */
  legacyMapped?: string[];
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const between = (lo: number, hi: number) => (v: unknown) => isNum(v) && v >= lo && v <= hi;
const atLeast = (lo: number) => (v: unknown) => isNum(v) && v >= lo;
const above = (lo: number) => (v: unknown) => isNum(v) && v > lo;
const intAtLeast = (lo: number) => (v: unknown) => isNum(v) && Number.isInteger(v) && v >= lo;
const oneOf = (...xs: string[]) => (v: unknown) => typeof v === 'string' && xs.includes(v);
const bool = (v: unknown) => typeof v === 'boolean';
const positiveList = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((x) => isNum(x) && x > 0);
/** A plain decimal string as given ("2.10" stays "2.10"), any other notation (a number, "1e3") in plain form. */
const plainDecimal = (v: Decimal.Value): string => (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? v : new Money(v).toFixed());

const nonNegativeMoney = (v: unknown): boolean => {
  if (typeof v !== 'string' && typeof v !== 'number' && !Money.isDecimal(v)) return false;
  try {
    const d = new Money(v as Decimal.Value);
    return d.isFinite() && d.gte(0);
  } catch {
    return false;
  }
};

/** Assumptions the flat capacity rules used (prefill factor, roofline batch factor, encoder MFU, fixed concurrency): retired, accepted and ignored. */
const RETIRED_ASSUMPTIONS: readonly string[] = ['prefillCostFactor', 'rooflineBatchFactor', 'encoderMfu', 'concurrentSequencesPerReplica'];

/** Validation per dotted path; "*" matches one segment. */
const RULES: Record<string, (v: unknown) => boolean> = {
  gpuMemoryUtilization: between(0.1, 1),
  workspaceGBPerGpu: atLeast(0),
  kvCachePrecision: oneOf('bf16', 'fp8'),
  precisions: (v) => Array.isArray(v) && v.length > 0 && v.every((p) => (PRECISIONS as readonly unknown[]).includes(p)),
  includeNativePrecision: bool,
  p95ContextMultiplier: atLeast(1),
  defaultAvgTokensPerRequest: above(0),
  latencyTargetP95Ms: between(100, 600_000),
  targetUtilisation: between(0.05, 1),
  redundancyReplicas: intAtLeast(0),
  minReplicas: (v) => v === null || intAtLeast(1)(v),
  scaling: oneOf('always-on', 'scaled'),
  peakToAverage: atLeast(1),
  hoursPerMonth: above(0),
  priceTier: oneOf(...GPU_PRICE_TIERS),
  gpuProvider: (v) => v === null || (typeof v === 'string' && v.length <= GPU_PROVIDER_MAX_LENGTH && /^[A-Za-z0-9][A-Za-z0-9 ._-]*$/.test(v)),
  ...Object.fromEntries(GPU_PRICE_TIERS.map((t) => [`gpuPriceOverrides.*.${t}`, nonNegativeMoney])),
  teamMaturity: oneOf('none', 'some', 'strong'),
  'engineerFractionByMaturity.none': atLeast(0),
  'engineerFractionByMaturity.some': atLeast(0),
  'engineerFractionByMaturity.strong': atLeast(0),
  engineerMonthlyCostUsd: nonNegativeMoney,
  overheadFraction: atLeast(0),
  'migrationWeeks.evaluation': atLeast(0),
  'migrationWeeks.integration': atLeast(0),
  'migrationWeeks.fineTuning': atLeast(0),
  fineTune: bool,
  weeksPerMonth: above(0),
  crossoverMinTokens: above(0),
  crossoverMaxTokens: above(0),
  sensitivityVolumeFactors: positiveList,
  sensitivityGpuPriceFactors: positiveList,
};

/** A legacy price-tier value or override key, renamed to its GpuPriceTier; null when the leaf is not legacy. */
function legacyLeaf(path: string[], value: unknown): { path: string[]; value: unknown; from: string; to: string } | null {
  const key = path.join('.');
  if (key === 'priceTier' && typeof value === 'string' && value in LEGACY_PRICE_TIERS) {
    const to = LEGACY_PRICE_TIERS[value] as GpuPriceTier;
    return { path, value: to, from: value, to };
  }
  const last = path[path.length - 1] as string;
  if (path.length === 3 && path[0] === 'gpuPriceOverrides' && last in LEGACY_PRICE_TIERS) {
    const to = LEGACY_PRICE_TIERS[last] as GpuPriceTier;
    return { path: [...path.slice(0, 2), to], value, from: key, to: [...path.slice(0, 2), to].join('.') };
  }
  return null;
}

function ruleFor(path: string[]): ((v: unknown) => boolean) | undefined {
  const exact = RULES[path.join('.')];
  if (exact) return exact;
  return Object.entries(RULES).find(([k]) => {
    const parts = k.split('.');
    return parts.length === path.length && parts.every((p, i) => p === '*' || p === path[i]);
  })?.[1];
}

/** Objects merged key by key; arrays and Decimals are leaves. */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !Money.isDecimal(v);
}

function walkLeaves(v: unknown, path: string[], visit: (path: string[], value: unknown) => void): void {
  if (isPlainObject(v)) {
    for (const [k, child] of Object.entries(v)) walkLeaves(child, [...path, k], visit);
  } else {
    visit(path, v);
  }
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (!isPlainObject(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = Array.isArray(value) ? [...value] : value;
}

function cloneDeep<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => cloneDeep(x)) as T;
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cloneDeep(x)])) as T;
  return v;
}

/**
 * Layers defaults < org < request, leaf by leaf, recording each leaf's origin.
 * An invalid override (wrong type, out of range, unknown key) is ignored and
 * reported in `issues`; it never throws.
 */
export function mergeAssumptions(
  defaults: Readonly<Assumptions> = DEFAULT_ASSUMPTIONS,
  org?: AssumptionOverrides | null,
  request?: AssumptionOverrides | null,
): ResolvedAssumptions {
  const values = cloneDeep(defaults) as Assumptions;
  const origins: Record<string, AssumptionOrigin> = {};
  const issues: string[] = [];
  const legacyMapped: string[] = [];
  walkLeaves(values, [], (path) => {
    if (path.length > 0) origins[path.join('.')] = 'default';
  });
  const layers: [AssumptionOrigin, AssumptionOverrides | null | undefined][] = [
    ['org', org],
    ['request', request],
  ];
  for (const [origin, overrides] of layers) {
    if (!overrides) continue;
    walkLeaves(overrides, [], (rawPath, rawValue) => {
      if (rawPath.length === 0 || rawValue === undefined) return;
      // Orgs saved the old tier names: read them under the new ones and say so, never reject them.
      const legacy = legacyLeaf(rawPath, rawValue);
      const path = legacy?.path ?? rawPath;
      const value = legacy?.value ?? rawValue;
      if (legacy !== null) {
        const what = rawPath.join('.') === 'priceTier' ? `priceTier "${legacy.from}"` : `"${legacy.from}"`;
        const line = `${origin}: legacy ${what} mapped to "${legacy.to}" (accepted)`;
        issues.push(line);
        legacyMapped.push(line);
      }
      const key = path.join('.');
      if (RETIRED_ASSUMPTIONS.includes(key)) {
        // Saved by orgs before the calibrated capacity model, which derives them: ignored, never a reason to refuse a save.
        const line = `${origin}: retired assumption "${key}" ignored (the capacity model derives it from the GPU, the model and the workload)`;
        issues.push(line);
        legacyMapped.push(line);
        return;
      }
      const rule = ruleFor(path);
      if (rule === undefined) {
        issues.push(`${origin}: unknown assumption "${key}" ignored`);
        return;
      }
      if (!rule(value)) {
        issues.push(`${origin}: invalid value for "${key}" ignored (${JSON.stringify(value)})`);
        return;
      }
      // Money may be sent as a number or in any notation Decimal reads ("1e3"); it is kept as a plain decimal string, as every amount is answered.
      setPath(values as unknown as Record<string, unknown>, path, rule === nonNegativeMoney ? plainDecimal(value as Decimal.Value) : value);
      origins[key] = origin;
    });
  }
  if (values.crossoverMinTokens >= values.crossoverMaxTokens) {
    issues.push('crossoverMinTokens >= crossoverMaxTokens: defaults restored for both');
    values.crossoverMinTokens = defaults.crossoverMinTokens;
    values.crossoverMaxTokens = defaults.crossoverMaxTokens;
    origins.crossoverMinTokens = 'default';
    origins.crossoverMaxTokens = 'default';
  }
  return { values, origins, issues, legacyMapped };
}

export interface AssumptionRecord {
  key: string;
  /** JSON-safe value: Decimals as strings. */
  value: string | number | boolean | null | (string | number)[];
  /** default | org | request | reference. */
  origin: AssumptionOrigin | 'reference';
  /** Reference source id for reference facts. */
  sourceId?: string | null;
  note?: string;
}

function jsonValue(v: unknown): AssumptionRecord['value'] {
  if (Money.isDecimal(v)) return (v as Decimal).toFixed();
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'number' ? x : String(x)));
  if (v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
  return String(v);
}

/** Flattens resolved assumptions into one record per leaf with its origin. */
export function assumptionRecords(resolved: ResolvedAssumptions): AssumptionRecord[] {
  const out: AssumptionRecord[] = [];
  walkLeaves(resolved.values, [], (path, value) => {
    if (path.length === 0) return;
    const key = path.join('.');
    out.push({ key, value: jsonValue(value), origin: resolved.origins[key] ?? 'default' });
  });
  return out;
}
