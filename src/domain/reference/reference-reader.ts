import type { ModelTier } from '../planner/types.js';
import { canonicalProvider } from '../pricing/model-resolver.js';
import { readGpuMarket, readSources } from './gpu-market-reader.js';
import { num, parseArchitecture, parseIslOsl, parseKind, parseNativePrecision, parsePrecision, rec, records, str, usd, type Raw } from './reference-fields.js';
import type {
  ClosedModelRecord,
  GpuRecord,
  ManagedOpenApiRecord,
  OpenModelRecord,
  Reference,
  ReferenceGap,
  RoutingResultRecord,
  ThroughputRecord,
} from './reference-records.js';

/*
 * With reference-fields.ts and reference-records.ts, the only code that knows
 * the layout of src/reference/economics.json. The file is research output:
 * nulls, prose notes and mixed types (concurrency is a number or a sentence),
 * so every field is parsed defensively here and every
 * consumer (the catalog seed, the economics catalog, the planner's tiers,
 * tests) reads these typed records instead of the raw JSON.
 * Prices are USD per 1M tokens (GPU prices USD per GPU-hour) as plain decimal
 * strings, never floats. An entry without a source id is dropped and reported:
 * every figure names its source.
 */

export type {
  ClosedModelRecord,
  GpuRecord,
  ManagedOpenApiRecord,
  OpenModelRecord,
  Reference,
  ReferenceGap,
  RoutingResultRecord,
  ThroughputRecord,
} from './reference-records.js';
export type * from './gpu-market-records.js';
export { parsePrecision } from './reference-fields.js';

/** Records why an entry of the section being read was left out (or defaulted). */
type Skip = (id: string, reason: string) => void;

const TIERS: readonly ModelTier[] = ['frontier', 'mid', 'small'];

const NO_SOURCE = 'no source id';

function readClosedModel(m: Raw, skip: Skip): ClosedModelRecord | null {
  const id = str(m.id);
  const provider = str(m.provider);
  const input = usd(m.inputPerMTok);
  const output = usd(m.outputPerMTok);
  const source = str(m.source);
  // An unpriced model is left out rather than read as $0.
  if (id === null || provider === null || input === null || output === null) {
    skip(id ?? '?', 'missing id, provider, inputPerMTok or outputPerMTok');
    return null;
  }
  if (source === null) {
    skip(id, NO_SOURCE);
    return null;
  }
  let longContext: ClosedModelRecord['longContext'] = null;
  const lc = rec(m.longContextPricing);
  if (lc !== null) {
    const above = num(lc.thresholdTokens);
    const lcIn = usd(lc.inputPerMTok);
    const lcOut = usd(lc.outputPerMTok);
    // A tier that cannot be applied would under-bill long requests: leave the model out instead.
    if (above === null || !Number.isInteger(above) || above < 0 || lcIn === null || lcOut === null) {
      skip(id, 'longContextPricing lacks thresholdTokens, inputPerMTok or outputPerMTok');
      return null;
    }
    longContext = { thresholdTokens: above, inputPerMTok: lcIn, outputPerMTok: lcOut };
  }
  const tier = TIERS.find((t) => t === m.tier) ?? null;
  if (tier === null) skip(id, `tier ${JSON.stringify(m.tier ?? null)} is not frontier, mid or small: the planner treats it as mid`);
  return {
    id,
    provider: canonicalProvider(provider),
    sourceKey: str(m.sourceKey)?.trim().toLowerCase() ?? null,
    inputPerMTok: input,
    outputPerMTok: output,
    cachedInputPerMTok: usd(m.cachedInputPerMTok),
    cacheWritePerMTok: usd(m.cacheWritePerMTok),
    longContext,
    contextTokens: num(m.contextTokens),
    tier,
    source,
  };
}

function readManagedOpenApi(a: Raw, skip: Skip): ManagedOpenApiRecord | null {
  const provider = str(a.provider);
  const model = str(a.model);
  const input = usd(a.inputPerMTok);
  const output = usd(a.outputPerMTok);
  const source = str(a.source);
  const id = `${provider ?? '?'}/${model ?? '?'}`;
  if (provider === null || model === null || input === null || output === null) {
    skip(id, 'missing provider, model, inputPerMTok or outputPerMTok');
    return null;
  }
  if (source === null) {
    skip(id, NO_SOURCE);
    return null;
  }
  return {
    provider: canonicalProvider(provider),
    modelId: model.trim().toLowerCase(),
    listed: { provider, model },
    inputPerMTok: input,
    outputPerMTok: output,
    contextTokens: num(a.contextTokens),
    source,
    asOf: str(a.asOf),
  };
}

function readOpenModel(m: Raw, generation: OpenModelRecord['generation'], skip: Skip): OpenModelRecord | null {
  const id = str(m.id);
  const source = str(m.source);
  if (id === null || source === null) {
    skip(id ?? '?', id === null ? 'missing id' : NO_SOURCE);
    return null;
  }
  return {
    id,
    generation,
    family: str(m.family),
    paramsB: num(m.paramsB),
    activeParamsB: num(m.activeParamsB),
    kind: parseKind(m.kind),
    architecture: parseArchitecture(m.architecture),
    contextTokens: num(m.contextTokens),
    nativePrecision: parseNativePrecision(m),
    note: str(m.note) ?? str(m.notes),
    source,
    published: m,
  };
}

function readGpu(g: Raw, skip: Skip): GpuRecord | null {
  const id = str(g.id);
  const memoryGB = num(g.memoryGB);
  const memBandwidthTBs = num(g.memBandwidthTBs);
  const source = str(g.source);
  if (id === null || memoryGB === null || memBandwidthTBs === null) {
    skip(id ?? '?', 'missing id, memoryGB or memBandwidthTBs');
    return null;
  }
  if (source === null) {
    skip(id, NO_SOURCE);
    return null;
  }
  const hourly = rec(g.hourlyUSD) ?? {};
  let spot: string | null = null;
  let spotRange: [string, string] | null = null;
  if (Array.isArray(hourly.spot)) {
    const lo = hourly.spot.length === 2 ? usd(hourly.spot[0]) : null;
    const hi = hourly.spot.length === 2 ? usd(hourly.spot[1]) : null;
    if (lo !== null && hi !== null) spotRange = [lo, hi];
  } else {
    spot = usd(hourly.spot);
  }
  return {
    id,
    memoryGB,
    memBandwidthTBs,
    bf16TFLOPS: num(g.bf16TFLOPS),
    hourlyUsd: { onDemand: usd(hourly.onDemand), spot, spotRange, reserved1y: usd(hourly.reserved1y), basis: str(hourly.basis) },
    source,
    published: g,
  };
}

function readThroughput(t: Raw, skip: Skip): ThroughputRecord | null {
  const model = str(t.model);
  const gpu = str(t.gpu);
  const count = num(t.count);
  const outputTokPerSec = num(t.outputTokPerSec);
  const source = str(t.source);
  const id = `${model ?? '?'}@${gpu ?? '?'}`;
  if (model === null || gpu === null || count === null || outputTokPerSec === null) {
    skip(id, 'missing model, gpu, count or outputTokPerSec');
    return null;
  }
  if (source === null) {
    skip(id, NO_SOURCE);
    return null;
  }
  const { precision, assumed } = parsePrecision(t.precision);
  const concurrency = num(t.concurrency);
  return {
    // Spelled from the published values (absent ones print as "undefined") because stored facts are keyed by it.
    key: `${t.model}|${t.gpu}|${t.count}|${t.precision}|${t.engine}|${t.islOsl}|${t.concurrency}`,
    model,
    gpu,
    count,
    precision,
    precisionAssumed: assumed,
    outputTokPerSec,
    // A sentence instead of a number ("offline max", "320 prompts sent at once") means the engine was saturated.
    concurrency: concurrency ?? 'saturated',
    concurrencyLabel: concurrency === null ? (str(t.concurrency) ?? 'unknown') : String(concurrency),
    engine: str(t.engine) ?? 'unknown',
    islOsl: parseIslOsl(t.islOsl),
    derived: t.derived === true,
    source,
    published: t,
  };
}

function readRoutingResult(r: Raw, skip: Skip): RoutingResultRecord | null {
  const id = str(r.id);
  const source = str(r.source);
  if (id === null || source === null) {
    skip(id ?? '?', id === null ? 'missing id' : NO_SOURCE);
    return null;
  }
  return { id, source, published: r };
}

/**
 * Reads the parsed reference file (src/reference/economics.json) and, when
 * given, src/reference/gpu-market.json into typed records; unusable entries go to `gaps`.
 */
export function readReference(raw: unknown, gpuMarketRaw?: unknown): Reference {
  const file = rec(raw) ?? {};
  const gaps: ReferenceGap[] = [];
  const market = readGpuMarket(gpuMarketRaw ?? null);
  function read<T>(section: string, one: (r: Raw, skip: Skip) => T | null): T[] {
    const skip: Skip = (id, reason) => gaps.push({ section, id, reason });
    return records(file[section])
      .map((r) => one(r, skip))
      .filter((r) => r !== null);
  }
  return {
    closedModels: read('closedModels', readClosedModel),
    managedOpenApis: read('managedOpenApis', readManagedOpenApi),
    openModels: read('openModels', (m, skip) => readOpenModel(m, 'current', skip)),
    seedModels: read('seedModels', (m, skip) => readOpenModel(m, 'seed', skip)),
    gpus: read('gpus', readGpu),
    throughput: read('throughput', readThroughput),
    routingResults: read('routingResults', readRoutingResult),
    sources: readSources(file.sources),
    gpuMarket: market.market,
    gaps: [...gaps, ...market.gaps],
  };
}
