/*
 * Demo usage data: six months of LLM usage of a mid-size company ("Demo Co"),
 * generated deterministically from a seed, in the shape `POST /v1/events` takes.
 *
 * Pure: no I/O, no clock, no Math.random. The same options always give the
 * same events, and an event's content depends only on (seed, scale, anchor,
 * workload, UTC hour), never on `end` or `months`: a later run with the same
 * anchor and a later `end` re-sends the same events (duplicates) plus the new
 * hours. The demo script reads the anchor back from the stored events' `demo`
 * tag, so running it again any day later reports duplicates, never conflicts.
 *
 * The scenario (anchor = the reference "now" of the story):
 *   - 11 workloads over OpenAI, Anthropic, Google and a self-hosted Llama (plus
 *     an unpriced self-hosted embedding model on 5% of its events);
 *   - business-hours and weekly patterns per workload (weekends lower);
 *   - growth over the months, different per workload;
 *   - support-chat moves from gpt-4o to gpt-4o-mini (85% of traffic) over two
 *     weeks starting 75 days before the anchor;
 *   - code-assistant launches 60 days before the anchor with a spike week;
 *   - ~1.2% errors, plus a three-hour Anthropic incident 23 days before the anchor;
 *   - prompt caching on chat and code workloads, reasoning tokens on o3/gpt-5,
 *     thoughts on Gemini, long-context (> 200k tokens) contract summaries;
 *   - each event aggregates `requests` calls (1-50, summed tokens), so six
 *     months at scale 1 is about 245k events (~7.8M calls) and, at list prices,
 *     about $20k in the first month growing to about $32k in the last.
 */

/** One usage event as `POST /v1/events` takes it. */
export interface UsageEventInput {
  id: string;
  timestamp: string;
  provider: string;
  model: string;
  workload: string;
  project?: string;
  environment?: string;
  usage: Record<string, unknown>;
  requests?: number;
  latencyMs?: number;
  status?: 'ok' | 'error';
  tags?: Record<string, string>;
}

export interface DemoOptions {
  /** PRNG seed (default 42). */
  seed?: number;
  /** Last instant generated (inclusive); no event is later than this. */
  end: Date;
  /** Calendar months before `end` to start from (default 6). */
  months?: number;
  /** Volume multiplier: calls, events and spend scale with it (default 1). */
  scale?: number;
  /**
   * The story's reference time (default `end`): growth, the support-chat
   * migration, the code-assistant launch and the incident are placed relative
   * to it. Keep it fixed across runs to regenerate identical events.
   */
  anchor?: Date;
}

export type TaskCategory = 'classification' | 'extraction' | 'summarisation' | 'chat' | 'code' | 'reasoning' | 'embedding' | 'other';

/** The body of `PATCH /v1/workloads/:slug`. */
export interface WorkloadAnnotation {
  taskCategory: TaskCategory;
  qualityRequirement: 'best-available' | 'high' | 'good-enough';
  latencyTargetP95Ms?: number;
  dataSensitivity: 'public' | 'internal' | 'confidential' | 'regulated';
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

/** Tag every demo event carries: the anchor (ISO) it was generated with. */
export const DEMO_ANCHOR_TAG = 'demo';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Growth factors are given over this span (about six months). */
const GROWTH_SPAN_MS = 182.5 * DAY_MS;
/** Events per workload per hour are numbered below this. */
const IDS_PER_HOUR = 100_000;
/** The long-context tier of Claude Sonnet 4.5 and Gemini 2.5 Pro starts strictly above this many input tokens per request. */
export const LONG_CONTEXT_TOKENS = 200_000;

// ---------------------------------------------------------------- randomness

/** mulberry32: a small, fast 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes integers into one 32-bit seed (FNV-1a steps with a murmur finaliser). */
function mix(...xs: number[]): number {
  let h = 0x811c9dc5;
  for (const x of xs) {
    h = Math.imul(h ^ (x >>> 0), 0x01000193);
    h = Math.imul(h ^ Math.floor(x / 4294967296), 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
  }
  return h >>> 0;
}

class Rng {
  private readonly next: () => number;
  private spare: number | null = null;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  uniform(a: number, b: number): number {
    return a + (b - a) * this.next();
  }
  int(a: number, b: number): number {
    return a + Math.floor(this.next() * (b - a + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    const u = Math.max(this.next(), 1e-12);
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
  /** Log-normal with the given median and log-space sigma. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }
  /** Poisson count (normal approximation above 30). */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const l = Math.exp(-lambda);
    let k = 0;
    let p = 1;
    for (;;) {
      p *= this.next();
      if (p <= l) return k;
      k++;
    }
  }
}

// ---------------------------------------------------------------- the scenario

type UsageShape = 'openai-chat' | 'openai-responses' | 'anthropic' | 'gemini' | 'canonical' | 'openai-embedding';

interface ModelProfile {
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

type ProfileName = keyof typeof PROFILES;
const NORMALISED: Record<ProfileName, number[]> = Object.fromEntries(
  Object.entries(PROFILES).map(([k, w]) => {
    const mean = w.reduce((a, b) => a + b, 0) / w.length;
    return [k, w.map((x) => x / mean)];
  }),
) as Record<ProfileName, number[]>;

interface Call {
  input: number;
  output: number;
}

/** What an event's calls look like; time-dependent choices take the time relative to the anchor. */
interface WorkloadSpec extends DemoWorkload {
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
}

const EVERY_MODEL = (p: ModelProfile) => `${p.provider}/${p.model}`;

/** The support-chat migration to gpt-4o-mini: starts 75 days before the anchor, takes 14 days, 85% move. */
const MIGRATION_START_DAYS = -75;
const MIGRATION_DAYS = 14;
const MIGRATED_SHARE = 0.85;
/** A three-hour Anthropic incident (error rate 25%) 23 days before the anchor, 14:00-17:00 UTC. */
const INCIDENT_DAY = -23;
const INCIDENT_HOURS: [number, number] = [14, 17];

const SPECS: WorkloadSpec[] = [
  {
    slug: 'support-chat',
    description: 'Customer support assistant in the help centre chat: answers from the knowledge base, hands over to an agent when unsure.',
    project: 'customer-support',
    team: 'support',
    models: [EVERY_MODEL(M.gpt4o), EVERY_MODEL(M.gpt4oMini)],
    annotations: { taskCategory: 'chat', qualityRequirement: 'high', latencyTargetP95Ms: 6000, dataSensitivity: 'confidential', residency: ['eu'], ownerTeam: 'support' },
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
  },
  {
    slug: 'ticket-classifier',
    description: 'Routes every inbound support ticket to a queue and a priority (one label out of 40).',
    project: 'customer-support',
    team: 'support',
    models: [EVERY_MODEL(M.gpt4oMini)],
    annotations: { taskCategory: 'classification', qualityRequirement: 'good-enough', latencyTargetP95Ms: 1500, dataSensitivity: 'confidential', residency: ['eu'], ownerTeam: 'support' },
    callsPerDay: 12_000,
    weekend: 0.45,
    profile: 'consumer',
    batch: [45, 50],
    growthFrom: 0.55,
    model: () => M.gpt4oMini,
    tokens: { input: [1400, 0.35], output: [6, 0.3] },
    cached: { share: [0.5, 0.75], probability: 0.8 },
  },
  {
    slug: 'invoice-extraction',
    description: 'Extracts supplier, amounts, VAT and line items from scanned supplier invoices into the ERP.',
    project: 'finance-ops',
    team: 'finance',
    models: [EVERY_MODEL(M.haiku45)],
    annotations: { taskCategory: 'extraction', qualityRequirement: 'high', latencyTargetP95Ms: 15000, dataSensitivity: 'regulated', residency: ['eu'], ownerTeam: 'finance' },
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
    annotations: { taskCategory: 'summarisation', qualityRequirement: 'best-available', latencyTargetP95Ms: 90000, dataSensitivity: 'confidential', residency: ['eu'], ownerTeam: 'legal' },
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
export function demoTimeline(anchor: Date) {
  const day = Math.floor(anchor.getTime() / DAY_MS) * DAY_MS;
  return {
    anchor,
    supportChatMigrationStart: new Date(day + MIGRATION_START_DAYS * DAY_MS),
    supportChatMigrationEnd: new Date(day + (MIGRATION_START_DAYS + MIGRATION_DAYS) * DAY_MS),
    codeAssistantLaunch: new Date(day - 60 * DAY_MS),
    anthropicIncident: { from: new Date(day + INCIDENT_DAY * DAY_MS + INCIDENT_HOURS[0] * HOUR_MS), to: new Date(day + INCIDENT_DAY * DAY_MS + INCIDENT_HOURS[1] * HOUR_MS) },
  };
}

/** The first instant generated: `months` calendar months before `end` (UTC). */
export function demoStart(end: Date, months = 6): Date {
  const d = new Date(end.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

// ---------------------------------------------------------------- generation

/** Volume multiplier of a workload at hour `t` (ms), relative to a weekday at the anchor. */
function volumeFactor(spec: WorkloadSpec, t: number, anchorDay: number, anchorMs: number): number {
  const date = new Date(t);
  const dow = date.getUTCDay();
  let f = NORMALISED[spec.profile][date.getUTCHours()];
  if (dow === 0 || dow === 6) f *= spec.weekend;
  if (spec.launch) {
    const launchAt = anchorDay - spec.launch.daysBeforeAnchor * DAY_MS;
    if (t < launchAt) return 0;
    const days = (t - launchAt) / DAY_MS;
    // Adoption ramps linearly from rampFrom at launch to 1 at the anchor, then grows slowly.
    const span = spec.launch.daysBeforeAnchor;
    const adoption = days <= span ? spec.launch.rampFrom + (1 - spec.launch.rampFrom) * (days / span) : 1 + 0.15 * ((days - span) / 30);
    f *= adoption * (1 + (spec.launch.spike - 1) * Math.exp(-days / spec.launch.decayDays));
  } else {
    f *= Math.exp((Math.log(1 / spec.growthFrom) * (t - anchorMs)) / GROWTH_SPAN_MS);
  }
  return f;
}

function splitShare(total: number, share: number): number {
  return Math.min(total, Math.max(0, Math.round(total * share)));
}

/** The usage object of one event, in the model's native shape or the canonical one. */
function usageObject(shape: UsageShape, u: { input: number; output: number; cached: number; cacheWrite: number; reasoning: number }): Record<string, unknown> {
  switch (shape) {
    case 'openai-chat':
      return {
        prompt_tokens: u.input,
        completion_tokens: u.output,
        total_tokens: u.input + u.output,
        prompt_tokens_details: { cached_tokens: u.cached },
        completion_tokens_details: { reasoning_tokens: u.reasoning },
      };
    case 'openai-responses':
      return {
        input_tokens: u.input,
        input_tokens_details: { cached_tokens: u.cached },
        output_tokens: u.output,
        output_tokens_details: { reasoning_tokens: u.reasoning },
        total_tokens: u.input + u.output,
      };
    case 'openai-embedding':
      return { prompt_tokens: u.input, total_tokens: u.input };
    case 'anthropic':
      // Anthropic's input_tokens excludes cache reads and cache writes.
      return {
        input_tokens: u.input - u.cached - u.cacheWrite,
        cache_read_input_tokens: u.cached,
        cache_creation_input_tokens: u.cacheWrite,
        output_tokens: u.output,
      };
    case 'gemini': {
      // promptTokenCount includes cached content; candidatesTokenCount excludes thoughts.
      const o: Record<string, unknown> = { promptTokenCount: u.input, candidatesTokenCount: u.output - u.reasoning };
      if (u.cached) o.cachedContentTokenCount = u.cached;
      if (u.reasoning) o.thoughtsTokenCount = u.reasoning;
      o.totalTokenCount = u.input + u.output;
      return o;
    }
    case 'canonical':
      return { inputTokens: u.input, outputTokens: u.output, cachedInputTokens: u.cached, cacheWriteTokens: u.cacheWrite, reasoningTokens: u.reasoning };
  }
}

/** Sum of `n` calls' token counts: drawn one by one for small n, else by the mean with narrowed spread. */
function drawCalls(rng: Rng, spec: WorkloadSpec, n: number): Call {
  const [inMed, inSig] = spec.tokens.input;
  const [outMed, outSig] = spec.tokens.output;
  if (n <= 4) {
    let input = 0;
    let output = 0;
    for (let i = 0; i < n; i++) {
      // Normal requests stay below the long-context threshold; those are drawn separately.
      input += Math.min(Math.round(rng.logNormal(inMed, inSig)), 190_000);
      output += Math.max(1, Math.round(rng.logNormal(outMed, outSig)));
    }
    return { input, output };
  }
  const meanIn = inMed * Math.exp((inSig * inSig) / 2);
  const meanOut = outMed * Math.exp((outSig * outSig) / 2);
  const k = Math.sqrt(n);
  return {
    input: Math.max(n, Math.round(n * meanIn * Math.exp((inSig / k) * rng.normal() - (inSig * inSig) / (2 * n)))),
    output: Math.max(n, Math.round(n * meanOut * Math.exp((outSig / k) * rng.normal() - (outSig * outSig) / (2 * n)))),
  };
}

interface Pending {
  t: number;
  event: UsageEventInput;
}

function eventsOfHour(spec: WorkloadSpec, wIndex: number, hour: number, seed: number, scale: number, anchorMs: number, anchorDay: number, anchorIso: string): Pending[] {
  const t0 = hour * HOUR_MS;
  const f = volumeFactor(spec, t0, anchorDay, anchorMs);
  if (f <= 0) return [];
  const rng = new Rng(mix(seed, wIndex, hour));
  // Day-level swing (same for every hour of the day) on top of the hourly noise.
  const dayRng = new Rng(mix(seed, wIndex, Math.floor(t0 / DAY_MS), 0x5eed));
  const lambda = (spec.callsPerDay / 24) * f * Math.exp(0.1 * dayRng.normal()) * scale;
  // Events, not calls, are drawn: each aggregates a batch of calls, so there is no remainder event per hour.
  const meanBatch = (spec.batch[0] + spec.batch[1]) / 2;
  const count = Math.min(rng.poisson(lambda / meanBatch), IDS_PER_HOUR);
  const daysFromAnchor = (t0 - anchorDay) / DAY_MS;
  const incident = Math.floor(daysFromAnchor) === INCIDENT_DAY && new Date(t0).getUTCHours() >= INCIDENT_HOURS[0] && new Date(t0).getUTCHours() < INCIDENT_HOURS[1];
  const out: Pending[] = [];
  const tags = { team: spec.team, [DEMO_ANCHOR_TAG]: anchorIso };
  for (let k = 0; k < count; k++) {
    const profile = spec.model(daysFromAnchor, rng);
    const errorRate = incident && profile.provider === 'anthropic' ? 0.25 : 0.012;
    const error = rng.chance(errorRate);
    const long = !error && spec.longContext !== undefined && rng.chance(spec.longContext.probability);
    const n = error ? rng.int(1, 2) : long ? 1 : rng.int(spec.batch[0], spec.batch[1]);
    let { input, output } = long
      ? { input: rng.int(spec.longContext!.input[0], spec.longContext!.input[1]), output: rng.int(spec.longContext!.output[0], spec.longContext!.output[1]) }
      : drawCalls(rng, spec, n);
    const embedding = profile.shape === 'openai-embedding';
    if (embedding) output = 0;
    let cached = 0;
    let cacheWrite = 0;
    let reasoning = 0;
    if (error) {
      output = 0;
    } else {
      if (profile.cache !== 'none' && spec.cached && rng.chance(spec.cached.probability)) {
        cached = splitShare(input, rng.uniform(spec.cached.share[0], spec.cached.share[1]));
        if (profile.cache === 'anthropic') cacheWrite = splitShare(input - cached, rng.uniform(0.03, 0.12));
      }
      if (profile.reasoning) reasoning = splitShare(output, rng.uniform(profile.reasoning[0], profile.reasoning[1]));
    }
    const shape: UsageShape = rng.chance(profile.nativeShare) ? profile.shape : 'canonical';
    const perCallIn = input / n;
    const perCallOut = output / n;
    const latency = error
      ? rng.chance(0.3)
        ? rng.int(30_000, 60_000) // timeouts
        : rng.int(120, 1500)
      : rng.logNormal(profile.ttftMs, 0.3) + (perCallOut / profile.tokensPerSecond) * 1000 + perCallIn * profile.prefillMsPerToken;
    const t = t0 + Math.floor(rng.float() * HOUR_MS);
    const event: UsageEventInput = {
      id: `demo-${spec.slug}-${hour * IDS_PER_HOUR + k}`,
      timestamp: new Date(t).toISOString(),
      provider: profile.provider,
      model: profile.model,
      workload: spec.slug,
      project: spec.project,
      environment: spec.staging && rng.chance(spec.staging) ? 'staging' : 'production',
      usage: usageObject(shape, { input, output, cached, cacheWrite, reasoning }),
      requests: n,
      latencyMs: Math.max(1, Math.round(latency)),
      status: error ? 'error' : 'ok',
      tags: { ...tags },
    };
    out.push({ t, event });
  }
  return out;
}

/**
 * Six months (by default) of demo usage events, in time order, ending at
 * `options.end` (inclusive). Deterministic: see the file comment.
 */
export function* generateDemoEvents(options: DemoOptions): Generator<UsageEventInput> {
  const seed = options.seed ?? 42;
  const scale = options.scale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`scale must be a positive number, got ${scale}`);
  const endMs = options.end.getTime();
  if (!Number.isFinite(endMs)) throw new RangeError('end must be a valid date');
  const startMs = demoStart(options.end, options.months ?? 6).getTime();
  const anchorMs = (options.anchor ?? options.end).getTime();
  const anchorDay = Math.floor(anchorMs / DAY_MS) * DAY_MS;
  const anchorIso = new Date(anchorMs).toISOString();
  const firstHour = Math.floor(startMs / HOUR_MS);
  const lastHour = Math.floor(endMs / HOUR_MS);
  for (let hour = firstHour; hour <= lastHour; hour++) {
    const pending: Pending[] = [];
    SPECS.forEach((spec, i) => {
      for (const p of eventsOfHour(spec, i, hour, seed, scale, anchorMs, anchorDay, anchorIso)) if (p.t >= startMs && p.t <= endMs) pending.push(p);
    });
    pending.sort((a, b) => a.t - b.t || (a.event.id < b.event.id ? -1 : a.event.id > b.event.id ? 1 : 0));
    for (const p of pending) yield p.event;
  }
}

/** The same events in arrays of at most `size` (1,000 is the ingest API's maximum per request). */
export function* generateDemoBatches(options: DemoOptions, size = 1000): Generator<UsageEventInput[]> {
  let batch: UsageEventInput[] = [];
  for (const e of generateDemoEvents(options)) {
    batch.push(e);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}
