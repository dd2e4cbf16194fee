import pg from 'pg';
import { DigestsService } from '../../src/digests/digests.service.js';
import { QueueService } from '../../src/infra/queue/queue.service.js';
import { bootApp, type TestApp } from '../support/app.js';
import { TEST_DATABASE_URL } from '../support/env.js';
import { createOrg } from '../support/factories.js';

// The production floor: one digest an hour at most.
let t: TestApp;
beforeAll(async () => {
  t = await bootApp({ DIGEST_MIN_INTERVAL_SECONDS: '3600' });
});
afterAll(async () => t.close());

describe('digest schedules are bounded and checked before they are saved', () => {
  it.each([
    ['* * * * * *', /fires every 1 s/],
    ['*/5 * * * *', /fires every 300 s/],
    ['61 * * * *', /does not parse/],
  ])('%s is a 400 naming cron, and the saved schedule is unchanged', async (cron, why) => {
    const org = await createOrg(t);
    const res = await t.http.put('/v1/digests/schedule').set(org.auth).send({ cron, timezone: 'UTC', enabled: true }).expect(400);
    expect(res.body.error.details).toEqual([{ field: 'cron', message: expect.stringMatching(why) }]);
    expect((await t.http.get('/v1/digests/schedule').set(org.auth).expect(200)).body).toMatchObject({ cron: '0 8 * * 1', enabled: true });
  });

  it('one org whose stored cron is bad does not stop the others being scheduled at worker start', async () => {
    const bad = await createOrg(t, 'Bad');
    const good = await createOrg(t, 'Good');
    const db = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    try {
      await db.query(`insert into org_settings (org_id, digest) values ($1, $2) on conflict (org_id) do update set digest = excluded.digest`, [bad.orgId, { cron: 'not a cron', enabled: true }]);
    } finally {
      await db.end();
    }
    const q = t.app.get(QueueService).queue('digests');
    await q.removeJobScheduler(`digest-${good.orgId}`);
    await t.app.get(DigestsService).registerAll();
    expect(await q.getJobScheduler(`digest-${good.orgId}`)).toMatchObject({ pattern: '0 8 * * 1' });
    expect(await q.getJobScheduler(`digest-${bad.orgId}`)).toMatchObject({ pattern: '0 8 * * 1' });
  });

  it('a reconcile pass rewrites only what differs: a schedule changed in the database behind the scheduler is picked up, one removed from Redis comes back', async () => {
    const changed = await createOrg(t, 'Changed');
    const lost = await createOrg(t, 'Lost');
    const db = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    try {
      await db.query(`insert into org_settings (org_id, digest) values ($1, $2) on conflict (org_id) do update set digest = excluded.digest`, [changed.orgId, { cron: '0 9 * * 2', timezone: 'Europe/Paris', enabled: true }]);
    } finally {
      await db.end();
    }
    const q = t.app.get(QueueService).queue('digests');
    await q.removeJobScheduler(`digest-${lost.orgId}`);
    await t.app.get(DigestsService).registerAll();
    expect(await q.getJobScheduler(`digest-${changed.orgId}`)).toMatchObject({ pattern: '0 9 * * 2', tz: 'Europe/Paris' });
    expect(await q.getJobScheduler(`digest-${lost.orgId}`)).toMatchObject({ pattern: '0 8 * * 1' });
  });
});
