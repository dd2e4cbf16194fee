import { randomBytes } from 'node:crypto';
import { bootApp, type TestApp } from './support/app.js';
import { createOrg } from './support/factories.js';

/**
 * Decisions never read rollups that are still catching up. The app here is
 * the api role alone: no worker ever rolls anything up, so whatever a plan
 * or digest counts, it rolled up itself before deciding.
 */
describe('decisions read fresh rollups', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootApp({ ROLE: 'api' });
  });
  afterAll(async () => t.close());

  async function postUsage(org: Awaited<ReturnType<typeof createOrg>>, workload: string, hoursAgo: number[]) {
    const events = hoursAgo.map((h) => ({
      id: randomBytes(6).toString('hex'),
      timestamp: new Date(Date.now() - h * 3_600_000).toISOString(),
      provider: 'openai',
      model: 'gpt-4o',
      workload,
      usage: { inputTokens: 1_000_000, outputTokens: 100_000 },
    }));
    expect((await t.http.post('/v1/events').set(org.keyAuth).send({ events }).expect(200)).body.accepted).toBe(events.length);
  }

  it('a digest built right after ingest counts the events ($3.50 each for gpt-4o) and says its data is complete', async () => {
    const org = await createOrg(t);
    await postUsage(org, 'chat', [2, 30, 50]);
    const backlog = await t.http.get('/v1/admin/jobs').set(org.keyAuth).expect(200);
    expect(backlog.body.rollupBacklog.dirtyHours).toBe(3);
    const built = await t.http.post('/v1/digests').set(org.auth).expect(201);
    const digest = await t.http.get(`/v1/digests/${built.body.id}`).set(org.keyAuth).expect(200);
    expect(digest.body.spend.thisPeriodUsd).toBe('10.5');
    expect(digest.body.dataFreshness).toMatchObject({ pendingRollupHours: 0, complete: true });
    expect(Date.parse(digest.body.dataFreshness.dataAsOf)).toBeGreaterThanOrEqual(Date.parse(digest.body.generatedAt) - 1_000);
    expect((await t.http.get('/v1/admin/jobs').set(org.keyAuth).expect(200)).body.rollupBacklog.dirtyHours).toBe(0);
  });

  it('a plan recomputed right after a backfill sees the backfilled workload', async () => {
    const org = await createOrg(t);
    await postUsage(org, 'backfilled', [24 * 3, 24 * 10, 24 * 20]);
    const plan = await t.http.get('/v1/plan?refresh=true').set(org.keyAuth).expect(200);
    expect(plan.body.plan.workloads.map((w: { workload: string }) => w.workload)).toContain('backfilled');
    expect(plan.body.plan.dataFreshness).toMatchObject({ pendingRollupHours: 0, complete: true });
  });

  it('budgets read right after ingest count the usage just sent, and say their data is complete', async () => {
    const org = await createOrg(t);
    const budget = (await t.http.post('/v1/budgets').set(org.auth).send({ name: 'All', monthlyLimitUsd: '100', thresholds: [80] }).expect(201)).body;
    await postUsage(org, 'chat', [0.1]);
    const listed = await t.http.get('/v1/budgets').set(org.keyAuth).expect(200);
    expect(listed.body.data[0].monthToDateUsd).toBe('3.5');
    expect(listed.body.dataFreshness).toMatchObject({ pendingRollupHours: 0, complete: true });
    await postUsage(org, 'chat', [0.2]);
    const one = await t.http.get(`/v1/budgets/${budget.id}`).set(org.keyAuth).expect(200);
    expect(one.body.monthToDateUsd).toBe('7');
    expect(one.body.dataFreshness.complete).toBe(true);
  });

  it('a forecast read right after a backfill includes it, and says its data is complete', async () => {
    const org = await createOrg(t);
    await postUsage(org, 'chat', [24 * 2, 24 * 3]);
    const forecast = await t.http.get('/v1/forecast?horizonMonths=1').set(org.keyAuth).expect(200);
    expect(forecast.body.dataFreshness).toMatchObject({ pendingRollupHours: 0, complete: true });
    expect((await t.http.get('/v1/admin/jobs').set(org.keyAuth).expect(200)).body.rollupBacklog.dirtyHours).toBe(0);
  });
});
