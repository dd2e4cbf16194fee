import pg from 'pg';
import { bootApp, type TestApp } from './support/app.js';
import { TEST_DATABASE_URL } from './support/env.js';
import { createKey, createMember, createOrg } from './support/factories.js';

let t: TestApp;
beforeAll(async () => {
  t = await bootApp();
});
afterAll(async () => {
  await t.close();
});

describe('signup and login', () => {
  it('signup returns the org, the owner, a JWT and an admin key shown once', async () => {
    const res = await t.http.post('/v1/signup').send({ orgName: 'Acme', email: 'Boss@Acme.test', password: 'long enough password' }).expect(201);
    expect(res.body.org).toMatchObject({ name: 'Acme', timezone: 'UTC' });
    expect(res.body.user).toMatchObject({ email: 'boss@acme.test', role: 'owner' });
    expect(res.body.accessToken.split('.')).toHaveLength(3);
    expect(res.body.apiKey.key).toMatch(/^cx_live_[0-9A-Za-z]{32}$/);
    expect(res.body.apiKey.scopes).toEqual(['admin']);
    const list = await t.http.get('/v1/api-keys').set({ Authorization: `Bearer ${res.body.accessToken}` }).expect(200);
    expect(JSON.stringify(list.body)).not.toContain(res.body.apiKey.key);
    expect(list.body.data[0].prefix).toBe(res.body.apiKey.key.slice(0, 14));
  });

  it('signup with bad fields is 400 naming each field', async () => {
    const bad = await t.http.post('/v1/signup').send({ orgName: '', email: 'not-an-email', password: 'short', extra: 1 }).expect(400);
    const fields = bad.body.error.details.map((d: { field: string }) => d.field).sort();
    expect(fields).toEqual(['email', 'extra', 'orgName', 'password']);
    expect(bad.body.error.requestId).toBeTruthy();
    expect(bad.headers['x-request-id']).toBe(bad.body.error.requestId);
  });

  it('login gives a token that works; wrong password and unknown email give the same 401', async () => {
    const org = await createOrg(t);
    const ok = await t.http.post('/v1/login').send({ email: org.email.toUpperCase(), password: org.password }).expect(200);
    await t.http.get('/v1/members').set({ Authorization: `Bearer ${ok.body.accessToken}` }).expect(200);
    const wrong = await t.http.post('/v1/login').send({ email: org.email, password: 'wrong password!' }).expect(401);
    const unknown = await t.http.post('/v1/login').send({ email: 'nobody@example.test', password: 'wrong password!' }).expect(401);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  it('repeated failed logins for one email are throttled with 429 and Retry-After', async () => {
    const org = await createOrg(t);
    for (let i = 0; i < t.config.auth.loginMaxFailures; i++) {
      await t.http.post('/v1/login').send({ email: org.email, password: 'wrong password!' }).expect(401);
    }
    const res = await t.http.post('/v1/login').send({ email: org.email, password: org.password }).expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.body.error.code).toBe('rate_limited');
  });
});

describe('API keys', () => {
  it('create, list with last-used time, revoke: refused on the very next request', async () => {
    const org = await createOrg(t);
    const key = await createKey(t, org, ['read', 'admin']);
    await t.http.get('/v1/api-keys').set(key.auth).expect(200);
    const listed = await t.http.get('/v1/api-keys').set(org.auth).expect(200);
    const row = listed.body.data.find((k: { id: string }) => k.id === key.id);
    expect(row.scopes).toEqual(['admin', 'read']);
    expect(row.lastUsedAt).not.toBeNull();
    expect(row).not.toHaveProperty('key');
    await t.http.delete(`/v1/api-keys/${key.id}`).set(org.auth).expect(204);
    const after = await t.http.get('/v1/api-keys').set(key.auth).expect(401);
    expect(after.body.error.code).toBe('unauthenticated');
    const withRevoked = await t.http.get('/v1/api-keys?includeRevoked=true').set(org.auth).expect(200);
    expect(withRevoked.body.data.find((k: { id: string }) => k.id === key.id).revokedAt).not.toBeNull();
  });

  it('rejects unknown scopes and bad project slugs naming the field', async () => {
    const org = await createOrg(t);
    const res = await t.http.post('/v1/api-keys').set(org.auth).send({ name: 'x', scopes: ['ingest', 'root'], projectSlug: 'Bad Slug' }).expect(400);
    const fields = res.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['scopes', 'projectSlug']));
  });

  it('a project-scoped key creates its project on first use', async () => {
    const org = await createOrg(t);
    const res = await t.http.post('/v1/api-keys').set(org.auth).send({ name: 'x', scopes: ['ingest'], projectSlug: 'checkout' }).expect(201);
    expect(res.body.projectId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('garbage and missing credentials are 401 in the error shape', async () => {
    for (const h of [{}, { Authorization: 'Bearer cx_live_notakey' }, { Authorization: 'Bearer a.b.c' }]) {
      const res = await t.http.get('/v1/api-keys').set(h).expect(401);
      expect(res.body.error).toMatchObject({ code: 'unauthenticated' });
    }
  });
});

describe('roles and scopes', () => {
  // Every route of this issue with the permission it needs.
  const routes: { method: 'get' | 'post' | 'patch' | 'delete'; path: string; needs: string }[] = [
    { method: 'get', path: '/v1/api-keys', needs: 'admin' },
    { method: 'post', path: '/v1/api-keys', needs: 'admin' },
    { method: 'delete', path: '/v1/api-keys/00000000-0000-4000-8000-000000000000', needs: 'admin' },
    { method: 'get', path: '/v1/members', needs: 'admin' },
    { method: 'post', path: '/v1/members', needs: 'admin' },
    { method: 'patch', path: '/v1/members/00000000-0000-4000-8000-000000000000', needs: 'admin' },
    { method: 'delete', path: '/v1/members/00000000-0000-4000-8000-000000000000', needs: 'admin' },
  ];

  it.each(['viewer', 'finance', 'engineer'])('a %s user gets 403 on every admin route', async (role) => {
    const org = await createOrg(t);
    const member = await createMember(t, org, role);
    for (const r of routes) {
      const res = await t.http[r.method](r.path).set(member.auth).send({});
      expect([r.path, res.status]).toEqual([r.path, 403]);
      expect(res.body.error.message).toContain(`"${r.needs}"`);
    }
  });

  it.each([['ingest'], ['read']])('a key with scope %s gets 403 on every admin route', async (scope) => {
    const org = await createOrg(t);
    const key = await createKey(t, org, [scope]);
    for (const r of routes) {
      const res = await t.http[r.method](r.path).set(key.auth).send({});
      expect([r.path, res.status]).toEqual([r.path, 403]);
    }
  });
});

describe('members', () => {
  it('invite, accept, list, change role, remove; the new member signs in with the password they chose', async () => {
    const org = await createOrg(t);
    const m = await createMember(t, org, 'viewer');
    await t.http.post('/v1/login').send({ email: m.email, password: m.password }).expect(200);
    const list = await t.http.get('/v1/members').set(org.auth).expect(200);
    expect(list.body.data.map((x: { email: string }) => x.email)).toEqual(expect.arrayContaining([org.email, m.email]));
    const up = await t.http.patch(`/v1/members/${m.id}`).set(org.auth).send({ role: 'engineer' }).expect(200);
    expect(up.body.role).toBe('engineer');
    await t.http.get('/v1/members?cursor=not-a-cursor').set(org.auth).expect(400);
    const paged = await t.http.get('/v1/members?limit=1').set(org.auth).expect(200);
    expect(paged.body.data).toHaveLength(1);
    const next = await t.http.get(`/v1/members?limit=1&cursor=${paged.body.nextCursor}`).set(org.auth).expect(200);
    expect(next.body.data[0].id).not.toBe(paged.body.data[0].id);
    await t.http.delete(`/v1/members/${m.id}`).set(org.auth).expect(204);
    // Removal applies to the member's existing token at once.
    await t.http.get('/v1/members').set(m.auth).expect(401);
  });

  it('an admin cannot grant owner; the last owner cannot be demoted; duplicates are 409', async () => {
    const org = await createOrg(t);
    const admin = await createMember(t, org, 'admin');
    const res = await t.http.post('/v1/members').set(admin.auth).send({ email: 'x-owner@example.test', role: 'owner' }).expect(403);
    expect(res.body.error.message).toMatch(/owner/);
    const me = (await t.http.get('/v1/members').set(org.auth)).body.data.find((x: { email: string }) => x.email === org.email);
    await t.http.patch(`/v1/members/${me.id}`).set(org.auth).send({ role: 'admin' }).expect(409);
    await t.http.post('/v1/members').set(org.auth).send({ email: admin.email, role: 'viewer' }).expect(409);
  });

  it('an existing user joins a second org by accepting its invitation with their own password, and chooses it at login', async () => {
    const a = await createOrg(t, 'A');
    const b = await createOrg(t, 'B');
    const invited = await t.http.post('/v1/members').set(b.auth).send({ email: a.email, role: 'viewer' }).expect(201);
    // Not a member until the account's owner accepts.
    await t.http.post('/v1/login').send({ email: a.email, password: a.password, orgId: b.orgId }).expect(401);
    await t.http.post('/v1/invitations/accept').send({ token: invited.body.token, password: a.password }).expect(200);
    const login = await t.http.post('/v1/login').send({ email: a.email, password: a.password, orgId: b.orgId }).expect(200);
    expect(login.body.orgId).toBe(b.orgId);
    expect(login.body.role).toBe('viewer');
    expect(login.body.organizations).toHaveLength(2);
  });
});

describe('tenant isolation', () => {
  it("org B's credentials get 404 on every org A id route, and nothing of A in any body", async () => {
    const a = await createOrg(t, 'A');
    const b = await createOrg(t, 'B');
    const aKey = await createKey(t, a, ['read']);
    const aMember = await createMember(t, a, 'viewer');
    const targets = [
      ['delete', `/v1/api-keys/${aKey.id}`, {}],
      ['patch', `/v1/members/${aMember.id}`, { role: 'admin' }],
      ['delete', `/v1/members/${aMember.id}`, {}],
    ] as const;
    for (const auth of [b.auth, b.keyAuth]) {
      for (const [method, path, body] of targets) {
        const res = await t.http[method](path).set(auth).send(body);
        expect([path, res.status]).toEqual([path, 404]);
        expect(JSON.stringify(res.body)).not.toContain(a.orgId);
      }
      for (const path of ['/v1/api-keys', '/v1/members']) {
        const res = await t.http.get(path).set(auth).expect(200);
        const text = JSON.stringify(res.body);
        expect(text).not.toContain(aKey.id);
        expect(text).not.toContain(aMember.email);
        expect(text).not.toContain(a.email);
      }
    }
    // A's key still works: B's attempts changed nothing.
    await t.http.get('/v1/members').set(aMember.auth).expect(403);
    await t.http.get('/v1/api-keys').set(aKey.auth).expect(403);
  });

  it('a query through the app role without app.org_id set sees no tenant rows (RLS)', async () => {
    await createOrg(t);
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      const total = await client.query('SELECT count(*)::int AS n FROM organizations');
      expect(total.rows[0].n).toBeGreaterThan(0);
      await client.query('SET ROLE crossover_app');
      for (const table of ['organizations', 'users', 'memberships', 'api_keys', 'projects', 'workloads']) {
        const res = await client.query(`SELECT count(*)::int AS n FROM ${table}`);
        expect([table, res.rows[0].n]).toEqual([table, 0]);
      }
      // And with another org set, only that org's rows.
      const other = await createOrg(t);
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.org_id', $1, true)`, [other.orgId]);
      const orgs = await client.query('SELECT id FROM organizations');
      expect(orgs.rows.map((r) => r.id)).toEqual([other.orgId]);
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
  });
});

describe('platform', () => {
  it('liveness and readiness (Postgres and Redis up)', async () => {
    await t.http.get('/health').expect(200, { status: 'ok' });
    const ready = await t.http.get('/health/ready').expect(200);
    expect(ready.body.details).toMatchObject({ postgres: { status: 'up' }, redis: { status: 'up' } });
  });

  it('serves OpenAPI generated from the DTOs at /docs/json', async () => {
    const res = await t.http.get('/docs/json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.paths['/v1/api-keys'].post).toBeDefined();
    expect(res.body.components.schemas.CreateApiKeyDto.properties.scopes).toBeDefined();
  });

  it('unknown routes are 404 in the error shape with a request id', async () => {
    const res = await t.http.get('/v1/nope').set({ 'x-request-id': 'req-test-123' }).expect(404);
    expect(res.body.error).toMatchObject({ code: 'not_found', requestId: 'req-test-123' });
  });

  it('the queue path works end to end: a system/ping job is processed by the worker', async () => {
    const { QueueService } = await import('../src/infra/queue/queue.service.js');
    const q = t.app.get(QueueService);
    const { QueueEvents } = await import('bullmq');
    // Listening before the job exists: a finish published while the listener was still connecting is never seen.
    const events = new QueueEvents('system', { prefix: t.config.redis.prefix, connection: { url: t.config.redis.url } });
    await events.waitUntilReady();
    const job = await q.enqueue('system', 'ping', { orgId: 'test', at: 'now' }, { jobId: `ping-${Date.now()}` });
    try {
      await expect(job.waitUntilFinished(events, 30_000)).resolves.toEqual({ pong: 'now', orgId: 'test' });
    } finally {
      await events.close();
    }
  });
});
