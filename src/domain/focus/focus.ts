import { Money, type Decimal } from '../money.js';
import type { ClassRates } from '../pricing/price.js';
import type { TokenCounts } from '../pricing/usage.js';

/*
 * FOCUS 1.2 rows (FinOps Open Cost and Usage Specification, tag v1.2 of
 * FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec, specification/columns/*.md)
 * from one daily rollup row: one FOCUS row per token class with tokens.
 *
 * Token classes are DISJOINT slices of the rollup's counts (src/domain/pricing/usage.ts
 * defines the subsets), so ConsumedQuantity sums to the rollup's real token totals:
 *   input              fresh text input = input - cached - cache writes - audio/image/video input
 *   input_audio | input_image | input_video    fresh input by modality
 *   cached_input       cache reads that are not audio      cached_input_audio   audio cache reads
 *   cache_write_5m     cache writes - 1-hour writes        cache_write_1h       1-hour TTL writes
 *   output             output - reasoning - audio output   output_audio         audio output
 *   reasoning          reasoning (thinking) tokens
 *
 * Costs (USD, exact decimals, never floats):
 *   BilledCost     the rollup's cost (cost_usd, or provider_basis_cost_usd with costBasis=provider) split
 *                  across the row's classes in proportion to tokens x the APPLIED rate of each class (the
 *                  org's custom price when one is in force, else the catalog version in force at the start
 *                  of the day; a provider discount scales every class alike so it does not move the split).
 *                  Shares are rounded to 12 decimal places (numeric(24,12), the rollup's own scale) and the
 *                  class with the largest weight takes the remainder, so the classes sum EXACTLY to the rollup.
 *   EffectiveCost  = BilledCost: Crossover knows no prepaid commitments to amortise.
 *   ContractedCost = BilledCost: the org's custom prices and provider discounts ARE its negotiated
 *                  (contracted) prices, and there is no commitment discount to exclude.
 *   ListCost       tokens x the catalog (list) rate of the class, no org discount or custom price. When
 *                  there is no list rate (no catalog price that day, e.g. a model only an org's custom price
 *                  covers) or part of the row's requests were unpriced, ListCost = BilledCost: a list price
 *                  is never invented. Long-context tier surcharges are per request and the daily rollup
 *                  cannot see them, so ListCost uses the base rates.
 * Unpriced usage: costs stay what was metered (0 when nothing was priced) and x_Unpriced is true.
 */

export const FOCUS_VERSION = '1.2';

export const TOKEN_CLASSES = [
  'input',
  'input_audio',
  'input_image',
  'input_video',
  'cached_input',
  'cached_input_audio',
  'cache_write_5m',
  'cache_write_1h',
  'output',
  'output_audio',
  'reasoning',
] as const;
export type TokenClass = (typeof TOKEN_CLASSES)[number];

/** SkuMeter of each class: what is metered. */
export const CLASS_METER: Record<TokenClass, string> = {
  input: 'Input Tokens',
  input_audio: 'Audio Input Tokens',
  input_image: 'Image Input Tokens',
  input_video: 'Video Input Tokens',
  cached_input: 'Cached Input Tokens',
  cached_input_audio: 'Cached Audio Input Tokens',
  cache_write_5m: 'Cache Write Tokens (5-minute TTL)',
  cache_write_1h: 'Cache Write Tokens (1-hour TTL)',
  output: 'Output Tokens',
  output_audio: 'Audio Output Tokens',
  reasoning: 'Reasoning Tokens',
};

/** Token sums of one daily rollup row (tokens); the class counts are subsets as in usage.ts. */
export type RollupTokens = TokenCounts;

/** Disjoint per-class token counts (tokens) of a rollup row; they sum to input + output. A slice that would be negative (inconsistent counts) is 0. */
export function classQuantities(t: RollupTokens): Record<TokenClass, number> {
  const nn = (n: number) => Math.max(0, n);
  return {
    input: nn(t.inputTokens - t.cachedInputTokens - t.cacheWriteTokens - t.audioInputTokens - t.imageInputTokens - t.videoInputTokens),
    input_audio: t.audioInputTokens,
    input_image: t.imageInputTokens,
    input_video: t.videoInputTokens,
    cached_input: nn(t.cachedInputTokens - t.cachedAudioInputTokens),
    cached_input_audio: t.cachedAudioInputTokens,
    cache_write_5m: nn(t.cacheWriteTokens - t.cacheWrite1hTokens),
    cache_write_1h: t.cacheWrite1hTokens,
    output: nn(t.outputTokens - t.reasoningTokens - t.audioOutputTokens),
    output_audio: t.audioOutputTokens,
    reasoning: t.reasoningTokens,
  };
}

/** Base rates and class rates of a price (USD per 1M tokens); null/absent class rates fall back as in cost.ts. */
export interface RateFields extends ClassRates {
  inputPerMTok: Decimal.Value;
  outputPerMTok: Decimal.Value;
  cachedInputPerMTok?: Decimal.Value | null;
  cacheWritePerMTok?: Decimal.Value | null;
  reasoningPerMTok?: Decimal.Value | null;
}

export type ClassRateTable = Record<TokenClass, Decimal>;

/** The rate of every class (USD per 1M tokens), each falling back to the class it is a subset of (cost.ts semantics). */
export function classRates(p: RateFields): ClassRateTable {
  const d = (v: Decimal.Value | null | undefined, fallback: Decimal): Decimal => (v === null || v === undefined ? fallback : new Money(v));
  const input = new Money(p.inputPerMTok);
  const output = new Money(p.outputPerMTok);
  const cached = d(p.cachedInputPerMTok, input);
  const cacheWrite = d(p.cacheWritePerMTok, input);
  return {
    input,
    input_audio: d(p.inputAudioPerMTok, input),
    input_image: d(p.inputImagePerMTok, input),
    input_video: d(p.inputVideoPerMTok, input),
    cached_input: cached,
    cached_input_audio: d(p.cachedInputAudioPerMTok, cached),
    cache_write_5m: cacheWrite,
    cache_write_1h: d(p.cacheWrite1hPerMTok, cacheWrite),
    output,
    output_audio: d(p.outputAudioPerMTok, output),
    reasoning: d(p.reasoningPerMTok, output),
  };
}

/** Scale of the rollup's numeric(24,12) costs: shares are rounded here and the remainder goes to the largest. */
export const COST_DP = 12;

/**
 * Splits `total` (USD) across keys in proportion to their weights, each share rounded to `dp` places
 * (half-even) except the largest weight's (first on a tie), which takes the remainder: the shares sum
 * EXACTLY to `total`. All weights zero: split by `fallback` weights (e.g. token counts) the same way.
 */
export function splitExact<K extends string>(total: Decimal.Value, weights: readonly { key: K; weight: Decimal; fallback?: Decimal }[], dp = COST_DP): Map<K, Decimal> {
  const out = new Map<K, Decimal>();
  if (weights.length === 0) return out;
  const sum = (ws: Decimal[]) => ws.reduce((a, b) => a.plus(b), new Money(0));
  let ws = weights.map((w) => w.weight);
  if (sum(ws).isZero()) ws = weights.map((w) => w.fallback ?? new Money(0));
  if (sum(ws).isZero()) ws = weights.map(() => new Money(1));
  const W = sum(ws);
  const T = new Money(total);
  let largest = 0;
  for (let i = 1; i < ws.length; i++) if (ws[i].gt(ws[largest])) largest = i;
  let allocated = new Money(0);
  weights.forEach((w, i) => {
    if (i === largest) return;
    const share = T.mul(ws[i]).div(W).toDecimalPlaces(dp, Money.ROUND_HALF_EVEN);
    out.set(w.key, share);
    allocated = allocated.plus(share);
  });
  out.set(weights[largest].key, T.minus(allocated));
  // Keep the caller's order.
  return new Map(weights.map((w) => [w.key, out.get(w.key)!]));
}

/** One daily rollup row and what the export knows about its prices. */
export interface FocusSource {
  /** UTC midnight of the rollup day. */
  day: Date;
  orgId: string;
  orgName: string;
  /** Project slug ('' = none) and its display name. */
  project: string;
  projectName: string | null;
  workload: string;
  environment: string;
  /** Canonical provider slug (openai, anthropic, together, ...). */
  provider: string;
  modelId: string;
  serviceTier: string;
  requests: number;
  unpricedRequests: number;
  tokens: RollupTokens;
  /** The cost being exported (USD): cost_usd, or provider_basis_cost_usd with costBasis=provider. */
  costUsd: Decimal.Value;
  costBasis: 'computed' | 'provider';
  /** Rates the metering applied (custom price or catalog, tier-adjusted where known), for the split; null = none. */
  appliedRates: ClassRateTable | null;
  /** Catalog list rates in force that day (tier-adjusted where known); null = no list price. */
  listRates: ClassRateTable | null;
}

/** FOCUS columns (alphabetical), then the custom x_ columns (after every FOCUS column, per Column Handling). */
export const FOCUS_COLUMNS = [
  'BilledCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'ConsumedQuantity',
  'ConsumedUnit',
  'ContractedCost',
  'EffectiveCost',
  'InvoiceIssuerName',
  'ListCost',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'PublisherName',
  'ServiceCategory',
  'ServiceName',
  'ServiceSubcategory',
  'SkuId',
  'SkuMeter',
  'SkuPriceDetails',
  'SkuPriceId',
  'SubAccountId',
  'SubAccountName',
  'Tags',
] as const;
export const CUSTOM_COLUMNS = ['x_CostBasis', 'x_Environment', 'x_ServiceTier', 'x_TokenClass', 'x_Unpriced', 'x_Workload'] as const;
export const ALL_COLUMNS = [...FOCUS_COLUMNS, ...CUSTOM_COLUMNS] as const;
export type FocusColumn = (typeof ALL_COLUMNS)[number];

/** One FOCUS row: decimals as plain decimal strings (Numeric Format), dates as YYYY-MM-DDTHH:mm:ssZ, JSON columns as serialised objects. */
export type FocusRow = Record<FocusColumn, string | boolean | null>;

/** PricingUnit: Unit Format allows a whole-number quantity before a plural count unit ("1000000 Tokens"). */
export const PRICING_UNIT = '1000000 Tokens';
export const CONSUMED_UNIT = 'Tokens';

const PROVIDERS: Record<string, { name: string; service: string }> = {
  openai: { name: 'OpenAI', service: 'OpenAI API' },
  anthropic: { name: 'Anthropic', service: 'Claude API' },
  google: { name: 'Google', service: 'Gemini API' },
  together: { name: 'Together AI', service: 'Together AI Inference' },
  fireworks: { name: 'Fireworks AI', service: 'Fireworks AI Inference' },
  groq: { name: 'Groq', service: 'GroqCloud' },
  deepinfra: { name: 'DeepInfra', service: 'DeepInfra Inference' },
  mistral: { name: 'Mistral AI', service: 'Mistral AI API' },
  deepseek: { name: 'DeepSeek', service: 'DeepSeek API' },
  'x-ai': { name: 'xAI', service: 'xAI API' },
  xai: { name: 'xAI', service: 'xAI API' },
  cohere: { name: 'Cohere', service: 'Cohere API' },
  azure: { name: 'Microsoft', service: 'Azure OpenAI' },
  aws: { name: 'Amazon Web Services', service: 'Amazon Bedrock' },
  bedrock: { name: 'Amazon Web Services', service: 'Amazon Bedrock' },
  openrouter: { name: 'OpenRouter', service: 'OpenRouter' },
};

/** Model families whose publisher is not the host (open models on managed APIs); first match wins. */
const PUBLISHERS: [RegExp, string][] = [
  [/(^|\/)(meta-llama|llama)/i, 'Meta'],
  [/(^|\/)(mistralai|mistral|mixtral|codestral|ministral)/i, 'Mistral AI'],
  [/(^|\/)(qwen|qwq)/i, 'Alibaba Cloud'],
  [/(^|\/)deepseek/i, 'DeepSeek'],
  [/(^|\/)gemma/i, 'Google'],
  [/(^|\/)(openai\/)?gpt-oss/i, 'OpenAI'],
  [/(^|\/)(moonshotai|kimi)/i, 'Moonshot AI'],
  [/(^|\/)(claude)/i, 'Anthropic'],
  [/(^|\/)(gpt-|o\d)/i, 'OpenAI'],
  [/(^|\/)gemini/i, 'Google'],
];

/** ProviderName / ServiceName / InvoiceIssuerName / PublisherName of a provider and model: the host provides and invoices, the model's maker publishes. */
export function parties(provider: string, modelId: string): { provider: string; service: string; invoiceIssuer: string; publisher: string } {
  const p = PROVIDERS[provider] ?? { name: provider, service: `${provider} API` };
  const publisher = PUBLISHERS.find(([re]) => re.test(modelId))?.[1] ?? p.name;
  return { provider: p.name, service: p.service, invoiceIssuer: p.name, publisher };
}

/** Date/Time Format: UTC, 'YYYY-MM-DDTHH:mm:ssZ' (no fractional seconds). */
export function focusDateTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Numeric Format: a plain decimal (no exponent, no plus sign, no trailing zeros). */
export function focusDecimal(d: Decimal): string {
  const s = d.toFixed();
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s === '-0' ? '0' : s;
}

const DAY_MS = 86_400_000;

/** The FOCUS rows of one daily rollup row: one per token class with tokens (costs in USD, quantities in tokens). */
export function focusRows(src: FocusSource): FocusRow[] {
  const q = classQuantities(src.tokens);
  let used = TOKEN_CLASSES.filter((c) => q[c] > 0);
  const cost = new Money(src.costUsd);
  // A cost with no tokens at all (a provider-reported cost on an event that reported zero tokens) still appears.
  if (used.length === 0) {
    if (cost.isZero()) return [];
    used = ['input'];
  }
  const split = splitExact(
    cost,
    used.map((c) => ({ key: c, weight: src.appliedRates ? new Money(q[c]).mul(src.appliedRates[c]) : new Money(0), fallback: new Money(q[c]) })),
  );
  const unpriced = src.unpricedRequests > 0;
  const start = src.day;
  const end = new Date(start.getTime() + DAY_MS);
  const periodStart = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1));
  const periodEnd = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  const who = parties(src.provider, src.modelId);
  const tags: Record<string, string> = { workload: src.workload, environment: src.environment };
  if (src.project) tags.project = src.project;
  const tagsJson = JSON.stringify(tags);
  return used.map((c) => {
    const billed = split.get(c)!;
    const list = src.listRates && !unpriced ? new Money(q[c]).mul(src.listRates[c]).div(1_000_000) : billed;
    const tier = src.serviceTier;
    return {
      BilledCost: focusDecimal(billed),
      BillingAccountId: src.orgId,
      BillingAccountName: src.orgName,
      BillingCurrency: 'USD',
      BillingPeriodEnd: focusDateTime(periodEnd),
      BillingPeriodStart: focusDateTime(periodStart),
      ChargeCategory: 'Usage',
      ChargeClass: null,
      ChargeDescription: `${src.modelId} ${CLASS_METER[c].toLowerCase()}${tier === 'default' ? '' : `, ${tier} tier`}`,
      ChargeFrequency: 'Usage-Based',
      ChargePeriodEnd: focusDateTime(end),
      ChargePeriodStart: focusDateTime(start),
      ConsumedQuantity: String(q[c]),
      ConsumedUnit: CONSUMED_UNIT,
      ContractedCost: focusDecimal(billed),
      EffectiveCost: focusDecimal(billed),
      InvoiceIssuerName: who.invoiceIssuer,
      ListCost: focusDecimal(list),
      PricingQuantity: focusDecimal(new Money(q[c]).div(1_000_000)),
      PricingUnit: PRICING_UNIT,
      ProviderName: who.provider,
      PublisherName: who.publisher,
      ServiceCategory: 'AI and Machine Learning',
      ServiceName: who.service,
      ServiceSubcategory: 'Generative AI',
      SkuId: src.modelId,
      SkuMeter: CLASS_METER[c],
      SkuPriceDetails: JSON.stringify({ TokenClass: c, ServiceTier: tier }),
      SkuPriceId: `${src.modelId}:${c}:${tier}`,
      SubAccountId: src.project || null,
      SubAccountName: src.project ? (src.projectName ?? src.project) : null,
      Tags: tagsJson,
      x_CostBasis: src.costBasis,
      x_Environment: src.environment,
      x_ServiceTier: tier,
      x_TokenClass: c,
      x_Unpriced: unpriced,
      x_Workload: src.workload,
    };
  });
}
