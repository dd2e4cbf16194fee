import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { bootApp, type TestApp } from '../support/app.js';
import { createOrg } from '../support/factories.js';
import { TEST_DATABASE_URL } from '../support/env.js';
import { startReceiver } from '../support/receiver.js';
import { waitFor } from '../support/wait.js';
import { BudgetsService } from '../../src/budgets/budgets.service.js';
import { DigestsService } from '../../src/digests/digests.service.js';

/**
 * An alert (or digest) and its webhook deliveries are written one after the other. A crash or database error
 * between the two used to lose the webhook for good: the next evaluation found the alert already recorded and
 * emitted nothing. The state that crash leaves (the row, no deliveries, `notified_at` null) is written here
 * directly, then the ordinary path runs and must deliver it once.
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

const month = () => new Date().toISOString().slice(0, 7);
const types = (bodies: { body: string }[]) => bodies.map((r) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> });

describe('Webhooks of alerts and digests survive a crash between the two writes', () => {
  it('an alert recorded without its deliveries is emitted at the next evaluation, once', async () => {
    const receiver = await startReceiver();
    try {
      const org = await createOrg(t);
      await t.http.post('/v1/webhooks').set(org.auth).send({ url: receiver.url, events: ['budget.threshold_crossed'] }).expect(201);
      const budget = (await t.http.post('/v1/budgets').set(org.auth).send({ name: 'All', monthlyLimitUsd: '1', thresholds: [50] }).expect(201)).body;
      // What the crash left: the alert row, nothing else.
      const alertId = (
        await admin.query(`INSERT INTO alerts (org_id, id, budget_id, period, threshold, spend_usd, limit_usd) VALUES ($1, gen_random_uuid(), $2, $3, 50, 0.75, 1) RETURNING id`, [org.orgId, budget.id, month()])
      ).rows[0].id as string;

      await t.http
        .post('/v1/events')
        .set(org.keyAuth)
        .send({ id: randomBytes(6).toString('hex'), timestamp: new Date(Date.now() - 60_000).toISOString(), provider: 'openai', model: 'gpt-4o', workload: 'chat', usage: { inputTokens: 1_000_000, outputTokens: 0 } })
        .expect(200);
      await waitFor(async () => (receiver.received.length >= 1 ? true : null), 20_000);
      const [sent] = types(receiver.received);
      expect(sent.type).toBe('budget.threshold_crossed');
      expect(sent.data).toMatchObject({ alertId, threshold: 50, spendUsd: '0.75', limitUsd: '1' });

      // Evaluated again (the next rollup): nothing more is sent, and the alert is marked.
      await t.app.get(BudgetsService).evaluate(org.orgId, new Date());
      const row = await admin.query(`SELECT notified_at FROM alerts WHERE org_id = $1 AND id = $2`, [org.orgId, alertId]);
      expect(row.rows[0].notified_at).toBeInstanceOf(Date);
      const deliveries = await admin.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE org_id = $1`, [org.orgId]);
      expect(deliveries.rows[0].n).toBe(1);
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('a retried digest build finding its digest stored without deliveries emits it, and only then', async () => {
    const receiver = await startReceiver();
    try {
      const org = await createOrg(t);
      await t.http.post('/v1/webhooks').set(org.auth).send({ url: receiver.url, events: ['digest.created'] }).expect(201);
      const period = '2026-11-30T08:00:00.000Z';
      const digestId = (
        await admin.query(`INSERT INTO digests (org_id, id, period, data, markdown) VALUES ($1, gen_random_uuid(), $2, $3, '# digest') RETURNING id`, [
          org.orgId,
          period,
          JSON.stringify({ spend: { thisPeriodUsd: '0' }, topActions: [] }),
        ])
      ).rows[0].id as string;

      const digests = t.app.get(DigestsService);
      expect(await digests.build(org.orgId, period)).toBeNull();
      await waitFor(async () => (receiver.received.length >= 1 ? true : null), 20_000);
      expect(types(receiver.received)[0]).toMatchObject({ type: 'digest.created', data: { digestId, period } });

      await digests.build(org.orgId, period);
      const deliveries = await admin.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE org_id = $1`, [org.orgId]);
      expect(deliveries.rows[0].n).toBe(1);
    } finally {
      await receiver.close();
    }
  });
});
