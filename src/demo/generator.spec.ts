import { referencePriceVersions } from '../../test/builders/reference.js';
import { priceEvent } from '../domain/pricing/cost.js';
import { resolveCatalogModel } from '../domain/pricing/model-resolver.js';
import type { PriceVersion } from '../domain/pricing/price.js';
import { normalizeUsage } from '../domain/pricing/usage.js';
import { DAY_MS as DAY } from '../domain/time.js';
import { MAX_EVENTS_PER_BATCH, validateEvent } from '../ingestion/event-validator.js';
import { SLUG_PATTERN } from '../common/formats.js';
import {
  ANOMALY,
  CUSTOMER_COUNT,
  demoCustomers,
  DEMO_ANCHOR_TAG,
  DEMO_EVALUATIONS,
  DEMO_WORKLOADS,
  demoStart,
  demoTimeline,
  generateDemoBatches,
  generateDemoEvents,
  LONG_CONTEXT_TOKENS,
  type DemoOptions,
  type UsageEventInput,
} from './generator.js';

// A Saturday afternoon, so the last days hold both weekdays and a weekend.
const END = new Date('2026-11-28T12:34:56.000Z');

const all = (o: DemoOptions) => [...generateDemoEvents(o)];
const requestsOf = (events: UsageEventInput[]) => events.reduce((a, e) => a + (e.requests ?? 1), 0);

// Six months at a tenth of the volume (about 24k events): shared by the shape tests.
const SIX_MONTHS = all({ end: END, scale: 0.1 });

describe('determinism', () => {
  it('the same seed gives the same events; another seed does not', () => {
    const a = all({ seed: 7, end: END, months: 1, scale: 0.2 });
    const b = all({ seed: 7, end: END, months: 1, scale: 0.2 });
    expect(a.length).toBeGreaterThan(1000);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const c = all({ seed: 8, end: END, months: 1, scale: 0.2 });
    expect(JSON.stringify(c)).not.toBe(JSON.stringify(a));
  });

  it('with the same anchor, a later end re-sends the same events (duplicates, never conflicts) plus new ones', () => {
    const anchor = new Date('2026-11-20T08:00:00.000Z');
    const first = all({ end: anchor, anchor, months: 1, scale: 0.2 });
    const later = all({ end: new Date(anchor.getTime() + 3 * DAY + 1234), anchor, months: 1, scale: 0.2 });
    const byId = new Map(later.map((e) => [e.id, JSON.stringify(e)]));
    const overlapFrom = demoStart(new Date(anchor.getTime() + 3 * DAY + 1234), 1).getTime();
    const overlapping = first.filter((e) => Date.parse(e.timestamp) >= overlapFrom);
    expect(overlapping.length).toBeGreaterThan(1000);
    for (const e of overlapping) expect(byId.get(e.id)).toBe(JSON.stringify(e));
    expect(later.filter((e) => Date.parse(e.timestamp) > anchor.getTime()).length).toBeGreaterThan(100);
    expect(first.every((e) => e.tags?.[DEMO_ANCHOR_TAG] === anchor.toISOString())).toBe(true);
  });
});

describe('time', () => {
  it('events are in time order, from `months` calendar months before `end` up to `end`', () => {
    const start = demoStart(END, 6);
    expect(start.toISOString()).toBe('2026-05-28T12:34:56.000Z');
    let last = 0;
    let outOfOrder = 0;
    for (const e of SIX_MONTHS) {
      const t = Date.parse(e.timestamp);
      if (t < last) outOfOrder++;
      last = t;
    }
    expect(outOfOrder).toBe(0);
    expect(Date.parse(SIX_MONTHS[0].timestamp)).toBeGreaterThanOrEqual(start.getTime());
    expect(Date.parse(SIX_MONTHS[0].timestamp)).toBeLessThan(start.getTime() + DAY);
    expect(last).toBeLessThanOrEqual(END.getTime());
    expect(last).toBeGreaterThan(END.getTime() - DAY);
  });

  it('weekday volume is higher than weekend volume', () => {
    const perDay = new Map<string, number>();
    for (const e of SIX_MONTHS) perDay.set(e.timestamp.slice(0, 10), (perDay.get(e.timestamp.slice(0, 10)) ?? 0) + (e.requests ?? 1));
    const weekday: number[] = [];
    const weekend: number[] = [];
    for (const [day, n] of perDay) (new Date(`${day}T00:00:00Z`).getUTCDay() % 6 === 0 ? weekend : weekday).push(n);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(weekday)).toBeGreaterThan(1.4 * mean(weekend));
  });

  it('business hours are busier than nights', () => {
    const byHour = new Array(24).fill(0);
    for (const e of SIX_MONTHS) byHour[new Date(e.timestamp).getUTCHours()] += e.requests ?? 1;
    expect(byHour[14]).toBeGreaterThan(2 * byHour[23]);
  });

  it('volume grows: the last month has more requests than the first', () => {
    const start = demoStart(END, 6).getTime();
    const firstMonth = SIX_MONTHS.filter((e) => Date.parse(e.timestamp) < start + 30 * DAY);
    const lastMonth = SIX_MONTHS.filter((e) => Date.parse(e.timestamp) > END.getTime() - 30 * DAY);
    expect(requestsOf(lastMonth)).toBeGreaterThan(1.3 * requestsOf(firstMonth));
  });

  it('code-assistant launches 60 days before the anchor with a spike week', () => {
    const launch = demoTimeline(END).codeAssistantLaunch.getTime();
    const code = SIX_MONTHS.filter((e) => e.workload === 'code-assistant');
    expect(code.every((e) => Date.parse(e.timestamp) >= launch)).toBe(true);
    const week = (n: number) => requestsOf(code.filter((e) => Date.parse(e.timestamp) >= launch + n * 7 * DAY && Date.parse(e.timestamp) < launch + (n + 1) * 7 * DAY));
    expect(week(0)).toBeGreaterThan(1.3 * week(3));
    expect(week(0)).toBeGreaterThan(1.3 * week(2));
  });

  it('support-chat moves from gpt-4o to gpt-4o-mini', () => {
    const { supportChatMigrationStart, supportChatMigrationEnd } = demoTimeline(END);
    const chat = SIX_MONTHS.filter((e) => e.workload === 'support-chat');
    const share = (events: UsageEventInput[]) => events.filter((e) => e.model.startsWith('gpt-4o-mini')).length / events.length;
    expect(share(chat.filter((e) => Date.parse(e.timestamp) < supportChatMigrationStart.getTime()))).toBe(0);
    expect(share(chat.filter((e) => Date.parse(e.timestamp) > supportChatMigrationEnd.getTime()))).toBeGreaterThan(0.75);
  });
});

describe('content', () => {
  it('every demo workload is present and the events name no other', () => {
    const seen = new Set(SIX_MONTHS.map((e) => e.workload));
    expect([...seen].sort()).toEqual(DEMO_WORKLOADS.map((w) => w.slug).sort());
    expect(DEMO_WORKLOADS.length).toBeGreaterThanOrEqual(11);
    for (const ev of DEMO_EVALUATIONS) expect(seen.has(ev.workload)).toBe(true);
    const models = new Set(SIX_MONTHS.map((e) => `${e.provider}/${e.model}`));
    for (const w of DEMO_WORKLOADS) for (const m of w.models) expect(models.has(m)).toBe(true);
    expect(new Set(SIX_MONTHS.map((e) => e.provider))).toEqual(new Set(['openai', 'anthropic', 'google', 'self-hosted']));
  });

  it('ids are unique, deterministic demo-<workload>-<n>, and at most 128 characters', () => {
    const ids = new Set<string>();
    const bad = SIX_MONTHS.filter((e) => !e.id.startsWith(`demo-${e.workload}-`) || !/^demo-[a-z0-9.-]+-\d+$/.test(e.id) || e.id.length > 128);
    expect(bad).toEqual([]);
    for (const e of SIX_MONTHS) ids.add(e.id);
    expect(ids.size).toBe(SIX_MONTHS.length);
  });

  it('every event passes the ingest rules (the real validator and usage normaliser)', () => {
    const now = END; // nothing may be in the future of `end`, let alone 5 minutes
    const problems: string[] = [];
    for (const e of SIX_MONTHS) {
      const v = validateEvent(e, 'e', now);
      if (!v.ok) problems.push(`${e.id}: ${JSON.stringify(v.errors)}`);
      const u = normalizeUsage(e.usage);
      if (!u.ok) problems.push(`${e.id}: ${JSON.stringify(u.errors)}`);
      else if (!Object.values(u.usage).every((n) => Number.isSafeInteger(n) && n >= 0)) problems.push(`${e.id}: usage counts`);
      if (Date.parse(e.timestamp) > END.getTime()) problems.push(`${e.id}: in the future`);
      if (e.workload !== e.workload.toLowerCase() || e.project !== e.project?.toLowerCase()) problems.push(`${e.id}: slug case`);
      if (!(Number.isSafeInteger(e.requests) && e.requests! >= 1 && e.requests! <= 50)) problems.push(`${e.id}: requests ${e.requests}`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it('uses every usage shape, caching, reasoning, long contexts, errors and unpriced self-hosted embeddings', () => {
    const formats = new Map<string, number>();
    let longContext = 0;
    for (const e of SIX_MONTHS) {
      const u = normalizeUsage(e.usage);
      if (!u.ok) throw new Error(e.id);
      formats.set(u.format, (formats.get(u.format) ?? 0) + 1);
      if (u.usage.inputTokens / (e.requests ?? 1) > LONG_CONTEXT_TOKENS) {
        expect(e.workload).toBe('contract-summaries');
        longContext++;
      }
    }
    expect([...formats.keys()].sort()).toEqual(['anthropic', 'canonical', 'gemini', 'openai-chat', 'openai-responses']);
    expect(longContext).toBeGreaterThan(10);

    const usageOf = (e: UsageEventInput) => {
      const u = normalizeUsage(e.usage);
      if (!u.ok) throw new Error(e.id);
      return u.usage;
    };
    const some = (pred: (e: UsageEventInput) => boolean, check: (e: UsageEventInput) => boolean) => SIX_MONTHS.filter(pred).some(check);
    expect(some((e) => e.workload === 'support-chat', (e) => usageOf(e).cachedInputTokens > 0)).toBe(true);
    expect(some((e) => e.workload === 'code-assistant' && e.provider === 'anthropic', (e) => usageOf(e).cacheWriteTokens > 0 && usageOf(e).cachedInputTokens > 0)).toBe(true);
    expect(some((e) => e.model.startsWith('o3'), (e) => usageOf(e).reasoningTokens > 0)).toBe(true);
    expect(some((e) => e.model.startsWith('gpt-5-2'), (e) => usageOf(e).reasoningTokens > 0)).toBe(true);
    expect(some((e) => e.model === 'gemini-2.5-pro', (e) => usageOf(e).reasoningTokens > 0)).toBe(true);

    const errors = SIX_MONTHS.filter((e) => e.status === 'error').length / SIX_MONTHS.length;
    expect(errors).toBeGreaterThan(0.008);
    expect(errors).toBeLessThan(0.02);

    const selfHosted = SIX_MONTHS.filter((e) => e.provider === 'self-hosted');
    const embed = selfHosted.filter((e) => e.model === 'acme-embed-small').length / selfHosted.length;
    expect(embed).toBeGreaterThan(0.02);
    expect(embed).toBeLessThan(0.09);
    expect(selfHosted.every((e) => ['acme-llama-3-8b', 'acme-embed-small'].includes(e.model))).toBe(true);

    // Latency depends on the model and the output: o3 is slower than gpt-4o-mini.
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const latency = (prefix: string) => median(SIX_MONTHS.filter((e) => e.model.startsWith(prefix) && e.status === 'ok').map((e) => e.latencyMs!));
    expect(latency('o3')).toBeGreaterThan(5 * latency('gpt-4o-mini'));
  });

  it('batches hold at most 1,000 events', () => {
    const sizes = [...generateDemoBatches({ end: END, months: 1, scale: 0.1 })].map((b) => b.length);
    expect(Math.max(...sizes)).toBe(MAX_EVENTS_PER_BATCH);
    expect(sizes.slice(0, -1).every((n) => n === MAX_EVENTS_PER_BATCH)).toBe(true);
  });
});

describe('customers and end users', () => {
  const FACING = new Set(['support-chat', 'ticket-classifier', 'search-rerank', 'email-drafts']);
  const lastMonth = SIX_MONTHS.filter((e) => Date.parse(e.timestamp) > END.getTime() - 30 * DAY);

  it('about 300 accounts named like B2B companies, the same for the same seed and different for another', () => {
    const a = demoCustomers(42);
    expect(a).toHaveLength(CUSTOMER_COUNT);
    expect(new Set(a.map((c) => c.name)).size).toBe(CUSTOMER_COUNT);
    expect(a.every((c) => /^[a-z]+(-[a-z]+)+$/.test(c.name) && c.name.length <= 64)).toBe(true);
    expect(demoCustomers(42).map((c) => c.name)).toEqual(a.map((c) => c.name));
    expect(demoCustomers(7).map((c) => c.name)).not.toEqual(a.map((c) => c.name));
  });

  it('only customer-facing workloads name a customer; chat workloads name an end user; internal batch work carries neither', () => {
    const CHAT = new Set(['support-chat', 'email-drafts', 'internal-wiki-qa']);
    expect(SIX_MONTHS.filter((e) => (e.customer !== undefined) !== FACING.has(e.workload) || (e.endUser !== undefined) !== CHAT.has(e.workload)).map((e) => e.id)).toEqual([]);
    const chat = SIX_MONTHS.filter((e) => e.workload === 'support-chat');
    expect(chat.every((e) => /^usr_[0-9a-f]{8}$/.test(e.endUser!))).toBe(true);
    expect(SIX_MONTHS.filter((e) => e.workload === 'internal-wiki-qa').every((e) => /^emp_[0-9a-f]{8}$/.test(e.endUser!))).toBe(true);
    // Thousands of distinct end users; a customer's users are its own.
    expect(new Set(chat.map((e) => e.endUser)).size).toBeGreaterThan(1000);
    const owner = new Map<string, string>();
    for (const e of chat) owner.set(e.endUser!, owner.get(e.endUser!) ?? e.customer!);
    expect(chat.filter((e) => owner.get(e.endUser!) !== e.customer).map((e) => e.id)).toEqual([]);
    expect(SIX_MONTHS.every((e) => e.workload === e.workload.toLowerCase() && (e.customer === undefined || SLUG_PATTERN.test(e.customer)))).toBe(true);
  });

  it('a long tail behind a few heavy accounts: the top 10 make 55-75% of requests, the largest under 25%', () => {
    const perCustomer = new Map<string, number>();
    for (const e of lastMonth) if (e.customer) perCustomer.set(e.customer, (perCustomer.get(e.customer) ?? 0) + (e.requests ?? 1));
    const sorted = [...perCustomer.values()].sort((a, b) => b - a);
    const total = sorted.reduce((a, b) => a + b, 0);
    const top10 = sorted.slice(0, 10).reduce((a, b) => a + b, 0) / total;
    expect(top10).toBeGreaterThan(0.55);
    expect(top10).toBeLessThan(0.75);
    expect(sorted[0] / total).toBeLessThan(0.25);
    expect(perCustomer.size).toBeGreaterThan(100); // at a tenth of the volume; 250+ at scale 1 (below)
  });
});

describe('the injected anomaly', () => {
  const anomaly = demoTimeline(END).anomaly;
  const dayOf = (e: UsageEventInput) => e.timestamp.slice(0, 10);
  const spikeDay = anomaly.day.toISOString().slice(0, 10);
  /** Requests per workload and UTC day. */
  const daily = new Map<string, Map<string, number>>();
  for (const e of SIX_MONTHS) {
    const w = daily.get(e.workload) ?? daily.set(e.workload, new Map()).get(e.workload)!;
    w.set(dayOf(e), (w.get(dayOf(e)) ?? 0) + (e.requests ?? 1));
  }
  /** The median of the same weekday over the four weeks before `day`. */
  const weekdayBaseline = (workload: string, day: string) => {
    const xs = [1, 2, 3, 4].map((k) => daily.get(workload)?.get(new Date(Date.parse(day) - 7 * k * DAY).toISOString().slice(0, 10)) ?? 0).sort((a, b) => a - b);
    return (xs[1] + xs[2]) / 2;
  };

  it(`support-chat on the spike day (3 days before the anchor) is 5-8x its usual weekday volume`, () => {
    expect(anomaly.workload).toBe('support-chat');
    expect(spikeDay).toBe('2026-11-25');
    const ratio = daily.get('support-chat')!.get(spikeDay)! / weekdayBaseline('support-chat', spikeDay);
    expect(ratio).toBeGreaterThan(5);
    expect(ratio).toBeLessThan(8);
  });

  it('one account drives it: about 5/6 of that day, under 2% on the other days', () => {
    const chat = SIX_MONTHS.filter((e) => e.workload === 'support-chat');
    const share = (events: UsageEventInput[]) => requestsOf(events.filter((e) => e.customer === anomaly.customer)) / requestsOf(events);
    expect(anomaly.customer).toBe(demoCustomers(42)[ANOMALY.customerRank].name);
    expect(share(chat.filter((e) => dayOf(e) === spikeDay))).toBeGreaterThan(0.78);
    expect(share(chat.filter((e) => dayOf(e) !== spikeDay && Date.parse(e.timestamp) > END.getTime() - 30 * DAY))).toBeLessThan(0.02);
  });

  it('no other workload-day of the last 30 days is twice its weekday baseline and 1,000 requests above it (weekly swings stay normal)', () => {
    const jumps: string[] = [];
    for (const [workload, days] of daily)
      for (const [day, n] of days) {
        if (Date.parse(day) < END.getTime() - 30 * DAY || day === END.toISOString().slice(0, 10)) continue;
        const base = weekdayBaseline(workload, day);
        if (n > 2 * base && n - base > 1000) jumps.push(`${workload} ${day}`);
      }
    expect(jumps).toEqual([`support-chat ${spikeDay}`]);
  });
});

describe('volume and spend at scale 1 (list prices from src/reference/economics.json)', () => {
  const versions = referencePriceVersions();
  const known = versions.map((v) => v.modelId);
  const costOf = (events: UsageEventInput[]) => {
    let usd = 0;
    let unpriced = 0;
    for (const e of events) {
      const u = normalizeUsage(e.usage);
      if (!u.ok) throw new Error(e.id);
      const { modelId } = resolveCatalogModel(e.provider, e.model, known);
      const r = priceEvent({ usage: u.usage, requests: e.requests ?? 1, at: new Date(e.timestamp), provider: e.provider, modelId }, versions.filter((v) => v.modelId === modelId) as PriceVersion[], []);
      if (r.priced) usd += r.costUsd.toNumber();
      else unpriced++;
    }
    return { usd, unpriced };
  };

  it('a month is 25k-60k events and about $20k-$60k; only self-hosted models are unpriced', () => {
    // The first and the last month of the six, each priced with the real pricing code.
    const anchor = END;
    const last = all({ end: END, anchor, months: 1 });
    const first = all({ end: demoStart(END, 5), anchor, months: 1 });
    const spend: number[] = [];
    for (const month of [first, last]) {
      expect(month.length).toBeGreaterThan(25_000);
      expect(month.length).toBeLessThan(60_000);
      const { usd, unpriced } = costOf(month);
      expect(usd).toBeGreaterThan(18_000);
      expect(usd).toBeLessThan(60_000);
      expect(unpriced).toBe(month.filter((e) => e.provider === 'self-hosted').length);
      spend.push(usd);
    }
    expect(spend[1]).toBeGreaterThan(spend[0]);

    // Spend per account in the last month: the top 10 hold 60-70% of what customers cost.
    const perCustomer = new Map<string, number>();
    for (const e of last.filter((x) => x.customer)) perCustomer.set(e.customer!, (perCustomer.get(e.customer!) ?? 0) + costOf([e]).usd);
    const sorted = [...perCustomer.values()].sort((a, b) => b - a);
    const top10 = sorted.slice(0, 10).reduce((a, b) => a + b, 0) / sorted.reduce((a, b) => a + b, 0);
    expect(top10).toBeGreaterThan(0.6);
    expect(top10).toBeLessThan(0.7);
    expect(perCustomer.size).toBeGreaterThan(250);
  });
});
