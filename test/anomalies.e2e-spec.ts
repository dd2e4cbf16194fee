import { randomBytes } from 'node:crypto';
import { AnomaliesService } from '../src/anomalies/anomalies.service.js';
import { verifySignature } from '../src/common/standard-webhooks.js';
import { mulberry32 } from '../src/domain/random.js';
import { DAY_MS } from '../src/domain/time.js';
import { bootApp, type TestApp } from './support/app.js';
import { createOrg, type TestOrg } from './support/factories.js';
import { startReceiver } from './support/receiver.js';
import { waitFor } from './support/wait.js';

/*
 * One org, 8 weeks of daily usage through yesterday (Y), one event per model per day at 12:00 UTC, all in one
 * batch (backfilled timestamps). Catalog list prices, USD per 1M input tokens: gpt-4o 2.50, gpt-4o-mini 0.15,
 * claude-sonnet-4.5 6 (its long-context rate: every event here has more than 200k input tokens).
 * - chat (openai): gpt-4o for two customers, acme and globex, 20M tokens each on weekdays ($50), 8M on weekends
 *   ($20), plus gpt-4o-mini 10M every day ($1.50, no customer): $101.50 a weekday, $41.50 a weekend day. On Y
 *   acme's gpt-4o gets 80M more tokens: +$200.
 *   Baseline of Y: every week is the same, so the deseasonalised spend is the week's mean every day (MAD 0):
 *   expected = that weekday's spend, the range is the 10% floor around it (the forecast band is [expected,
 *   expected] on an exact weekly series, inside it):
 *     Y a weekday: expected 101.50, range 91.35-111.65, observed 301.50
 *     Y a weekend: expected  41.50, range 37.35-45.65,  observed 241.50
 *   Move $200 >= $50: an `above` anomaly for workload chat, the same for provider openai (chat is all of it), and
 *   one for customer acme: expected 50 (weekend 20), range 45-55 (18-22), observed 250 (220).
 *   Top model of chat: gpt-4o, $300 vs expected $100 (weekend: $240 vs $40); then gpt-4o-mini $1.50 vs $1.50.
 *   Top customer of chat: acme $250 vs $50 (weekend $220 vs $20), then globex $50 vs $50 ($20 vs $20).
 * - search (anthropic): claude-sonnet-4.5 150M tokens a weekday ($900), 60M a weekend day ($360), each day
 *   x (0.85 to 1.15) from a seeded generator: normal weekly swings, never flagged.
 * - tiny (anthropic): claude-sonnet-4.5 750k tokens ($4.50) a day; on Y 6.5M ($39): far outside its range, but
 *   a move of $34.50 < the $50 minimum: not flagged (and lost in anthropic's ~$900/day).
 */
let t: TestApp;
/** Days are judged once the org's past went this long without a rollup (20 s: a backfill's rollups finish well inside it). */
const QUIET_SECONDS = 20;
beforeAll(async () => {
  t = await bootApp({ ANOMALY_QUIET_SECONDS: String(QUIET_SECONDS) });
});
afterAll(async () => {
  await t.close();
});

const uid = () => randomBytes(4).toString('hex');
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const isWeekend = (ms: number) => [0, 6].includes(new Date(ms).getUTCDay());

function history(y: number) {
  const run = uid();
  const noise = mulberry32(7);
  const events: unknown[] = [];
  const ev = (day: number, workload: string, provider: string, model: string, inputTokens: number, customer?: string) =>
    events.push({
      id: `${run}-${workload}-${model}-${customer ?? ''}-${isoDay(day)}`,
      timestamp: new Date(day + 12 * 3_600_000).toISOString(),
      provider,
      model,
      workload,
      ...(customer ? { customer } : {}),
      usage: { inputTokens, outputTokens: 0 },
    });
  for (let day = y - 56 * DAY_MS; day <= y; day += DAY_MS) {
    const weekend = isWeekend(day);
    ev(day, 'chat', 'openai', 'gpt-4o', (weekend ? 8_000_000 : 20_000_000) + (day === y ? 80_000_000 : 0), 'acme');
    ev(day, 'chat', 'openai', 'gpt-4o', weekend ? 8_000_000 : 20_000_000, 'globex');
    ev(day, 'chat', 'openai', 'gpt-4o-mini', 10_000_000);
    ev(day, 'search', 'anthropic', 'claude-sonnet-4.5', Math.round((weekend ? 60_000_000 : 150_000_000) * (0.85 + 0.3 * noise())));
    ev(day, 'tiny', 'anthropic', 'claude-sonnet-4.5', day === y ? 6_500_000 : 750_000);
  }
  return events;
}

interface AnomalyJson {
  id: string;
  anomalyId: string;
  day: string;
  scope: { kind: string; value: string };
  direction: string;
  partialDay: boolean;
  observedUsd: string;
  expectedUsd: string;
  lowerUsd: string;
  upperUsd: string;
  minimumUsd: string;
  topContributors: {
    models: { model: string; costUsd: string; expectedUsd: string | null }[];
    workloads: { workload: string; costUsd: string; expectedUsd: string | null }[];
    customers: { customer: string; costUsd: string; expectedUsd: string | null }[];
  };
  dashboardUrl: string;
  createdAt: string;
}

describe('spend anomalies', () => {
  let org: TestOrg;
  let other: TestOrg;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let hook: { id: string; secret: string };
  const y = Math.floor(Date.now() / DAY_MS) * DAY_MS - DAY_MS;
  const weekend = isWeekend(y);
  const figures = weekend
    ? { observedUsd: '241.5', expectedUsd: '41.5', lowerUsd: '37.35', upperUsd: '45.65', gpt4o: { costUsd: '240', expectedUsd: '40' }, acme: { observedUsd: '220', expectedUsd: '20', lowerUsd: '18', upperUsd: '22' }, globex: '20' }
    : { observedUsd: '301.5', expectedUsd: '101.5', lowerUsd: '91.35', upperUsd: '111.65', gpt4o: { costUsd: '300', expectedUsd: '100' }, acme: { observedUsd: '250', expectedUsd: '50', lowerUsd: '45', upperUsd: '55' }, globex: '50' };

  beforeAll(async () => {
    receiver = await startReceiver(() => 204);
    org = await createOrg(t);
    other = await createOrg(t);
    const res = await t.http.post('/v1/webhooks').set(org.auth).send({ url: receiver.url, events: ['spend.anomaly'] }).expect(201);
    hook = res.body;
    const posted = await t.http.post('/v1/events').set(org.keyAuth).send({ events: history(y) }).expect(200);
    expect(posted.body.accepted).toBe(57 * 5);
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('the spike is raised once, after the rollups, for workload chat, provider openai and customer acme, with the hand-worked range and top contributors', async () => {
    // The check runs by itself after the batch's rollups, once the org has been quiet for QUIET_SECONDS.
    const found = await waitFor(async () => {
      const r = await t.http.get('/v1/anomalies').set(org.keyAuth).expect(200);
      return r.body.data.length >= 3 ? (r.body.data as AnomalyJson[]) : null;
    }, 75_000);
    // A full pass now (what the next rollup or the nightly pass runs) raises nothing new.
    expect(await t.app.get(AnomaliesService).detect(org.orgId, new Date(), { settled: true })).toBe(0);
    const all = (await t.http.get('/v1/anomalies').set(org.keyAuth).expect(200)).body.data as AnomalyJson[];
    expect(all.map((a) => a.id).sort()).toEqual(found.map((a) => a.id).sort());
    // search (normal weekly swings) and tiny ($34.50 move < $50) raise nothing; neither do anthropic and globex.
    expect(all.map((a) => `${a.scope.kind}:${a.scope.value}`).sort()).toEqual(['customer:acme', 'provider:openai', 'workload:chat']);

    const chat = all.find((a) => a.scope.kind === 'workload')!;
    expect(chat.topContributors.customers).toEqual([
      { customer: 'acme', costUsd: figures.acme.observedUsd, expectedUsd: figures.acme.expectedUsd },
      { customer: 'globex', costUsd: figures.globex, expectedUsd: figures.globex },
    ]);
    expect(chat).toMatchObject({
      day: isoDay(y),
      direction: 'above',
      partialDay: false,
      observedUsd: figures.observedUsd,
      expectedUsd: figures.expectedUsd,
      lowerUsd: figures.lowerUsd,
      upperUsd: figures.upperUsd,
      minimumUsd: '50',
      dashboardUrl: `${t.config.http.publicUrl}/app/#/workloads/chat`,
    });
    expect(chat.anomalyId).toBe(chat.id);
    expect(chat.topContributors.models).toEqual([
      { model: 'gpt-4o', ...figures.gpt4o },
      { model: 'gpt-4o-mini', costUsd: '1.5', expectedUsd: '1.5' },
    ]);
    const openai = all.find((a) => a.scope.kind === 'provider')!;
    expect(openai).toMatchObject({ observedUsd: figures.observedUsd, expectedUsd: figures.expectedUsd, dashboardUrl: `${t.config.http.publicUrl}/app/#/` });
    expect(openai.topContributors.workloads).toEqual([{ workload: 'chat', costUsd: figures.observedUsd, expectedUsd: figures.expectedUsd }]);
    const acme = all.find((a) => a.scope.kind === 'customer')!;
    expect(acme).toMatchObject({ scope: { kind: 'customer', value: 'acme' }, direction: 'above', ...figures.acme, dashboardUrl: `${t.config.http.publicUrl}/app/#/` });
    // A customer's models come from that day's raw events: no baseline of their own.
    expect(acme.topContributors.workloads).toEqual([{ workload: 'chat', costUsd: figures.acme.observedUsd, expectedUsd: figures.acme.expectedUsd }]);
    expect(acme.topContributors.models).toEqual([{ model: 'gpt-4o', costUsd: figures.acme.observedUsd, expectedUsd: null }]);
  }, 120_000);

  it('each anomaly is one signed spend.anomaly webhook, never a second one on a re-run', async () => {
    const delivered = await waitFor(async () => {
      const d = await t.http.get(`/v1/webhooks/${hook.id}/deliveries`).set(org.auth).expect(200);
      return d.body.data.length === 3 && d.body.data.every((x: { status: string }) => x.status === 'delivered') ? d.body.data : null;
    }, 20_000);
    expect(delivered).toHaveLength(3);
    await waitFor(async () => receiver.received.length >= 3 || null);
    for (const r of receiver.received) expect(verifySignature(hook.secret, r.headers, Buffer.from(r.body))).toBeNull();
    const bodies = receiver.received.map((r) => JSON.parse(r.body) as { type: string; data: AnomalyJson });
    expect(bodies.map((b) => b.type)).toEqual(['spend.anomaly', 'spend.anomaly', 'spend.anomaly']);
    const chat = bodies.find((b) => b.data.scope.kind === 'workload')!.data;
    expect(Object.keys(chat).sort()).toEqual(
      ['anomalyId', 'day', 'scope', 'direction', 'partialDay', 'observedUsd', 'expectedUsd', 'lowerUsd', 'upperUsd', 'minimumUsd', 'topContributors', 'dashboardUrl'].sort(),
    );
    expect(chat).toMatchObject({ day: isoDay(y), scope: { kind: 'workload', value: 'chat' }, direction: 'above', observedUsd: figures.observedUsd, lowerUsd: figures.lowerUsd, upperUsd: figures.upperUsd });
    expect(Object.keys(chat.topContributors).sort()).toEqual(['customers', 'models', 'workloads']);

    // Late usage on the same day and another full pass: the anomaly stays one row, one delivery each.
    await t.http.post('/v1/events').set(org.keyAuth).send({ id: `late-${uid()}`, timestamp: new Date(y + 13 * 3_600_000).toISOString(), provider: 'openai', model: 'gpt-4o', workload: 'chat', usage: { inputTokens: 4_000_000, outputTokens: 0 } }).expect(200);
    expect(await t.app.get(AnomaliesService).detect(org.orgId, new Date(), { settled: true })).toBe(0);
    const after = await t.http.get(`/v1/webhooks/${hook.id}/deliveries`).set(org.auth).expect(200);
    expect(after.body.data).toHaveLength(3);
    expect((await t.http.get('/v1/anomalies').set(org.keyAuth).expect(200)).body.data).toHaveLength(3);
  });

  it('GET /v1/alerts lists budget alerts (type budget) and anomalies (type anomaly), newest first, paginated across both; filters by type', async () => {
    const anomalies = (await t.http.get('/v1/alerts?type=anomaly').set(org.keyAuth).expect(200)).body.data;
    expect(anomalies).toHaveLength(3);
    expect(anomalies.every((a: { type: string }) => a.type === 'anomaly')).toBe(true);
    // A budget of $10 on workload budgeted, alerting at 50%: one gpt-4o event of 2M input tokens now = $5.
    await t.http.post('/v1/budgets').set(org.auth).send({ name: 'Budgeted', scope: { workload: 'budgeted' }, limitUsd: '10', thresholds: [50] }).expect(201);
    await t.http.post('/v1/events').set(org.keyAuth).send({ id: `b-${uid()}`, timestamp: new Date(Date.now() - 60_000).toISOString(), provider: 'openai', model: 'gpt-4o', workload: 'budgeted', usage: { inputTokens: 2_000_000, outputTokens: 0 } }).expect(200);
    const budgetAlerts = await waitFor(async () => {
      const r = await t.http.get('/v1/alerts?type=budget').set(org.keyAuth).expect(200);
      return r.body.data.length === 1 ? r.body.data : null;
    });
    expect(budgetAlerts[0]).toMatchObject({ type: 'budget', budgetName: 'Budgeted', threshold: 50, spendUsd: '5', limitUsd: '10' });

    const all = (await t.http.get('/v1/alerts').set(org.keyAuth).expect(200)).body.data;
    expect(all.map((a: { type: string }) => a.type)).toEqual(['budget', 'anomaly', 'anomaly', 'anomaly']);
    const createdAt = all.map((a: { createdAt: string }) => a.createdAt);
    expect([...createdAt].sort().reverse()).toEqual(createdAt);
    const first = await t.http.get('/v1/alerts?limit=3').set(org.keyAuth).expect(200);
    expect(first.body.data).toHaveLength(3);
    const second = await t.http.get(`/v1/alerts?limit=3&cursor=${first.body.nextCursor}`).set(org.keyAuth).expect(200);
    expect(second.body.data).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    expect([...first.body.data, ...second.body.data].map((a: { id: string }) => a.id)).toEqual(all.map((a: { id: string }) => a.id));
    const anomalyPage = await t.http.get('/v1/anomalies?limit=2').set(org.keyAuth).expect(200);
    const rest = await t.http.get(`/v1/anomalies?limit=2&cursor=${anomalyPage.body.nextCursor}`).set(org.keyAuth).expect(200);
    expect([...anomalyPage.body.data, ...rest.body.data].map((a: { id: string }) => a.id)).toEqual(anomalies.map((a: { id: string }) => a.id));
    const providers = await t.http.get('/v1/anomalies?scopeKind=provider').set(org.keyAuth).expect(200);
    expect(providers.body.data.map((a: AnomalyJson) => a.scope.value)).toEqual(['openai']);
    const window = `from=${isoDay(y)}T00:00:00Z&to=${isoDay(y + DAY_MS)}T00:00:00Z`;
    expect((await t.http.get(`/v1/anomalies?${window}`).set(org.keyAuth).expect(200)).body.data).toHaveLength(3);
    expect((await t.http.get(`/v1/anomalies?from=${isoDay(y + DAY_MS)}T00:00:00Z`).set(org.keyAuth).expect(200)).body.data).toHaveLength(0);
  });

  it('a backfill still arriving is not judged: days not posted yet are no drops, and once it is all in only the spike is raised', async () => {
    const late = await createOrg(t);
    const events = history(y) as { timestamp: string }[];
    const cut = new Date(y - 10 * DAY_MS).toISOString();
    const rolledUp = () => waitFor(async () => (await t.http.get('/v1/admin/jobs').set(late.auth)).body.rollupBacklog?.dirtyHours === 0 || null, 30_000, 200);
    // First the history up to 10 days before Y: days Y-9..Y hold nothing yet.
    await t.http.post('/v1/events').set(late.keyAuth).send({ events: events.filter((e) => e.timestamp < cut) }).expect(200);
    await rolledUp();
    // Judged now, those days would be drops of every scope; the org's past was rolled up just now, so they wait.
    expect(await t.app.get(AnomaliesService).detect(late.orgId)).toBe(0);
    await t.http.post('/v1/events').set(late.keyAuth).send({ events: events.filter((e) => e.timestamp >= cut) }).expect(200);
    await rolledUp();
    // The re-check after the quiet period finds exactly the spike: no drop was ever recorded.
    const found = await waitFor(async () => {
      const r = (await t.http.get('/v1/anomalies').set(late.keyAuth).expect(200)).body.data as AnomalyJson[];
      return r.length >= 3 ? r : null;
    }, 75_000);
    // A full pass over the same data records nothing more: whatever a pass still running could record, this one
    // would have recorded too (no fixed wait for the scheduled passes).
    expect(await t.app.get(AnomaliesService).detect(late.orgId, new Date(), { settled: true })).toBe(0);
    const all = (await t.http.get('/v1/anomalies').set(late.keyAuth).expect(200)).body.data as AnomalyJson[];
    expect(all.map((a) => a.id).sort()).toEqual(found.map((a) => a.id).sort());
    expect(all.map((a) => `${a.scope.kind}:${a.scope.value}:${a.direction}:${a.day}`).sort()).toEqual(
      [`customer:acme:above:${isoDay(y)}`, `provider:openai:above:${isoDay(y)}`, `workload:chat:above:${isoDay(y)}`],
    );
  }, 150_000);

  it('another org sees none of them', async () => {
    expect((await t.http.get('/v1/anomalies').set(other.keyAuth).expect(200)).body.data).toEqual([]);
    expect((await t.http.get('/v1/alerts').set(other.keyAuth).expect(200)).body.data).toEqual([]);
    expect(await t.app.get(AnomaliesService).between(other.orgId, new Date(y - 7 * DAY_MS), new Date(y + DAY_MS))).toEqual([]);
    expect(await t.app.get(AnomaliesService).between(org.orgId, new Date(y), new Date(y + DAY_MS))).toHaveLength(3);
  });

  it('bad queries are 400s naming the field', async () => {
    const fields = async (q: string) => (await t.http.get(q).set(org.keyAuth).expect(400)).body.error.details.map((d: { field: string }) => d.field);
    expect(await fields('/v1/alerts?type=nope')).toEqual(['type']);
    expect(await fields('/v1/anomalies?scopeKind=team')).toEqual(['scopeKind']);
    expect(await fields('/v1/anomalies?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z')).toEqual(['to']);
    expect(await fields('/v1/alerts?cursor=bm9wZQ')).toEqual(['cursor']);
    expect(await fields(`/v1/alerts?cursor=${Buffer.from(JSON.stringify({ at: '2026-12-01T00:00:00Z', id: 'x' })).toString('base64url')}`)).toEqual(['cursor']);
    expect(await fields('/v1/anomalies?limit=501')).toEqual(['limit']);
  });
});
