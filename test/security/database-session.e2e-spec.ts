import { randomBytes } from 'node:crypto';
import { PrismaService } from '../../src/infra/prisma/prisma.service.js';
import { bootApp, type TestApp } from '../support/app.js';
import { TEST_DATABASE_URL } from '../support/env.js';
import { createOrg } from '../support/factories.js';
import { waitFor } from '../support/wait.js';

// A database whose sessions default to Asia/Kolkata (UTC+05:30), as a misconfigured server or role would.
const kolkata = new URL(TEST_DATABASE_URL);
kolkata.searchParams.set('options', '-c TimeZone=Asia/Kolkata');

let t: TestApp;
beforeAll(async () => {
  t = await bootApp({ DATABASE_URL: kolkata.toString(), DATABASE_STATEMENT_TIMEOUT_MS: '5000' });
});
afterAll(async () => t.close());

describe('database sessions', () => {
  it('hour buckets are UTC hours whatever the session time zone: an event at hh:15Z lands in the hh:00Z bucket, not in (hh-1):30Z', async () => {
    const org = await createOrg(t);
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 3_600_000;
    await t.http
      .post('/v1/events')
      .set(org.keyAuth)
      .send({ id: randomBytes(6).toString('hex'), timestamp: new Date(hour + 15 * 60_000).toISOString(), provider: 'openai', model: 'gpt-4o', workload: 'chat', usage: { inputTokens: 1000, outputTokens: 100 } })
      .expect(200);
    const q = `from=${new Date(hour - 3_600_000).toISOString()}&to=${new Date(hour + 2 * 3_600_000).toISOString()}&granularity=hour`;
    const rows = await waitFor(async () => {
      const r = await t.http.get(`/v1/reports/spend?${q}`).set(org.keyAuth).expect(200);
      return r.body.rows.length ? r.body.rows : null;
    }, 20_000);
    expect(rows.map((r: { period: string }) => r.period)).toEqual([new Date(hour).toISOString()]);
  });

  it('a statement running past DATABASE_STATEMENT_TIMEOUT_MS is cancelled and frees its connection', async () => {
    const prisma = t.app.get(PrismaService);
    await expect(prisma.$queryRawUnsafe('SELECT pg_sleep(10)::text')).rejects.toThrow(/statement timeout/);
    expect(await prisma.$queryRawUnsafe<{ ok: number }[]>('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });
});
