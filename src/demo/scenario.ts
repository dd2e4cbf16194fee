/*
 * The demo's story (anchor = the reference "now" of the story):
 *   - 11 workloads over OpenAI, Anthropic, Google and a self-hosted Llama (plus
 *     an unpriced self-hosted embedding model on 5% of its events);
 *   - business-hours and weekly patterns per workload (weekends lower);
 *   - growth over the months, different per workload;
 *   - support-chat moves from gpt-4o to gpt-4o-mini (85% of traffic) over two
 *     weeks starting 75 days before the anchor;
 *   - code-assistant launches 60 days before the anchor with a spike week;
 *   - ~1.2% errors, plus a three-hour Anthropic incident 23 days before the anchor;
 *   - customer-facing workloads name one of ~300 accounts per event (a long tail
 *     behind a few heavy ones: customers.ts) and chat workloads an end user;
 *   - one spend anomaly: an account's runaway integration makes support-chat
 *     spend about 6x a normal day, 3 days before the anchor (ANOMALY);
 *   - prompt caching on chat and code workloads, reasoning tokens on o3/gpt-5,
 *     thoughts on Gemini, long-context (> 200k tokens) contract summaries;
 *   - each event aggregates `requests` calls (1-50, summed tokens), so six
 *     months at scale 1 is about 245k events (~7.8M calls) and, at list prices,
 *     about $20k in the first month growing to about $32k in the last.
 *
 * Data only: generator.ts turns it into events.
 */
import { DAY_MS, HOUR_MS } from '../domain/time.js';
import { demoCustomers } from './customers.js';
import type { Rng } from './rng.js';
import type { UsageShape } from './usage-shapes.js';

export type TaskCategory = 'classification' | 'extraction' | 'summarisation' | 'chat' | 'code' | 'reasoning' | 'embedding' | 'other';

/** The body of `PATCH /v1/workloads/:slug`. */
export interface WorkloadAnnotation {
  taskCategory: TaskCategory;
  qualityRequirement: 'best-available' | 'high' | 'good-enough';
  latencyTargetP95Ms?: number;
  dataSensitivity: 'public' | 'internal' | 'confidential' | 'regulated';
  /** Where the data must be processed ('eu', 'us', 'any'); API providers without sourced processing there are excluded. */
  dataResidency?: string;
  residency?: string[];
  needsCustomisation?: boolean;
  ownerTeam?: string;
}

export interface DemoWorkload {
  slug: string;
  description: string;
  project: string;
  team: string;
  /** The models it uses, as `provider/model` (catalog ids or the names sent). */
  models: string[];
  annotations: WorkloadAnnotation;
}

/** The body of `POST /v1/workloads/:slug/evaluations`, with the workload it belongs to. */
export interface DemoEvaluation {
  workload: string;
  candidateModel: string;
  baselineModel: string;
  sampleSize: number;
  metrics: { candidate: Record<string, number>; baseline: Record<string, number> };
}

/** The long-context tier of Claude Sonnet 4.5 and Gemini 2.5 Pro starts strictly above this many input tokens per request. */
export const LONG_CONTEXT_TOKENS = 200_000;

export interface ModelProfile {
  provider: string;
  /** The name sent in the event (what the provider's SDK reports). */
  model: string;
  /** Usage shape used by most events of this model; the rest use the canonical shape. */
  shape: UsageShape;
  /** Share of events in the provider's own shape (the rest are canonical). */
  nativeShare: number;
  cache: 'openai' | 'anthropic' | 'gemini' | 'none';
  /** Reasoning share of output tokens, [min, max]; absent = none. */
  reasoning?: [number, number];
  /** Time to first token (ms, median) and output speed (tokens/s). */
  ttftMs: number;
  tokensPerSecond: number;
  /** Prefill time per input token (ms). */
  prefillMsPerToken: number;
}

const M = {
  gpt4o: { provider: 'openai', model: 'gpt-4o-2024-08-06', shape: 'openai-chat', nativeShare: 0.75, cache: 'openai', ttftMs: 450, tokensPerSecond: 85, prefillMsPerToken: 0.02 },
  gpt4oMini: { provider: 'openai', model: 'gpt-4o-mini-2024-07-18', shape: 'openai-chat', nativeShare: 0.75, cache: 'openai', ttftMs: 330, tokensPerSecond: 120, prefillMsPerToken: 0.01 },
  gpt41Mini: { provider: 'openai', model: 'gpt-4.1-mini-2025-04-14', shape: 'openai-chat', nativeShare: 0.6, cache: 'openai', ttftMs: 380, tokensPerSecond: 110, prefillMsPerToken: 0.01 },
  gpt5: { provider: 'openai', model: 'gpt-5-2025-08-07', shape: 'openai-responses', nativeShare: 0.7, cache: 'openai', reasoning: [0.3, 0.7], ttftMs: 2500, tokensPerSecond: 75, prefillMsPerToken: 0.02 },
  gpt5Mini: { provider: 'openai', model: 'gpt-5-mini-2025-08-07', shape: 'openai-chat', nativeShare: 0.7, cache: 'openai', reasoning: [0.2, 0.6], ttftMs: 1500, tokensPerSecond: 110, prefillMsPerToken: 0.01 },
  o3: { provider: 'openai', model: 'o3-2025-04-16', shape: 'openai-responses', nativeShare: 0.75, cache: 'openai', reasoning: [0.6, 0.85], ttftMs: 6000, tokensPerSecond: 60, prefillMsPerToken: 0.02 },
  sonnet45: { provider: 'anthropic', model: 'claude-sonnet-4-5-20250929', shape: 'anthropic', nativeShare: 0.75, cache: 'anthropic', ttftMs: 1100, tokensPerSecond: 65, prefillMsPerToken: 0.025 },
  haiku45: { provider: 'anthropic', model: 'claude-haiku-4-5-20251001', shape: 'anthropic', nativeShare: 0.75, cache: 'anthropic', ttftMs: 550, tokensPerSecond: 140, prefillMsPerToken: 0.01 },
  gemini25Pro: { provider: 'google', model: 'gemini-2.5-pro', shape: 'gemini', nativeShare: 0.75, cache: 'gemini', reasoning: [0.4, 0.7], ttftMs: 3500, tokensPerSecond: 90, prefillMsPerToken: 0.015 },
  gemini25Flash: { provider: 'google', model: 'gemini-2.5-flash', shape: 'gemini', nativeShare: 0.75, cache: 'gemini', reasoning: [0, 0.35], ttftMs: 600, tokensPerSecond: 180, prefillMsPerToken: 0.006 },
  gemini25FlashLite: { provider: 'google', model: 'gemini-2.5-flash-lite', shape: 'gemini', nativeShare: 0.75, cache: 'none', ttftMs: 220, tokensPerSecond: 300, prefillMsPerToken: 0.004 },
  acmeLlama: { provider: 'self-hosted', model: 'acme-llama-3-8b', shape: 'openai-chat', nativeShare: 0.8, cache: 'none', ttftMs: 150, tokensPerSecond: 95, prefillMsPerToken: 0.008 },
  acmeEmbed: { provider: 'self-hosted', model: 'acme-embed-small', shape: 'openai-embedding', nativeShare: 1, cache: 'none', ttftMs: 25, tokensPerSecond: 1, prefillMsPerToken: 0.002 },
} satisfies Record<string, ModelProfile>;

/** 24 UTC-hour weights (normalised below to a mean of 1). */
const PROFILES = {
  // Office hours in Europe then the US east coast, a lunch dip, quiet nights.
  business: [0.12, 0.1, 0.08, 0.08, 0.1, 0.18, 0.45, 1.0, 1.55, 1.8, 1.85, 1.75, 1.45, 1.7, 1.9, 1.95, 1.8, 1.5, 1.1, 0.8, 0.55, 0.4, 0.25, 0.16],
  // Customers of a product: awake from morning to late evening.
  consumer: [0.45, 0.35, 0.3, 0.28, 0.3, 0.42, 0.65, 0.95, 1.2, 1.35, 1.4, 1.4, 1.35, 1.35, 1.4, 1.45, 1.45, 1.4, 1.35, 1.3, 1.2, 1.0, 0.8, 0.6],
  // A nightly batch (01:00-05:00 UTC) plus a trickle during the day.
  nightly: [1.6, 3.2, 3.6, 3.4, 2.6, 1.2, 0.35, 0.35, 0.5, 0.55, 0.55, 0.55, 0.5, 0.55, 0.55, 0.55, 0.5, 0.45, 0.35, 0.3, 0.3, 0.3, 0.35, 0.6],
} as const;

export type ProfileName = keyof typeof PROFILES;
export const NORMALISED: Record<ProfileName, number[]> = Object.fromEntries(
  Object.entries(PROFILES).map(([k, w]) => {
    const mean = w.reduce((a, b) => a + b, 0) / w.length;
    return [k, w.map((x) => x / mean)];
  }),
) as Record<ProfileName, number[]>;

/** What an event's calls look like; time-dependent choices take the time relative to the anchor. */
export interface WorkloadSpec extends DemoWorkload {
  /** Weekday calls per day at the anchor. */
  callsPerDay: number;
  /** Weekend volume relative to a weekday. */
  weekend: number;
  profile: ProfileName;
  /** Requests aggregated per event: uniform in [min, max]. */
  batch: [number, number];
  /** Volume six months before the anchor relative to the anchor (exponential growth in between). */
  growthFrom: number;
  /** Days before the anchor the workload launched (no traffic before), with a launch spike. */
  launch?: { daysBeforeAnchor: number; spike: number; decayDays: number; rampFrom: number };
  /** Model of one event, given the time relative to the anchor (days; negative = before). */
  model: (daysFromAnchor: number, rng: Rng) => ModelProfile;
  /** One call's token counts (medians and log-sigmas). */
  tokens: { input: [number, number]; output: [number, number] };
  /** Share of the prompt served from the provider's cache, [min, max], and how often an event has caching at all. */
  cached?: { share: [number, number]; probability: number };
  /** Long single requests: probability per event and the input range (tokens). */
  longContext?: { probability: number; input: [number, number]; output: [number, number] };
  /** Share of events sent from staging. */
  staging?: number;
  /**
   * Who the calls are for: `customers` = each event names one of the company's
   * accounts (src/demo/customers.ts); `endUsers` = an opaque user id, one of the
   * account's users or, for internal tools, an employee. Internal batch
   * workloads carry neither.
   */
  attribution?: { customers: boolean; endUsers?: 'customer' | 'employee' };
}

const EVERY_MODEL = (p: ModelProfile) => `${p.provider}/${p.model}`;

/** The support-chat migration to gpt-4o-mini: starts 75 days before the anchor, takes 14 days, 85% move. */
export const MIGRATION_START_DAYS = -75;
const MIGRATION_DAYS = 14;
const MIGRATED_SHARE = 0.85;
/** A three-hour Anthropic incident (error rate 25%) 23 days before the anchor, 14:00-17:00 UTC. */
export const INCIDENT_DAY = -23;
export const INCIDENT_HOURS: [number, number] = [14, 17];
/**
 * The injected spend anomaly: one account's runaway integration (a retry loop
 * re-sending whole conversations) multiplies support-chat's volume by `multiple`
 * for one UTC day, `daysFromAnchor` days before the anchor's day. The extra calls
 * all name that account (the `customerRank`-th largest, a mid-size one, so it is
 * also an anomaly for the customer scope). Nothing else in the story moves this much
 * in a day.
 */
export const ANOMALY = { workload: 'support-chat', customerRank: 23, daysFromAnchor: -3, multiple: 6 } as const;
/** Employees who use the internal chat tools (end users of email-drafts and internal-wiki-qa). */
export const EMPLOYEES = 600;

export const SPECS: WorkloadSpec[] = [
  {
    slug: 'support-chat',
    description: 'Customer support assistant in the help centre chat: answers from the knowledge base, hands over to an agent when unsure.',
    project: 'customer-support',
    team: 'support',
    models: [EVERY_MODEL(M.gpt4o), EVERY_MODEL(M.gpt4oMini)],
    annotations: { taskCategory: 'chat', qualityRequirement: 'high', latencyTargetP95Ms: 6000, dataSensitivity: 'confidential', dataResidency: 'eu', ownerTeam: 'support' },
    callsPerDay: 16_000,
    weekend: 0.55,
    profile: 'consumer',
    batch: [35, 50],
    growthFrom: 0.7,
    model: (d, rng) => {
      const moved = d < MIGRATION_START_DAYS ? 0 : Math.min(1, (d - MIGRATION_START_DAYS) / MIGRATION_DAYS) * MIGRATED_SHARE;
      return rng.chance(moved) ? M.gpt4oMini : M.gpt4o;
    },
    tokens: { input: [6500, 0.45], output: [300, 0.45] },
    cached: { share: [0.35, 0.7], probability: 0.9 },
    staging: 0.02,
    attribution: { customers: true, endUsers: 'customer' },
  },
  {
    slug: 'ticket-classifier',
    description: 'Routes every inbound support ticket to a queue and a priority (one label out of 40).',
    project: 'customer-support',
    team: 'support',
    models: [EVERY_MODEL(M.gpt4oMini)],
    annotations: { taskCategory: 'classification', qualityRequirement: 'good-enough', latencyTargetP95Ms: 1500, dataSensitivity: 'confidential', dataResidency: 'eu', ownerTeam: 'support' },
    callsPerDay: 12_000,
    weekend: 0.45,
    profile: 'consumer',
    batch: [45, 50],
    growthFrom: 0.55,
    model: () => M.gpt4oMini,
    tokens: { input: [1400, 0.35], output: [6, 0.3] },
    cached: { share: [0.5, 0.75], probability: 0.8 },
    attribution: { customers: true },
  },
  {
    slug: 'invoice-extraction',
    description: 'Extracts supplier, amounts, VAT and line items from scanned supplier invoices into the ERP.',
    project: 'finance-ops',
    team: 'finance',
    models: [EVERY_MODEL(M.haiku45)],
    annotations: { taskCategory: 'extraction', qualityRequirement: 'high', latencyTargetP95Ms: 15000, dataSensitivity: 'regulated', dataResidency: 'eu', ownerTeam: 'finance' },
    callsPerDay: 9_000,
    weekend: 0.25,
    profile: 'nightly',
    batch: [30, 50],
    growthFrom: 0.7,
    model: () => M.haiku45,
    tokens: { input: [9000, 0.4], output: [800, 0.35] },
    cached: { share: [0.25, 0.45], probability: 0.7 },
  },
  {
    slug: 'contract-summaries',
    description: 'Summarises customer and supplier contracts for the legal team: obligations, renewal dates, liability caps.',
    project: 'legal',
    team: 'legal',
    models: [EVERY_MODEL(M.sonnet45)],
    annotations: { taskCategory: 'summarisation', qualityRequirement: 'best-available', latencyTargetP95Ms: 90000, dataSensitivity: 'confidential', dataResidency: 'eu', ownerTeam: 'legal' },
    callsPerDay: 1_700,
    weekend: 0.12,
    profile: 'business',
    batch: [2, 8],
    growthFrom: 0.75,
    model: () => M.sonnet45,
    tokens: { input: [70_000, 0.5], output: [1500, 0.4] },
    cached: { share: [0.05, 0.2], probability: 0.3 },
    longContext: { probability: 0.08, input: [205_000, 480_000], output: [2000, 4500] },
  },
  {
    slug: 'code-assistant',
    description: 'In-IDE coding assistant for 180 engineers: completions, refactors and code review comments.',
    project: 'developer-tools',
    team: 'platform',
    models: [EVERY_MODEL(M.sonnet45), EVERY_MODEL(M.gpt5)],
    annotations: { taskCategory: 'code', qualityRequirement: 'best-available', latencyTargetP95Ms: 20000, dataSensitivity: 'internal', ownerTeam: 'platform' },
    callsPerDay: 16_000,
    weekend: 0.12,
    profile: 'business',
    batch: [30, 50],
    growthFrom: 1,
    launch: { daysBeforeAnchor: 60, spike: 3, decayDays: 4, rampFrom: 0.55 },
    model: (_d, rng) => (rng.chance(0.7) ? M.sonnet45 : M.gpt5),
    tokens: { input: [20_000, 0.5], output: [600, 0.5] },
    cached: { share: [0.55, 0.85], probability: 0.95 },
    staging: 0.04,
  },
  {
    slug: 'research-agent',
    description: 'Multi-step research agent for analysts: plans, searches internal and web sources, writes a cited brief.',
    project: 'research',
    team: 'research',
    models: [EVERY_MODEL(M.o3), EVERY_MODEL(M.gemini25Pro)],
    annotations: { taskCategory: 'reasoning', qualityRequirement: 'best-available', latencyTargetP95Ms: 180000, dataSensitivity: 'internal', ownerTeam: 'research' },
    callsPerDay: 4_200,
    weekend: 0.25,
    profile: 'business',
    batch: [10, 30],
    growthFrom: 0.5,
    model: (_d, rng) => (rng.chance(0.6) ? M.o3 : M.gemini25Pro),
    tokens: { input: [24_000, 0.55], output: [5500, 0.45] },
    cached: { share: [0.2, 0.5], probability: 0.6 },
  },
  {
    slug: 'search-rerank',
    description: 'Re-ranks the top 50 product search results for the storefront search box.',
    project: 'search',
    team: 'search',
    models: [EVERY_MODEL(M.gemini25FlashLite)],
    annotations: { taskCategory: 'other', qualityRequirement: 'good-enough', latencyTargetP95Ms: 800, dataSensitivity: 'public', ownerTeam: 'search' },
    callsPerDay: 4_500,
    weekend: 0.85,
    profile: 'consumer',
    batch: [40, 50],
    growthFrom: 0.8,
    model: () => M.gemini25FlashLite,
    tokens: { input: [2600, 0.25], output: [55, 0.2] },
    attribution: { customers: true },
  },
  {
    slug: 'marketing-copy',
    description: 'Drafts product descriptions, ad variants and newsletter copy for the growth team.',
    project: 'growth',
    team: 'marketing',
    models: [EVERY_MODEL(M.gpt5Mini)],
    annotations: { taskCategory: 'other', qualityRequirement: 'good-enough', latencyTargetP95Ms: 30000, dataSensitivity: 'public', ownerTeam: 'marketing' },
    callsPerDay: 350,
    weekend: 0.1,
    profile: 'business',
    batch: [2, 10],
    growthFrom: 0.9,
    model: () => M.gpt5Mini,
    tokens: { input: [1800, 0.5], output: [1400, 0.5] },
  },
  {
    slug: 'email-drafts',
    description: 'Suggests replies to customer emails inside the CRM for the sales team.',
    project: 'sales',
    team: 'sales',
    models: [EVERY_MODEL(M.gemini25Flash)],
    annotations: { taskCategory: 'chat', qualityRequirement: 'high', latencyTargetP95Ms: 5000, dataSensitivity: 'confidential', ownerTeam: 'sales' },
    callsPerDay: 2_800,
    weekend: 0.15,
    profile: 'business',
    batch: [20, 40],
    growthFrom: 0.45,
    model: () => M.gemini25Flash,
    tokens: { input: [2400, 0.4], output: [380, 0.4] },
    cached: { share: [0.2, 0.4], probability: 0.4 },
    attribution: { customers: true, endUsers: 'employee' },
  },
  {
    slug: 'doc-tagging',
    description: 'Nightly tagging of new wiki and drive documents with topics and owners for search (embedding-like).',
    project: 'knowledge',
    team: 'knowledge',
    models: [EVERY_MODEL(M.gpt41Mini)],
    annotations: { taskCategory: 'embedding', qualityRequirement: 'good-enough', dataSensitivity: 'internal', ownerTeam: 'knowledge' },
    callsPerDay: 5_000,
    weekend: 0.9,
    profile: 'nightly',
    batch: [45, 50],
    growthFrom: 0.75,
    model: () => M.gpt41Mini,
    tokens: { input: [2900, 0.4], output: [45, 0.3] },
  },
  {
    slug: 'internal-wiki-qa',
    description: 'Answers employee questions from the internal wiki on the self-hosted Llama 3 8B (and indexes pages with acme-embed-small).',
    project: 'platform',
    team: 'platform',
    models: [EVERY_MODEL(M.acmeLlama), EVERY_MODEL(M.acmeEmbed)],
    annotations: { taskCategory: 'chat', qualityRequirement: 'good-enough', latencyTargetP95Ms: 5000, dataSensitivity: 'internal', needsCustomisation: true, ownerTeam: 'platform' },
    callsPerDay: 3_000,
    weekend: 0.15,
    profile: 'business',
    batch: [20, 50],
    growthFrom: 0.4,
    model: (_d, rng) => (rng.chance(0.05) ? M.acmeEmbed : M.acmeLlama),
    tokens: { input: [2200, 0.45], output: [300, 0.5] },
    attribution: { endUsers: 'employee', customers: false },
  },
];

/** The demo's workloads, with the annotations the demo applies (`PATCH /v1/workloads/:slug`). */
export const DEMO_WORKLOADS: readonly DemoWorkload[] = SPECS.map(({ slug, description, project, team, models, annotations }) => ({ slug, description, project, team, models, annotations }));

/** Offline evaluations of open candidates (`POST /v1/workloads/:slug/evaluations`). */
export const DEMO_EVALUATIONS: readonly DemoEvaluation[] = [
  {
    // Within 0.02 accuracy of the baseline on enough samples: passes, so the
    // roadmap can move this workload ($2k+/month) off Claude Haiku.
    workload: 'invoice-extraction',
    candidateModel: 'llama-3.1-8b-instruct',
    baselineModel: 'claude-haiku-4.5',
    sampleSize: 400,
    metrics: { candidate: { accuracy: 0.94, factuality: 0.95 }, baseline: { accuracy: 0.95, factuality: 0.96 } },
  },
  {
    // 7 points of accuracy lost on contracts: fails, and the plan says so.
    workload: 'contract-summaries',
    candidateModel: 'qwen3-32b',
    baselineModel: 'claude-sonnet-4.5',
    sampleSize: 300,
    metrics: { candidate: { accuracy: 0.86, factuality: 0.88 }, baseline: { accuracy: 0.93, factuality: 0.95 } },
  },
];

/** The story's key dates, relative to the anchor (for tests, docs and the demo's output). */
export function demoTimeline(anchor: Date, seed = 42) {
  const day = Math.floor(anchor.getTime() / DAY_MS) * DAY_MS;
  return {
    anchor,
    supportChatMigrationStart: new Date(day + MIGRATION_START_DAYS * DAY_MS),
    supportChatMigrationEnd: new Date(day + (MIGRATION_START_DAYS + MIGRATION_DAYS) * DAY_MS),
    codeAssistantLaunch: new Date(day - 60 * DAY_MS),
    anthropicIncident: { from: new Date(day + INCIDENT_DAY * DAY_MS + INCIDENT_HOURS[0] * HOUR_MS), to: new Date(day + INCIDENT_DAY * DAY_MS + INCIDENT_HOURS[1] * HOUR_MS) },
    /** The injected spend anomaly: the UTC day, the workload and the account behind it (the account depends on the seed). */
    anomaly: { day: new Date(day + ANOMALY.daysFromAnchor * DAY_MS), workload: ANOMALY.workload, customer: demoCustomers(seed)[ANOMALY.customerRank].name, multiple: ANOMALY.multiple },
  };
}

