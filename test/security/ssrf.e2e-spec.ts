import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { WebhooksService } from '../../src/webhooks/webhooks.service.js';
import { bootApp, type TestApp } from '../support/app.js';
import { TEST_DATABASE_URL } from '../support/env.js';
import { createOrg } from '../support/factories.js';
import { startReceiver } from '../support/receiver.js';
import { waitFor } from '../support/wait.js';

// This app has no exemption for 127.0.0.1 (the other suites allow their local receivers).
let t: TestApp;
beforeAll(async () => {
  t = await bootApp({ WEBHOOK_ALLOW_HOSTS: 'receivers.allowed.test' });
});
afterAll(async () => t.close());

describe('SSRF through webhooks', () => {
  it.each([
    'http://127.0.0.1:3999/ssrf',
    'http://10.0.0.7/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]:3000/',
    'http://[::ffff:127.0.0.1]/',
    'http://localhost:3000/',
    'http://100.64.0.1/',
  ])('registering %s is refused with a 400 naming the url field', async (url) => {
    const org = await createOrg(t);
    const res = await t.http.post('/v1/webhooks').set(org.auth).send({ url, events: ['digest.created'] }).expect(400);
    expect(JSON.stringify(res.body)).toMatch(/url/);
    expect((await t.http.get('/v1/webhooks').set(org.auth).expect(200)).body.data).toHaveLength(0);
  });

  it('a stored URL that points inside (created before the check, or re-resolved since) is refused at delivery: the receiver gets nothing', async () => {
    const receiver = await startReceiver();
    const org = await createOrg(t);
    const db = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    try {
      const id = randomUUID();
      await db.query(`insert into webhooks (org_id, id, url, events, secret) values ($1, $2, $3, $4, $5)`, [org.orgId, id, receiver.url, ['digest.created'], 'whsec_dGVzdA==']);
      await t.app.get(WebhooksService).emit(org.orgId, 'digest.created', `msg-${id}`, { probe: true });
      const delivery = await waitFor(async () => {
        const r = await t.http.get(`/v1/webhooks/${id}/deliveries`).set(org.auth).expect(200);
        return r.body.data.find((d: { lastError: string | null }) => d.lastError !== null);
      }, 20_000);
      expect(delivery.lastError).toMatch(/refused: url host 127\.0\.0\.1 is a private, loopback or reserved address/);
      expect(delivery.lastStatusCode).toBeNull();
      expect(receiver.received).toHaveLength(0);
    } finally {
      await db.end();
      await receiver.close();
    }
  });
});
