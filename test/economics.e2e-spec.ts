import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Money } from '../src/domain/money.js';
import { createSuiteDatabase, type SuiteDatabase } from './support/database.js';
import { bootApp, type TestApp } from './support/app.js';
import { createMember, createOrg, type TestOrg } from './support/factories.js';
import { waitFor } from './support/wait.js';

let t: TestApp;
beforeAll(async () => {
  t = await bootApp();
});
afterAll(async () => t.close());

const uid = () => randomBytes(6).toString('hex');
const HOUR = 3_600_000;

async function ingestHourly(org: TestOrg, workload: string, hours: number, perHour: (h: number) => { inputTokens: number; outputTokens: number }, model = 'gpt-4o', app: TestApp = t) {
  const now = Math.floor(Date.now() / HOUR) * HOUR;
  const events = Array.from({ length: hours }, (_, i) => ({
    id: `${workload}-${uid()}-${i}`,
    timestamp: new Date(now - (hours - i) * HOUR + 60_000).toISOString(),
    provider: 'openai',
    model,
    workload,
    requests: 100,
    usage: perHour(i),
  }));
  for (let i = 0; i < events.length; i += 1000) await app.http.post('/v1/events').set(org.keyAuth).send({ events: events.slice(i, i + 1000) }).expect(200);
  await waitFor(async () => (await app.http.get('/v1/admin/jobs').set(org.auth)).body.rollupBacklog.dirtyHours === 0 || null, 30_000);
}

describe('POST /v1/economics/estimate (what-if)', () => {
  it('Llama-3.3-70B vs gpt-4o at 2B input + 500M output tokens/month: today $10,000 at list price; options cheapest first, each with memory, replicas, TCO and capacity source', async () => {
    const org = await createOrg(t);
    const res = await t.http
      .post('/v1/economics/estimate')
      .set(org.keyAuth)
      .send({ openModel: 'llama-3.3-70b-instruct', monthlyInputTokens: 2_000_000_000, monthlyOutputTokens: 500_000_000, currentModel: 'gpt-4o' })
      .expect(200);
    const b = res.body;
    // 2,000M x $2.50 + 500M x $10 per 1M
    expect(new Money(b.current.monthlyCostUsd).equals(10000)).toBe(true);
    expect(b.options.length).toBeGreaterThan(0);
    for (let i = 1; i < b.options.length; i++) expect(new Money(b.options[i - 1].tcoUsd).lte(b.options[i].tcoUsd)).toBe(true);
    const o = b.options[0];
    expect(o).toMatchObject({ modelId: 'llama-3.3-70b-instruct', tensorParallel: expect.any(Number), replicas: expect.any(Number) });
    expect(['measured', 'estimated']).toContain(o.capacity.source);
    // TCO = GPU + people + overhead, as decimal strings.
    expect(new Money(o.gpuCostUsd).plus(o.peopleCostUsd).plus(o.overheadUsd).minus(o.tcoUsd).abs().lt('0.00001')).toBe(true);
    expect(b.managedOpen.length).toBeGreaterThan(0);
    expect(b.crossover).toHaveProperty('monthlyTokens');
    expect(b.sensitivity.map((r: { scenario: string }) => r.scenario).length).toBeGreaterThanOrEqual(5);
    expect(b.assumptions.find((a: { key: string }) => a.key === 'targetUtilisation')).toMatchObject({ value: 0.6, origin: 'default' });
  });

  it('org overrides (PATCH /v1/settings/assumptions) and request overrides show up with their origin; bad ones are 400 naming the key', async () => {
    const org = await createOrg(t);
    const patched = await t.http.patch('/v1/settings/assumptions').set(org.auth).send({ targetUtilisation: 0.75, engineerMonthlyCostUsd: '20000' }).expect(200);
    expect(patched.body.overrides).toEqual({ targetUtilisation: 0.75, engineerMonthlyCostUsd: '20000' });
    const res = await t.http
      .post('/v1/economics/estimate')
      .set(org.keyAuth)
      .send({ openModel: 'llama-3.1-8b-instruct', gpu: 'L4-24GB', monthlyInputTokens: 100_000_000, monthlyOutputTokens: 20_000_000, currentModel: 'gpt-4o-mini', assumptions: { redundancyReplicas: 0 } })
      .expect(200);
    const rec = (k: string) => res.body.assumptions.find((a: { key: string }) => a.key === k);
    expect(rec('targetUtilisation')).toMatchObject({ value: 0.75, origin: 'org' });
    expect(rec('redundancyReplicas')).toMatchObject({ value: 0, origin: 'request' });
    const bad = await t.http.patch('/v1/settings/assumptions').set(org.auth).send({ targetUtilisation: 7, colour: 'red' }).expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['targetUtilisation', 'colour']));
    // Nothing of the bad patch was saved.
    expect((await t.http.get('/v1/settings/assumptions').set(org.auth)).body.overrides.targetUtilisation).toBe(0.75);
    const viewer = await createMember(t, org, 'viewer');
    await t.http.patch('/v1/settings/assumptions').set(viewer.auth).send({ targetUtilisation: 0.5 }).expect(403);
    const finance = await createMember(t, org, 'finance');
    await t.http.patch('/v1/settings/assumptions').set(finance.auth).send({ teamMaturity: 'strong' }).expect(200);
  });

  it('unknown models and bad volumes are 400 naming the field', async () => {
    const org = await createOrg(t);
    const a = await t.http.post('/v1/economics/estimate').set(org.keyAuth).send({ openModel: 'gpt-17-open', monthlyInputTokens: 1, monthlyOutputTokens: 1 }).expect(400);
    expect(a.body.error.details[0].field).toBe('openModel');
    const b = await t.http.post('/v1/economics/estimate').set(org.keyAuth).send({ openModel: 'llama-3.1-8b-instruct', monthlyInputTokens: -5 }).expect(400);
    expect(b.body.error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['monthlyInputTokens', 'monthlyOutputTokens']));
  });
});

describe('GET /v1/workloads/:slug/economics (real usage)', () => {
  it("scales the window's usage to a month and compares it with the same engine; served from a snapshot until refresh=true", async () => {
    const org = await createOrg(t);
    // 7 days x 24 hours, 1M input + 200k output per hour on gpt-4o = $4.50/hour.
    await ingestHourly(org, 'chat', 7 * 24, () => ({ inputTokens: 1_000_000, outputTokens: 200_000 }));
    const res = await t.http.get('/v1/workloads/chat/economics?window=7d').set(org.keyAuth).expect(200);
    // $4.50 x 168 hours x 30.4375 / 7 days
    const expected = new Money('4.5').mul(168).mul('30.4375').div(7);
    expect(new Money(res.body.usage.monthlySpendUsd).minus(expected).abs().lt('0.000001')).toBe(true);
    expect(res.body.usage.models[0]).toMatchObject({ modelId: 'gpt-4o', share: 1 });
    expect(res.body.current.basis).toBe('actual-spend');
    expect(res.body.load.shape).toBe('hourly');
    expect(res.body.sensitivity.length).toBeGreaterThanOrEqual(5);
    const again = await t.http.get('/v1/workloads/chat/economics?window=7d').set(org.keyAuth).expect(200);
    expect(again.body.asOf).toBe(res.body.asOf);
    const fresh = await t.http.get('/v1/workloads/chat/economics?window=7d&refresh=true').set(org.keyAuth).expect(200);
    expect(fresh.body.asOf >= res.body.asOf).toBe(true);
    await t.http.get('/v1/workloads/nothing/economics').set(org.keyAuth).expect(404);
    const other = await createOrg(t);
    await t.http.get('/v1/workloads/chat/economics?window=7d').set(other.keyAuth).expect(404);
  });
});

describe('GET /v1/forecast', () => {
  it('projects spend with a band and a backtest error from 84 days of +10%/month growth', async () => {
    const org = await createOrg(t);
    const days = 84;
    // One event per day at noon, daily tokens growing 10% a month.
    const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
    const events = Array.from({ length: days }, (_, d) => ({
      id: `growing-${uid()}-${d}`,
      timestamp: new Date(today - (days - d) * 86_400_000 + 12 * HOUR).toISOString(),
      provider: 'openai',
      model: 'gpt-4o',
      workload: 'growing',
      usage: { inputTokens: Math.round(10_000_000 * Math.pow(1.1, d / 30.4375)), outputTokens: 0 },
    }));
    await t.http.post('/v1/events').set(org.keyAuth).send({ events }).expect(200);
    await waitFor(async () => (await t.http.get('/v1/admin/jobs').set(org.auth)).body.rollupBacklog.dirtyHours === 0 || null, 30_000);
    const res = await t.http.get('/v1/forecast?horizonMonths=3&groupBy=workload').set(org.keyAuth).expect(200);
    expect(res.body.organisation.months).toHaveLength(3);
    for (const m of res.body.organisation.months) {
      expect(new Money(m.p10Usd).lte(m.expectedUsd)).toBe(true);
      expect(new Money(m.expectedUsd).lte(m.p90Usd)).toBe(true);
    }
    expect(res.body.organisation.historyDays).toBe(days);
    // The growth in the data is recovered within 5% (0.095 to 0.105), and the backtest error is small.
    expect(res.body.organisation.monthlyGrowthRate).toBeGreaterThan(0.095);
    expect(res.body.organisation.monthlyGrowthRate).toBeLessThan(0.105);
    expect(res.body.organisation.backtest.mape).toBeLessThan(0.05);
    // Rolling-origin backtest on 84 days: 1 week from 8 origins (day 77 back to 28), 4 weeks from 5 (56 back to 28); 12 weeks needs 133+ days.
    expect(res.body.organisation.backtest.horizons.map((h: { weeks: number; origins: number }) => [h.weeks, h.origins])).toEqual([
      [1, 8],
      [4, 5],
    ]);
    expect(res.body.organisation.backtest.omitted.map((o: { weeks: number }) => o.weeks)).toEqual([12]);
    expect(res.body.organisation.damping.perMonth).toBe(0.9);
    expect(res.body.organisation.growthCap.maxHorizonFactor).toBe(3);
    expect(Object.keys(res.body.workloads)).toEqual(['growing']);
    await t.http.get('/v1/forecast?horizonMonths=13').set(org.keyAuth).expect(400);
  });

  it('a model switch is a price step, not a trend: 10M input tokens/day on gpt-4o ($2.50/M) for 28 days then gpt-4o-mini ($0.15/M) for 14 → next month = days x 10M x $0.15/M', async () => {
    const org = await createOrg(t);
    const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
    const events = Array.from({ length: 42 }, (_, d) => ({
      id: `switch-${uid()}-${d}`,
      timestamp: new Date(today - (42 - d) * 86_400_000 + 12 * HOUR).toISOString(),
      provider: 'openai',
      model: d < 28 ? 'gpt-4o' : 'gpt-4o-mini',
      workload: 'switch',
      usage: { inputTokens: 10_000_000, outputTokens: 0 },
    }));
    await t.http.post('/v1/events').set(org.keyAuth).send({ events }).expect(200);
    await waitFor(async () => (await t.http.get('/v1/admin/jobs').set(org.auth)).body.rollupBacklog.dirtyHours === 0 || null, 30_000);
    const before = Date.now();
    const res = await t.http.get('/v1/forecast?horizonMonths=2').set(org.keyAuth).expect(200);
    const f = res.body.organisation;
    // asOf is the request time; the forecast starts on its UTC day, so the current month has (days left including today) forecast days.
    expect(Date.parse(res.body.asOf)).toBeGreaterThanOrEqual(before - 1000);
    const now = new Date();
    const monthEnd = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
    expect(f.months[0].month).toBe(now.toISOString().slice(0, 7));
    expect(f.months[0].forecastDays).toBe((monthEnd - today) / 86_400_000);
    // Price in force: the last 7 days are all gpt-4o-mini input at $0.15/M (reference economics.json, closedModels gpt-4o-mini).
    expect(f.volumeBasis).toBe('tokens');
    expect(f.priceInForce.usdPerMillionTokens).toBe('0.15');
    expect(Math.abs(f.monthlyGrowthRate)).toBeLessThan(1e-9);
    // Next month (all forecast): its days x 10M tokens x $0.15/M = days x $1.50, flat, not a 94% fall continued.
    const next = new Date(monthEnd);
    const daysNext = (Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 1, 1) - monthEnd) / 86_400_000;
    expect(f.months[1].expectedUsd).toBe(new Money(daysNext).mul('1.5').toFixed());
    expect(f.months[1].forecastDays).toBe(daysNext);
    const other = await createOrg(t);
    const empty = await t.http.get('/v1/forecast?horizonMonths=2').set(other.keyAuth).expect(200);
    expect(empty.body.organisation.months).toEqual([]);
  });
});

describe('nightly snapshots', () => {
  // The nightly job fans out over every org of its database: on the run's shared database it would refresh
  // every other suite's orgs first, and take as long as they are many. Its own database keeps it to this test.
  let own: TestApp;
  let db: SuiteDatabase;
  beforeAll(async () => {
    db = await createSuiteDatabase();
    own = await bootApp({ DATABASE_URL: db.url });
  }, 60_000);
  afterAll(async () => {
    await own?.close();
    await db?.drop();
  });

  it('the nightly job fans out per org and stores plan and forecast snapshots with their asOf', async () => {
    const [org, idle] = [await createOrg(own), await createOrg(own)];
    await ingestHourly(org, 'nightly', 24, () => ({ inputTokens: 1000, outputTokens: 100 }), 'gpt-4o', own);
    const { QueueService } = await import('../src/infra/queue/queue.service.js');
    const q = own.app.get(QueueService);
    await q.enqueue('insights', 'nightly', { orgId: '*' }, { jobId: `nightly-test-${uid()}` });
    // Only the nightly refresh writes these two snapshots without anyone asking; every org gets them.
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const kinds = await waitFor(async () => {
        const r = await client.query(`SELECT org_id, kind FROM snapshots WHERE kind IN ('plan', 'forecast') ORDER BY kind`);
        return r.rows.length === 4 ? r.rows : null;
      }, 30_000);
      expect(kinds.filter((x) => x.org_id === org.orgId).map((x) => x.kind)).toEqual(['forecast', 'plan']);
      expect(kinds.filter((x) => x.org_id === idle.orgId).map((x) => x.kind)).toEqual(['forecast', 'plan']);
    } finally {
      await client.end();
    }
    const plan = await own.http.get('/v1/plan').set(org.keyAuth).expect(200);
    expect(plan.body.recomputed).toBe(false);
    expect(plan.body.plan.workloads.map((w: { workload: string }) => w.workload)).toEqual(['nightly']);
  });
});
