import type { Fp8Support, GpuOfferKind, Interconnect } from '../economics/types.js';

export type { GpuOfferKind } from '../economics/types.js';

/*
 * The typed records that gpu-market-reader.ts reads src/reference/gpu-market.json
 * into. Prices are USD per GPU-hour as plain decimal strings, never floats.
 */

export const GPU_OFFER_KINDS: readonly GpuOfferKind[] = ['onDemand', 'spot', 'committed1y', 'capacityBlock'];

/** One published price for one GPU type, normalised to USD per GPU-hour. */
export interface GpuOfferRecord {
  /** Provider as published ("AWS", "Lambda", "RunPod"). */
  provider: string;
  /** Instance or product, with the arithmetic that normalised it ("p5.48xlarge (8x) on-demand ($98.32/8)"). */
  sku: string;
  /** GPUs in the instance the price is for (1 for per-GPU products). */
  gpusPerInstance: number;
  kind: GpuOfferKind;
  /** USD per GPU-hour, decimal string. */
  usdPerGpuHour: string;
  /** AWS, GCP or Azure. */
  hyperscaler: boolean;
  region: string | null;
  /** Resolves in gpu-market.json sources[] or economics.json sources[]. */
  sourceId: string;
  /** YYYY-MM or YYYY-MM-DD of the source; null when the source is undated. */
  asOf: string | null;
  /** Undated or known out-of-date source: listed, never in a market median. */
  stale: boolean;
  note: string | null;
}

/** A sourced fact about a GPU with the source id behind it. */
export interface SourcedFact<T> {
  value: T;
  sourceId: string | null;
}

/** Interconnect, fp8 support and offers of one GPU id (the ids of economics.json gpus[]). */
export interface GpuMarketRecord {
  id: string;
  interconnect: SourcedFact<Interconnect> | null;
  fp8: SourcedFact<Fp8Support> | null;
  /** Dense fp8 TFLOPS; null where no source gives it (Ampere has no fp8 tensor cores). */
  fp8TFLOPS: SourcedFact<number> | null;
  offers: GpuOfferRecord[];
}

/** A sourced discount for a commitment term (fraction off on-demand, 0-1, decimal string). */
export interface CommitmentDiscountRecord {
  term: '1y';
  fraction: string;
  sourceId: string;
  asOf: string;
  note: string | null;
}

/** An entry of a reference file's sources[]. */
export interface SourceRecord {
  id: string;
  url: string | null;
  date: string | null;
  note: string | null;
}

/** gpu-market.json as typed records. */
export interface GpuMarket {
  sources: SourceRecord[];
  commitmentDiscounts: CommitmentDiscountRecord[];
  gpus: GpuMarketRecord[];
}
