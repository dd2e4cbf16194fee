import { signPayload } from '../../src/common/standard-webhooks.js';
import { bootApp, type TestApp } from '../support/app.js';
import { createKey, createOrg } from '../support/factories.js';

/**
 * "The signing-secret requirement of a key is enforced only on ingest routes": a key that must sign its
 * requests could read every report unsigned. Now the auth guard checks the signature on every route.
 */
let t: TestApp;
beforeAll(async () => {
  t = await bootApp();
});
afterAll(async () => t.close());

describe('Keys that sign their requests', () => {
  it('a read+ingest key with a signing secret is refused unsigned on read routes too, and works signed (empty body)', async () => {
    const org = await createOrg(t);
    const key = await createKey(t, org, ['ingest', 'read']);
    await t.http.get('/v1/reports/spend').set(key.auth).expect(200);
    const { body: s } = await t.http.put(`/v1/api-keys/${key.id}/signing-secret`).set(org.auth).expect(200);

    const unsigned = await t.http.get('/v1/reports/spend').set(key.auth).expect(401);
    expect(unsigned.body.error.message).toMatch(/signature|webhook-/i);
    await t.http.get('/v1/reports/summary').set(key.auth).expect(401);

    const now = Math.floor(Date.now() / 1000);
    const signed = { 'webhook-id': 'msg_read_1', 'webhook-timestamp': String(now), 'webhook-signature': `v1,${signPayload(s.signingSecret, 'msg_read_1', now, '')}` };
    await t.http.get('/v1/reports/spend').set(key.auth).set(signed).expect(200);
    // A signature made for another body (or another key's secret) does not open the route.
    const wrong = { ...signed, 'webhook-signature': `v1,${signPayload(s.signingSecret, 'msg_read_1', now, '{}')}` };
    await t.http.get('/v1/reports/spend').set(key.auth).set(wrong).expect(401);
  });
});
