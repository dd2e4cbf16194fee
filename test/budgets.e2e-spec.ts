import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { BudgetsService } from '../src/budgets/budgets.service.js';
import { bootApp, type TestApp } from './support/app.js';
import { TEST_DATABASE_URL } from './support/env.js';
import { createOrg, type TestOrg } from './support/factories.js';
import { startReceiver } from './support/receiver.js';
import { waitFor } from './support/wait.js';

/**
 * Budgets by window (org-tz month, rolling 24h/7d), by customer and tag, soft and hard, and their bounds.
 * Each event below is gpt-4o with 1,000,000 input tokens: $2.50. Timestamps are placed relative to the window
 * boundaries the API reports, so the figures hold whatever day the suite runs.
 */
let t: TestApp;
let admin: pg.Client;
beforeAll(async () => {
  t = await bootApp();
  admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
});
afterAll(async () => {
  await admin.end();
  await t.close();
});

const H = 3_600_000;
const uid = () => randomBytes(5).toString('hex');
const ev = (ts: number, extra: Record<string, unknown> = {}) => ({
  id: `b-${uid()}`,
  timestamp: new Date(ts).toISOString(),
  provider: 'openai',
  model: 'gpt-4o',
  workload: 'chat',
  usage: { inputTokens: 1_000_000, outputTokens: 0 },
  ...extra,
});

async function orgIn(timezone: string): Promise<TestOrg> {
  const s = uid();
  const email = `tz-${s}@example.test`;
  const password = `pw-${s}-long-enough`;
  const res = await t.http.post('/v1/signup').send({ orgName: `TZ ${s}`, email, password, timezone }).expect(201);
  return { orgId: res.body.org.id, email, password, token: res.body.accessToken, adminKey: res.body.apiKey.key, auth: { Authorization: `Bearer ${res.body.accessToken}` }, keyAuth: { Authorization: `Bearer ${res.body.apiKey.key}` } };
}

type BudgetView = { id: string; name: string; window: string; spentUsd: string; remainingUsd: string; usedPercent: number; windowStart: string; windowEnd: string; monthToDateUsd?: string; monthlyLimitUsd?: string; limitUsd: string };
const post = async (org: TestOrg, body: Record<string, unknown>) => (await t.http.post('/v1/budgets').set(org.auth).send({ thresholds: [50, 100], ...body }).expect(201)).body as BudgetView;
const get = async (org: TestOrg, id: string) => (await t.http.get(`/v1/budgets/${id}`).set(org.auth).expect(200)).body as BudgetView;

describe('budget windows', () => {
  it("a month budget follows the org's time zone: in Los Angeles the month starts at local midnight, 07:00 or 08:00 UTC", async () => {
    const la = await orgIn('America/Los_Angeles');
    const utc = await orgIn('UTC');
    const laBudget = await post(la, { name: 'LA month', limitUsd: '5' });
    const utcBudget = await post(utc, { name: 'UTC month', monthlyLimitUsd: '10' });
    const laStart = Date.parse(laBudget.windowStart);
    // Local midnight of the 1st, whatever month this runs in: 7 h (PDT) or 8 h (PST) after UTC midnight.
    const d = new Date(laStart);
    expect(d.getUTCMinutes()).toBe(0);
    expect([7, 8]).toContain(d.getUTCHours());
    expect(new Date(laStart - 8 * H).getUTCDate()).toBe(1);
    expect(utcBudget.windowStart).toBe(new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1)).toISOString());

    // One event an hour before the LA month starts (still last month there), one as it starts.
    for (const org of [la, utc]) await t.http.post('/v1/events').set(org.keyAuth).send({ events: [ev(laStart - H), ev(laStart)] }).expect(200);
    const laNow = await get(la, laBudget.id);
    expect(laNow).toMatchObject({ spentUsd: '2.5', monthToDateUsd: '2.5', monthlyLimitUsd: '5', limitUsd: '5', remainingUsd: '2.5', usedPercent: 50 });
    // In UTC both fall in the current month, unless this runs in the first hours of a UTC month (LA's month then
    // started before UTC's, a month ago).
    const utcStart = Date.parse(utcBudget.windowStart);
    expect((await get(utc, utcBudget.id)).spentUsd).toBe(utcStart <= laStart - H ? '5' : '0');
    // Alerts (recorded by the evaluation after each hour's rollup job) name LA months: 50% of this month, and 50%
    // of last month too, since the earlier event is late usage of last month there ($2.50 of $5 each).
    const alerts = await waitFor(async () => {
      const a = await t.app.get(BudgetsService).alerts(la.orgId, { limit: 10 });
      return a.length === 2 ? a : null;
    });
    const laMonth = (at: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Los_Angeles', year: 'numeric', month: '2-digit' }).format(new Date(at));
    expect(alerts.map((a) => a.period).sort()).toEqual([laMonth(laStart - H), laMonth(laStart + H)]);
    for (const a of alerts) expect(a).toMatchObject({ budgetName: 'LA month', month: a.period, window: 'month', threshold: 50, spendUsd: '2.5', limitUsd: '5' });
  });

  it('rolling 24h and 7d windows hold the last 24 and 168 hours counting the current one; alerts name the UTC day', async () => {
    const org = await createOrg(t);
    const receiver = await startReceiver();
    try {
      await t.http.post('/v1/webhooks').set(org.auth).send({ url: receiver.url, events: ['budget.threshold_crossed'] }).expect(201);
      const day = await post(org, { name: '24h', window: '24h', hard: true, limitUsd: '5' });
      const week = await post(org, { name: '7d', window: '7d', limitUsd: '20' });
      const dayStart = Date.parse(day.windowStart);
      const weekStart = Date.parse(week.windowStart);
      expect(Date.parse(day.windowEnd) - dayStart).toBe(24 * H);
      expect(Date.parse(week.windowEnd) - weekStart).toBe(168 * H);
      expect(day.windowEnd).toBe(week.windowEnd);
      expect(day).not.toHaveProperty('monthToDateUsd');
      // At the 24h window's first millisecond (in both), one millisecond before it (7d only), 8 days back (neither).
      await t.http.post('/v1/events').set(org.keyAuth).send({ events: [ev(dayStart), ev(dayStart - 1), ev(weekStart - 1)] }).expect(200);
      expect(await get(org, day.id)).toMatchObject({ spentUsd: '2.5', remainingUsd: '2.5', usedPercent: 50 });
      expect(await get(org, week.id)).toMatchObject({ spentUsd: '5', remainingUsd: '15', usedPercent: 25 });
      // 50% of the 24h budget: one alert, period = today's UTC date, with window, hard and scope in the webhook.
      const today = new Date().toISOString().slice(0, 10);
      const [sent] = await waitFor(async () => (receiver.received.length ? receiver.received.map((r) => JSON.parse(r.body)) : null), 20_000);
      expect(sent.data).toMatchObject({ window: '24h', hard: true, period: today, month: null, threshold: 50, spendUsd: '2.5', limitUsd: '5', budget: { name: '24h', scope: { customer: null, tag: null } } });
      // Past the limit: remaining is 0 (never negative), usedPercent says by how much.
      await t.http.post('/v1/events').set(org.keyAuth).send({ events: [ev(Date.now() - 60_000), ev(Date.now() - 60_000)] }).expect(200);
      expect(await get(org, day.id)).toMatchObject({ spentUsd: '7.5', remainingUsd: '0', usedPercent: 150 });
    } finally {
      await receiver.close();
    }
  });

  it('customer and tag budgets count only their customer or tag', async () => {
    const org = await createOrg(t);
    const acme = await post(org, { name: 'Acme', scope: { customer: 'acme' }, limitUsd: '10' });
    const growth = await post(org, { name: 'Growth', scope: { tag: { key: 'team', value: 'growth' }, workload: 'chat' }, window: '30d', limitUsd: '10' });
    const now = Date.now() - 60_000;
    await t.http
      .post('/v1/events')
      .set(org.keyAuth)
      .send({ events: [ev(now, { customer: 'acme', tags: { team: 'growth' } }), ev(now, { customer: 'acme' }), ev(now, { customer: 'globex', tags: { team: 'growth' } }), ev(now, { workload: 'search', tags: { team: 'growth' } })] })
      .expect(200);
    expect(await get(org, acme.id)).toMatchObject({ spentUsd: '5', scope: { customer: 'acme', tag: null } });
    // team=growth on chat: two events (the search one is another workload).
    expect(await get(org, growth.id)).toMatchObject({ spentUsd: '5', scope: { workload: 'chat', tag: { key: 'team', value: 'growth' } } });
  });
});

describe('budget input', () => {
  it('names the bad field; a customer and a tag at once, or both limit names, are refused; at most 100 budgets', async () => {
    const org = await createOrg(t);
    const fields = async (body: Record<string, unknown>) => (await t.http.post('/v1/budgets').set(org.auth).send({ name: 'x', thresholds: [80], ...body }).expect(400)).body.error.details.map((d: { field: string }) => d.field);
    expect(await fields({ limitUsd: '1', scope: { customer: 'acme', tag: { key: 'team', value: 'x' } } })).toEqual(['scope']);
    expect(await fields({ limitUsd: '1', monthlyLimitUsd: '1' })).toEqual(['limitUsd', 'monthlyLimitUsd']);
    expect(await fields({})).toEqual(['limitUsd']);
    expect(await fields({ monthlyLimitUsd: null })).toEqual(['monthlyLimitUsd']);
    expect(await fields({ limitUsd: null })).toEqual(['limitUsd']);
    expect(await fields({ limitUsd: '1', window: 'weekly' })).toEqual(['window']);
    expect(await fields({ limitUsd: '1', hard: 'yes' })).toEqual(['hard']);
    expect(await fields({ limitUsd: '1', scope: { customer: 'c'.repeat(257) } })).toEqual(['scope.customer']);
    expect(await fields({ limitUsd: '1', scope: { customer: '(other)' } })).toEqual(['scope.customer']);
    expect(await fields({ limitUsd: '1', scope: { tag: { key: 'k'.repeat(65), value: 'v' } } })).toEqual(['scope.tag.key']);
    expect(await fields({ limitUsd: '1', scope: { tag: { key: 'k', value: 'v'.repeat(257) } } })).toEqual(['scope.tag.value']);
    const b = await post(org, { name: 'One', limitUsd: '1' });
    expect((await t.http.patch(`/v1/budgets/${b.id}`).set(org.auth).send({ limitUsd: '2', monthlyLimitUsd: '2' }).expect(400)).body.error.details.map((d: { field: string }) => d.field)).toEqual(['limitUsd', 'monthlyLimitUsd']);
    expect((await t.http.patch(`/v1/budgets/${b.id}`).set(org.auth).send({ window: '7d', hard: true, monthlyLimitUsd: '3' }).expect(200)).body).toMatchObject({ window: '7d', hard: true, limitUsd: '3' });

    // 99 more, written directly (each POST evaluates every budget of the org), then the 101st is refused.
    await admin.query(
      `INSERT INTO budgets (org_id, id, name, limit_usd, thresholds) SELECT $1, gen_random_uuid(), 'bulk ' || i, 1, '{100}' FROM generate_series(1, 99) i`,
      [org.orgId],
    );
    const refused = await t.http.post('/v1/budgets').set(org.auth).send({ name: 'Too many', limitUsd: '1', thresholds: [80] }).expect(409);
    expect(refused.body.error.message).toMatch(/at most 100 budgets/);
  });
});
