import { bootApp, type TestApp } from '../support/app.js';
import { createOrg, type TestOrg } from '../support/factories.js';
import { fillPath, loadOpenApi, opKey, operationsOf, seededParam, seededPathValue, seedResources, type Operation, type SeededResources } from '../support/fuzz.js';

/**
 * Another org's id is a 404, never a 403 that confirms it exists, and never a
 * change to the other org's data. Every operation of the OpenAPI document
 * whose path has a `{param}` must have an entry below: a new route without one
 * fails this file until someone states how it is checked.
 */

interface TenantRoute {
  kind: 'tenant';
  /** Body org B sends (valid, so only the tenant check can refuse it). */
  body?: (a: SeededResources) => unknown;
  /** Runs in org A before org B's attempt (for example, to give a key a signing secret B then tries to clear). */
  prepare?: (ctx: Ctx) => Promise<void>;
  /** Asserts, as org A, that its resource is as it was: for every operation that writes. */
  unchanged?: (ctx: Ctx) => Promise<void>;
}
interface GlobalRoute {
  kind: 'global';
  /** Why the parameter names shared (not tenant) data. */
  reason: string;
}
interface Ctx {
  t: TestApp;
  a: TestOrg;
  seeded: SeededResources;
}

const stillListed = (path: string, id: (s: SeededResources) => string) => async ({ t, a, seeded }: Ctx) => {
  const res = await t.http.get(path).set(a.auth).expect(200);
  const rows = (res.body.data ?? res.body) as { id: string }[];
  expect(rows.map((r) => r.id)).toContain(id(seeded));
};
const keyStillWorks = async ({ t, seeded }: Ctx) => {
  await t.http.get('/v1/budgets').set(seeded.apiKeyAuth).expect(200);
};

const ROUTES: Record<string, TenantRoute | GlobalRoute> = {
  'DELETE /v1/members/invitations/{id}': { kind: 'tenant', unchanged: stillListed('/v1/members/invitations', (s) => s.invitationId) },
  'PATCH /v1/members/{id}': {
    kind: 'tenant',
    body: () => ({ role: 'owner' }),
    unchanged: async ({ t, a, seeded }) => {
      const res = await t.http.get('/v1/members').set(a.auth).expect(200);
      expect((res.body.data as { id: string; role: string }[]).find((m) => m.id === seeded.memberId)?.role).toBe('viewer');
    },
  },
  'DELETE /v1/members/{id}': { kind: 'tenant', unchanged: stillListed('/v1/members', (s) => s.memberId) },
  'PUT /v1/api-keys/{id}/signing-secret': { kind: 'tenant', unchanged: keyStillWorks },
  'DELETE /v1/api-keys/{id}/signing-secret': {
    kind: 'tenant',
    prepare: async ({ t, a, seeded }) => {
      await t.http.put(`/v1/api-keys/${seeded.apiKeyId}/signing-secret`).set(a.auth).expect(200);
    },
    // The secret B tried to clear still guards the key: an unsigned ingest request with it is refused.
    unchanged: async ({ t, seeded }) => {
      const event = { id: 'unsigned', timestamp: new Date(Date.now() - 60_000).toISOString(), provider: 'openai', model: 'gpt-4o', workload: 'w', usage: { inputTokens: 1, outputTokens: 1 } };
      await t.http.post('/v1/events').set(seeded.apiKeyAuth).send(event).expect(401);
    },
  },
  'DELETE /v1/api-keys/{id}': { kind: 'tenant', unchanged: keyStillWorks },
  'GET /v1/events/{id}': { kind: 'tenant' },
  'GET /v1/catalog/models/{id}/prices': { kind: 'global', reason: 'the public price catalog, the same for every org (custom prices live under /v1/catalog/overrides)' },
  'DELETE /v1/catalog/overrides/{id}': { kind: 'tenant', unchanged: stillListed('/v1/catalog/overrides', (s) => s.overrideId) },
  'GET /v1/catalog/reprice/{id}': { kind: 'tenant' },
  'GET /v1/budgets/{id}': { kind: 'tenant' },
  'PATCH /v1/budgets/{id}': {
    kind: 'tenant',
    body: () => ({ name: 'hijacked', monthlyLimitUsd: '1' }),
    unchanged: async ({ t, a, seeded }) => {
      const res = await t.http.get(`/v1/budgets/${seeded.budgetId}`).set(a.auth).expect(200);
      expect(res.body).toMatchObject({ name: 'Seeded' });
    },
  },
  'DELETE /v1/budgets/{id}': { kind: 'tenant', unchanged: async ({ t, a, seeded }) => void (await t.http.get(`/v1/budgets/${seeded.budgetId}`).set(a.auth).expect(200)) },
  'DELETE /v1/webhooks/{id}': { kind: 'tenant', unchanged: stillListed('/v1/webhooks', (s) => s.webhookId) },
  'GET /v1/webhooks/{id}/deliveries': { kind: 'tenant' },
  'GET /v1/workloads/{slug}/economics': { kind: 'tenant' },
  'GET /v1/workloads/{slug}': { kind: 'tenant' },
  'PATCH /v1/workloads/{slug}': {
    kind: 'tenant',
    body: () => ({ description: 'hijacked', taskCategory: 'chat' }),
    unchanged: async ({ t, a, seeded }) => {
      const res = await t.http.get(`/v1/workloads/${seeded.workload}`).set(a.auth).expect(200);
      expect(JSON.stringify(res.body)).not.toContain('hijacked');
    },
  },
  'POST /v1/workloads/{slug}/evaluations': {
    kind: 'tenant',
    body: () => ({ candidateModel: 'hijack-model', baselineModel: 'gpt-4o', sampleSize: 10, metrics: { candidate: { accuracy: 1 }, baseline: { accuracy: 0 } } }),
    unchanged: async ({ t, a, seeded }) => {
      const res = await t.http.get(`/v1/workloads/${seeded.workload}/evaluations`).set(a.auth).expect(200);
      expect((res.body.data as { id: string }[]).map((e) => e.id)).toEqual([seeded.evaluationId]);
    },
  },
  'GET /v1/workloads/{slug}/evaluations': { kind: 'tenant' },
  'GET /v1/workloads/{slug}/plan': { kind: 'tenant' },
  'GET /v1/digests/{id}': { kind: 'tenant' },
  'GET /v1/connectors/{id}': { kind: 'tenant' },
  'DELETE /v1/connectors/{id}': { kind: 'tenant', unchanged: stillListed('/v1/connectors', (s) => s.connectorId) },
  'POST /v1/connectors/{id}/sync': {
    kind: 'tenant',
    body: () => ({ from: '2026-11-01', to: '2026-11-02' }),
    unchanged: async ({ t, a, seeded }) => {
      // Only the run the seed started: B's sync started none.
      const res = await t.http.get(`/v1/connectors/${seeded.connectorId}/runs`).set(a.auth).expect(200);
      expect((res.body.data as { id: string }[]).map((r) => r.id)).toEqual([seeded.connectorRunId]);
    },
  },
  'GET /v1/connectors/{id}/runs': { kind: 'tenant' },
  'GET /v1/connectors/{id}/runs/{runId}': { kind: 'tenant' },
};

let t: TestApp;
let paramOps: Operation[] = [];
beforeAll(async () => {
  t = await bootApp();
  paramOps = operationsOf(await loadOpenApi(t)).filter((o) => o.path.includes('{'));
});
afterAll(async () => t.close());

async function call(o: Operation, who: TestOrg, seeded: SeededResources, body?: unknown) {
  const url = fillPath(o.path, (name) => encodeURIComponent(seededPathValue(o.path, name, seeded)!));
  const req = t.http[o.method as 'get' | 'post' | 'put' | 'patch' | 'delete'](url).set(who.auth);
  return body === undefined ? req : req.send(body as object);
}

describe('cross-tenant: org B reaching org A\'s resources by id', () => {
  it('every operation with a path parameter in the OpenAPI document has an entry in the table, and every entry is still a route', () => {
    expect(paramOps.length).toBeGreaterThan(0);
    const keys = paramOps.map(opKey);
    expect(keys.filter((k) => !ROUTES[k])).toEqual([]);
    expect(Object.keys(ROUTES).filter((k) => !keys.includes(k))).toEqual([]);
  });

  it('every tenant route answers 404 to org B (not 403, 200 or 500), and org A\'s resource is unchanged', async () => {
    const outcomes: { op: string; status: number; body: unknown }[] = [];
    // B only ever fails, so one B serves every route. A is fresh for each writing route, so one route's
    // write can never mask another's; the reads share one A (fewer orgs in the run's database).
    const b = await createOrg(t, 'Tenant B');
    let readA: { a: TestOrg; seeded: SeededResources } | null = null;
    for (const o of paramOps) {
      const route = ROUTES[opKey(o)];
      if (!route || route.kind !== 'tenant') continue;
      const writes = o.method !== 'get';
      let a: TestOrg;
      let seeded: SeededResources;
      if (!writes && readA) ({ a, seeded } = readA);
      else {
        a = await createOrg(t, 'Tenant A');
        seeded = await seedResources(t, a);
        if (!writes) readA = { a, seeded };
      }
      const ctx = { t, a, seeded };
      await route.prepare?.(ctx);
      expect(seededParam(o.path, seeded)).toBeDefined();
      const res = await call(o, b, seeded, route.body?.(seeded));
      outcomes.push({ op: opKey(o), status: res.status, body: res.status === 404 ? undefined : res.body });
      if (writes) {
        expect([opKey(o), route.unchanged ? 'checked' : 'no check for a write']).toEqual([opKey(o), 'checked']);
      }
      await route.unchanged?.(ctx);
      // The owner's own call succeeds, so the 404 above came from the tenant boundary, not from a broken route.
      const own = await call(o, a, seeded, route.body?.(seeded));
      expect([opKey(o), own.status < 300]).toEqual([opKey(o), true]);
    }
    expect(outcomes.filter((x) => x.status !== 404)).toEqual([]);
  }, 300_000);

  it('global routes answer org B exactly as they answer org A (no tenant data behind them)', async () => {
    const a = await createOrg(t, 'Tenant A');
    const b = await createOrg(t, 'Tenant B');
    const seeded = await seedResources(t, a);
    for (const o of paramOps) {
      const route = ROUTES[opKey(o)];
      if (!route || route.kind !== 'global') continue;
      const asA = await call(o, a, seeded);
      const asB = await call(o, b, seeded);
      expect(asA.status).toBe(200);
      expect([asB.status, asB.body]).toEqual([asA.status, asA.body]);
    }
  }, 120_000);
});
