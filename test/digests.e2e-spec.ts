import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { verifySignature } from '../src/common/standard-webhooks.js';
import { bootApp, type TestApp } from './support/app.js';
import { TEST_DATABASE_URL } from './support/env.js';
import { createOrg } from './support/factories.js';
import { startReceiver } from './support/receiver.js';
import { waitFor } from './support/wait.js';

let t: TestApp;
beforeAll(async () => {
  t = await bootApp();
});
afterAll(async () => t.close());

describe('migration-readiness digests', () => {
  it('the scheduler builds each period once, stores it, and delivers it signed to a local receiver', async () => {
    const receiver = await startReceiver();
    const { received } = receiver;
    try {
      const org = await createOrg(t);
      const hook = await t.http.post('/v1/webhooks').set(org.auth).send({ url: receiver.url, events: ['digest.created'] }).expect(201);
      await t.http.post('/v1/events').set(org.keyAuth).send({ id: randomBytes(6).toString('hex'), timestamp: new Date(Date.now() - 3_600_000).toISOString(), provider: 'openai', model: 'gpt-4o', workload: 'chat', usage: { inputTokens: 1000, outputTokens: 100 } }).expect(200);
      expect((await t.http.get('/v1/digests/schedule').set(org.keyAuth).expect(200)).body).toMatchObject({ cron: '0 8 * * 1', timezone: 'UTC', enabled: true });
      // Every 3 seconds, until two digests exist.
      await t.http.put('/v1/digests/schedule').set(org.auth).send({ cron: '*/3 * * * * *', timezone: 'Europe/Paris', enabled: true }).expect(200);
      const list = await waitFor(async () => {
        const r = await t.http.get('/v1/digests').set(org.keyAuth).expect(200);
        return r.body.data.length >= 2 ? r.body.data : null;
      }, 30_000);
      await t.http.put('/v1/digests/schedule').set(org.auth).send({ cron: '0 8 * * 1', timezone: 'Europe/Paris', enabled: false }).expect(200);
      const periods = list.map((d: { period: string }) => d.period);
      expect(new Set(periods).size).toBe(periods.length);

      // A scheduled slot is titled by the week it covers, in the org's time zone: "Week of 23 Nov 2026".
      for (const d of list) expect(d.title).toMatch(/^Week of \d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}$/);
      const one = await t.http.get(`/v1/digests/${list[0].id}`).set(org.keyAuth).expect(200);
      expect(one.body).toMatchObject({ title: list[0].title, spend: expect.any(Object), topActions: expect.any(Array), changes: expect.any(Object), forecast: expect.any(Array) });
      const md = await t.http.get(`/v1/digests/${list[0].id}`).set(org.keyAuth).set('accept', 'text/markdown').expect(200);
      expect(md.headers['content-type']).toMatch(/text\/markdown/);
      expect(md.text.split('\n')[0]).toBe(`# ${list[0].title}`);

      await waitFor(async () => received.length >= 2 || null, 20_000);
      for (const r of received) {
        expect(verifySignature(hook.body.secret, r.headers, Buffer.from(r.body))).toBeNull();
        expect(JSON.parse(r.body)).toMatchObject({ type: 'digest.created', data: { title: expect.stringMatching(/^Week of /), topActions: expect.any(Array) } });
      }
      const ids = received.map((r) => JSON.parse(r.body).data.digestId);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      await receiver.close();
    }
  });

  it('exactly one digest per org and period, even when built twice (replicas, retries)', async () => {
    const org = await createOrg(t);
    const { DigestsService } = await import('../src/digests/digests.service.js');
    const svc = t.app.get(DigestsService);
    const [a, b] = await Promise.all([svc.build(org.orgId, '2026-11-30T07:00:00.000Z'), svc.build(org.orgId, '2026-11-30T07:00:00.000Z')]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const db = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    try {
      const n = await db.query('SELECT count(*)::int AS n FROM digests WHERE org_id = $1', [org.orgId]);
      expect(n.rows[0].n).toBe(1);
    } finally {
      await db.end();
    }
    const now = await t.http.post('/v1/digests').set(org.auth).expect(201);
    expect(now.body.period).toMatch(/^manual-/);
    // The org's time zone is UTC: the day of the manual build's instant, as a person writes it.
    const at = new Date(now.body.period.slice('manual-'.length));
    const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    expect(now.body.title).toBe(`On demand, ${at.getUTCDate()} ${MONTHS[at.getUTCMonth()]} ${at.getUTCFullYear()}`);
    const other = await createOrg(t);
    await t.http.get(`/v1/digests/${now.body.id}`).set(other.keyAuth).expect(404);
    expect((await t.http.get('/v1/digests').set(other.keyAuth).expect(200)).body.data).toEqual([]);
    await t.http.put('/v1/digests/schedule').set(org.auth).send({ cron: 'not a cron', timezone: 'UTC', enabled: true }).expect(400);
  });

  it('the first digest says where the org stands; the next lists only verdict changes and moves over 10%, in every format', async () => {
    const receiver = await startReceiver();
    try {
      const org = await createOrg(t);
      await t.http.post('/v1/webhooks').set(org.auth).send({ url: receiver.url, events: ['digest.created'], format: 'slack' }).expect(201);
      // gpt-4o input: $2.50 per 1M tokens. Two hours ago, so the planner's 28-day window (whole hours) holds it.
      const at = new Date(Date.now() - 2 * 3_600_000).toISOString();
      const event = (workload: string, inputTokens: number) => ({ id: randomBytes(8).toString('hex'), timestamp: at, provider: 'openai', model: 'gpt-4o', workload, usage: { inputTokens, outputTokens: 0 } });
      // chat $2.50 and search $25.00 in the window: $2.72 and $27.18 a month (× 30.4375 / 28).
      await t.http.post('/v1/events').set(org.keyAuth).send({ events: [event('chat', 1_000_000), event('search', 10_000_000)] }).expect(200);
      const { DigestsService } = await import('../src/digests/digests.service.js');
      const svc = t.app.get(DigestsService);
      const first = await svc.build(org.orgId, '2026-11-30T07:00:00.000Z');
      expect(first).not.toBeNull();
      const one = (await t.http.get(`/v1/digests/${first!.id}?format=json`).set(org.keyAuth).expect(200)).body;
      expect(one.title).toBe('Week of 23 Nov 2026');
      expect(one.changes).toEqual({ first: true, count: 0, items: [], more: 0 });
      expect(one.standing).toMatchObject({ workloads: 2, verdicts: { stay_closed: 2 } });
      expect(one.standing.largest.map((w: { workload: string; monthlySpendUsd: string }) => [w.workload, w.monthlySpendUsd])).toEqual([
        ['search', '27.176339'],
        ['chat', '2.717634'],
      ]);
      const md1 = await t.http.get(`/v1/digests/${first!.id}?format=markdown`).set(org.keyAuth).expect(200);
      expect(md1.headers['content-type']).toMatch(/text\/markdown/);
      expect(md1.text).toContain('# Week of 23 Nov 2026\n');
      expect(md1.text).toContain('## Where you stand');
      expect(md1.text).toContain('- 2 workloads planned: 2 stay.');
      expect(md1.text).not.toContain('## What changed');

      // Since: chat doubles ($2.50 → $5.00, +100%), search grows 5% ($25.00 → $26.25), summaries is new.
      await t.http.post('/v1/events').set(org.keyAuth).send({ events: [event('chat', 1_000_000), event('search', 500_000), event('summaries', 1_000_000)] }).expect(200);
      const second = await svc.build(org.orgId, '2026-12-07T07:00:00.000Z');
      const two = (await t.http.get(`/v1/digests/${second!.id}`).set(org.keyAuth).expect(200)).body;
      expect(two.title).toBe('Week of 30 Nov 2026');
      expect(two.changes).toMatchObject({ first: false, count: 2, more: 0 });
      expect(two.changes.items.map((c: { workload: string; verdict: unknown; moves: unknown[] }) => [c.workload, c.verdict, c.moves])).toEqual([
        ['summaries', { from: null, to: 'stay_closed' }, []],
        ['chat', null, [{ metric: 'spend', from: '2.717634', to: '5.435268', changePercent: 100 }]],
      ]);
      const md2 = (await t.http.get(`/v1/digests/${second!.id}`).set(org.keyAuth).set('accept', 'text/markdown').expect(200)).text;
      expect(md2).toContain('## What changed');
      expect(md2).toContain(`- [summaries](${t.config.http.publicUrl}/app/#/workloads/summaries): new, stay`);
      expect(md2).toContain(`- [chat](${t.config.http.publicUrl}/app/#/workloads/chat): spend $2.72 → $5.44/month (+100%)`);
      expect(md2).not.toMatch(/search\]|gate/);

      const slack = (await t.http.get(`/v1/digests/${second!.id}?format=slack`).set(org.keyAuth).expect(200)).body;
      expect(slack.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Week of 30 Nov 2026' } });
      expect(slack.blocks.map((b: { type: string }) => b.type)).toEqual(['header', 'section', 'section', 'section', 'section', 'context']);
      expect(slack.blocks[3].text.text).toMatch(/^\*What changed\* \(2\)\n/);
      const bad = await t.http.get(`/v1/digests/${second!.id}?format=xml`).set(org.keyAuth).expect(400);
      expect(JSON.stringify(bad.body)).toContain('format');

      const list = (await t.http.get('/v1/digests').set(org.keyAuth).expect(200)).body.data;
      expect(list.map((d: { title: string }) => d.title)).toEqual(['Week of 30 Nov 2026', 'Week of 23 Nov 2026']);

      // The Slack webhook got each digest as blocks, unsigned.
      await waitFor(async () => receiver.received.length >= 2 || null, 20_000);
      const headers = receiver.received.map((r) => JSON.parse(r.body).blocks[0].text.text).sort();
      expect(headers).toEqual(['Week of 23 Nov 2026', 'Week of 30 Nov 2026']);
      for (const r of receiver.received) expect(r.headers['webhook-signature']).toBeUndefined();
    } finally {
      await receiver.close();
    }
  });

  it('the list is cursor-paginated newest first: every digest once, the last page with nextCursor null; a forged cursor is a 400', async () => {
    const org = await createOrg(t);
    const built: string[] = [];
    for (let i = 0; i < 3; i++) built.push((await t.http.post('/v1/digests').set(org.auth).expect(201)).body.id);
    const first = (await t.http.get('/v1/digests?limit=2').set(org.keyAuth).expect(200)).body;
    expect(first.data).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await t.http.get(`/v1/digests?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`).set(org.keyAuth).expect(200)).body;
    expect(second).toEqual({ data: [expect.objectContaining({ id: built[0] })], nextCursor: null });
    expect([...first.data, ...second.data].map((d: { id: string }) => d.id)).toEqual([...built].reverse());
    const forged = Buffer.from(JSON.stringify({ at: new Date().toISOString(), id: 'not-a-uuid' })).toString('base64url');
    await t.http.get(`/v1/digests?cursor=${forged}`).set(org.keyAuth).expect(400);
  });

  it("the week's anomalies and budgets near their limit are in the digest", async () => {
    const org = await createOrg(t);
    // A minute ago, but never before this month began (the budget is monthly).
    const monthStart = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1, 0, 0, 1));
    const at = new Date(Math.max(Date.now() - 60_000, monthStart.getTime()));
    await t.http.post('/v1/events').set(org.keyAuth).send({ events: [{ id: randomBytes(8).toString('hex'), timestamp: at.toISOString(), provider: 'openai', model: 'gpt-4o', workload: 'chat', usage: { inputTokens: 3_400_000, outputTokens: 0 } }] }).expect(200);
    // $8.50 of $10 this month: 85%, near.
    await t.http.post('/v1/budgets').set(org.auth).send({ name: 'OpenAI', scope: { provider: 'openai' }, limitUsd: '10', thresholds: [100] }).expect(201);
    const db = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    try {
      await db.query(
        `INSERT INTO anomalies (org_id, day, scope_kind, scope_value, observed_usd, expected_usd, lower_usd, upper_usd, direction, partial_day)
         VALUES ($1, $2::date, 'workload', 'chat', 812.4, 300, 250, 350, 'above', false)`,
        [org.orgId, new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)],
      );
    } finally {
      await db.end();
    }
    const d = (await t.http.post('/v1/digests').set(org.auth).expect(201)).body;
    expect(d.anomalies.items).toEqual([expect.objectContaining({ scopeKind: 'workload', scopeValue: 'chat', observedUsd: '812.4', lowerUsd: '250', upperUsd: '350', direction: 'above' })]);
    expect(d.budgets.items).toEqual([expect.objectContaining({ name: 'OpenAI', spentUsd: '8.5', limitUsd: '10', usedPercent: 85, status: 'near' })]);
    const md = (await t.http.get(`/v1/digests/${d.id}?format=markdown`).set(org.keyAuth).expect(200)).text;
    expect(md).toContain('## Anomalies and budgets');
    expect(md).toMatch(/- Anomaly: \d{1,2} [A-Z][a-z]{2}, workload chat: \$812\.40, expected \$250\.00–\$350\.00 \(above\)/);
    expect(md).toContain('- Budget OpenAI (monthly): $8.50 of $10.00, 85%');
  });
});
