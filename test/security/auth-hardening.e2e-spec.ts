import { redactUrl } from '../../src/bootstrap.js';
import { bootApp, type TestApp } from '../support/app.js';
import { createOrg } from '../support/factories.js';

describe('credentials and client addresses', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootApp({ RATE_LIMIT_IP_PER_MINUTE: '8' });
  });
  afterAll(async () => t.close());

  it('an API key in ?access_token= is refused with a 401 saying to use the Authorization header', async () => {
    const org = await createOrg(t);
    const res = await t.http.get(`/v1/members?access_token=${org.adminKey}`).expect(401);
    expect(res.body.error.message).toMatch(/Credentials in the URL are refused/);
    const body = await t.http.post('/v1/events').send({ access_token: org.adminKey, events: [] }).expect(401);
    expect(body.body.error.message).toMatch(/Credentials in the body are refused/);
  });

  it('failed authentication counts against the per-IP limit, and X-Forwarded-For does not reset it (no trusted proxy by default)', async () => {
    // Each request claims another client address; without TRUST_PROXY the socket address is the client.
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await t.http.get('/v1/members').set('authorization', 'Bearer cx_live_not-a-key').set('x-forwarded-for', `203.0.113.${i}`);
      statuses.push(r.status);
    }
    // The limit is 8 per minute per IP; the earlier test of this suite spent 2 of them.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(6);
    expect(statuses.slice(-4)).toEqual([429, 429, 429, 429]);
  });

  it('logged URLs carry no credentials', () => {
    expect(redactUrl('/v1/members?access_token=cx_live_abc&limit=5')).toBe('/v1/members?access_token=[redacted]&limit=5');
    expect(redactUrl('/v1/x?limit=5&api_key=k1#frag')).toBe('/v1/x?limit=5&api_key=[redacted]#frag');
    expect(redactUrl('/v1/events')).toBe('/v1/events');
  });
});

describe('TRUST_PROXY', () => {
  it('with the proxy trusted, each forwarded client has its own per-IP budget', async () => {
    const t = await bootApp({ RATE_LIMIT_IP_PER_MINUTE: '2', TRUST_PROXY: '127.0.0.1,::1,::ffff:127.0.0.1' });
    try {
      for (const client of ['198.51.100.1', '198.51.100.2']) {
        for (let i = 0; i < 2; i++) await t.http.get('/v1/members').set('x-forwarded-for', client).expect(401);
        await t.http.get('/v1/members').set('x-forwarded-for', client).expect(429);
      }
    } finally {
      await t.close();
    }
  });
});
