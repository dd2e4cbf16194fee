/*
 * Demo usage data: six months of LLM usage of a mid-size company ("Demo Co"),
 * generated deterministically from a seed, in the shape `POST /v1/events` takes.
 *
 * Pure: no I/O, no clock, no Math.random. The same options always give the
 * same events, and an event's content depends only on (seed, scale, anchor,
 * workload, UTC hour), never on `end` or `months`: a later run with the same
 * anchor and a later `end` re-sends the same events (duplicates) plus the new
 * hours. The demo (main.ts) reads the anchor back from the stored events'
 * `demo` tag, so running it again any day later reports duplicates, never conflicts.
 *
 * The story itself (workloads, models, dates) is in scenario.ts.
 */
import { DAY_MS, HOUR_MS } from '../domain/time.js';
import { customerMixOf, endUserId } from './customers.js';
import { mix, Rng } from './rng.js';
import { ANOMALY, EMPLOYEES, INCIDENT_DAY, INCIDENT_HOURS, NORMALISED, SPECS, type WorkloadSpec } from './scenario.js';
import { usageObject, type UsageShape } from './usage-shapes.js';

// Callers (the demo, its specs, the dashboard e2e) import the demo data from here.
export { ANOMALY, DEMO_EVALUATIONS, DEMO_WORKLOADS, demoTimeline, LONG_CONTEXT_TOKENS } from './scenario.js';
export { CUSTOMER_COUNT, demoCustomers } from './customers.js';
export type { DemoEvaluation, DemoWorkload, TaskCategory, WorkloadAnnotation } from './scenario.js';

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
  /** The company's own account the calls were made for (customer-facing workloads only). */
  customer?: string;
  /** An opaque end-user id (chat workloads). */
  endUser?: string;
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

/** Tag every demo event carries: the anchor (ISO) it was generated with. */
export const DEMO_ANCHOR_TAG = 'demo';
/** Growth factors are given over this span (about six months). */
const GROWTH_SPAN_MS = 182.5 * DAY_MS;
/** Events per workload per hour are numbered below this. */
const IDS_PER_HOUR = 100_000;

interface Call {
  input: number;
  output: number;
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
  const day = Math.floor((t0 - anchorDay) / DAY_MS);
  const spike = spec.slug === ANOMALY.workload && day === ANOMALY.daysFromAnchor;
  // The spike day is exactly `multiple` times the trend (no day-level swing), so the injected jump is the one stated.
  const swing = Math.exp(0.1 * dayRng.normal());
  const lambda = (spec.callsPerDay / 24) * f * (spike ? ANOMALY.multiple : swing) * scale;
  // Who the calls are for, on a stream of its own so that the other fields stay what they were without attribution.
  const who = spec.attribution ? new Rng(mix(seed, wIndex, hour, 0xa77b)) : null;
  const accounts = spec.attribution?.customers ? customerMixOf(seed, Math.floor(t0 / DAY_MS), day) : null;
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
    if (who) {
      let account: number | null = null;
      if (accounts) {
        // On the spike day, the calls beyond the usual volume are the runaway account's.
        account = spike && who.chance(1 - 1 / ANOMALY.multiple) ? ANOMALY.customerRank : accounts.pick(who);
        event.customer = accounts.customers[account].name;
      }
      if (spec.attribution?.endUsers === 'customer' && account !== null) event.endUser = endUserId(seed, account, who.int(0, accounts!.customers[account].endUsers - 1));
      else if (spec.attribution?.endUsers) event.endUser = endUserId(seed, null, who.int(0, EMPLOYEES - 1));
    }
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
