// README "API conventions" that hold on every route: Idempotency-Key replays on creating POSTs,
// ETag / If-None-Match on reports. On the real app, PostgreSQL and Redis.
import { bootApp, type TestApp } from './support/app.js';
import { createOrg, type TestOrg } from './support/factories.js';
import { waitFor } from './support/wait.js';

let t: TestApp;
let org: TestOrg;

beforeAll(async () => {
  t = await bootApp();
  org = await createOrg(t, 'Conventions');
});
afterAll(async () => t?.close());

const budget = (name: string) => ({ name, limitUsd: '500', thresholds: [80, 100] });
const budgetNames = async (o: TestOrg) => ((await t.http.get('/v1/budgets').set(o.auth).expect(200)).body.data as { name: string }[]).map((b) => b.name);

describe('Idempotency-Key on creating POSTs', () => {
  it('replays the first answer for a retry with the same key and body, creating one budget', async () => {
    const first = await t.http.post('/v1/budgets').set(org.auth).set('Idempotency-Key', 'retry-1').send(budget('Retried')).expect(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await t.http.post('/v1/budgets').set(org.auth).set('Idempotency-Key', 'retry-1').send(budget('Retried')).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await budgetNames(org)).filter((n) => n === 'Retried')).toHaveLength(1);
    // Without a key, the same body creates another one: the key is what makes a retry a retry.
    await t.http.post('/v1/budgets').set(org.auth).send(budget('Retried')).expect(201);
    expect((await budgetNames(org)).filter((n) => n === 'Retried')).toHaveLength(2);
  });

  it('refuses the same key with another body (422), and keys are per organisation', async () => {
    await t.http.post('/v1/budgets').set(org.auth).set('Idempotency-Key', 'k-2').send(budget('First body')).expect(201);
    const reused = await t.http.post('/v1/budgets').set(org.auth).set('Idempotency-Key', 'k-2').send(budget('Second body')).expect(422);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
    expect(await budgetNames(org)).not.toContain('Second body');

    const other = await createOrg(t, 'Other');
    const theirs = await t.http.post('/v1/budgets').set(other.auth).set('Idempotency-Key', 'k-2').send(budget('First body')).expect(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(await budgetNames(other)).toEqual(['First body']);
  });

  it('creates exactly one resource when 20 requests with one key race', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => t.http.post('/v1/budgets').set(org.auth).set('Idempotency-Key', 'race-1').send(budget('Raced'))),
    );
    const created = answers.filter((r) => r.status === 201);
    const inProgress = answers.filter((r) => r.status === 409);
    expect(created.length + inProgress.length).toBe(20);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    for (const r of inProgress) {
      expect(r.body.error.code).toBe('idempotency_in_progress');
      expect(r.headers['retry-after']).toBe('1');
    }
    expect((await budgetNames(org)).filter((n) => n === 'Raced')).toHaveLength(1);
  });

  it('keeps nothing for a failed request, so a corrected retry with the same key runs', async () => {
    const bad = await t.http.post('/v1/budgets').set(org.auth).set('Idempotency-Key', 'fix-1').send({ ...budget('Fixed'), limitUsd: '-5' }).expect(400);
    expect(bad.body.error.details[0].field).toBe('limitUsd');
    await t.http.post('/v1/budgets').set(org.auth).set('Idempotency-Key', 'fix-1').send(budget('Fixed')).expect(201);
    expect(await budgetNames(org)).toContain('Fixed');
  });

  it('refuses a key that is not 1-255 printable ASCII characters, naming the header', async () => {
    const res = await t.http.post('/v1/budgets').set(org.auth).set('Idempotency-Key', 'x'.repeat(256)).send(budget('Too long key')).expect(400);
    expect(res.body.error.details).toEqual([{ field: 'Idempotency-Key', message: 'must be 1-255 printable ASCII characters' }]);
    expect(await budgetNames(org)).not.toContain('Too long key');
  });
});

describe('ETag on reports', () => {
  it('answers 304 with no body while the report is unchanged, and a new ETag once usage changes it', async () => {
    const o = await createOrg(t, 'ETags');
    const event = (id: string) => ({
      id,
      timestamp: new Date(Date.now() - 3_600_000).toISOString(),
      provider: 'openai',
      model: 'gpt-4o',
      workload: 'support-chat',
      usage: { input_tokens: 1000, output_tokens: 200 },
    });
    // A fixed window: a default one ends "now", so its answer (which names its window) changes every time.
    const day = 86_400_000;
    const url = `/v1/reports/spend?groupBy=workload&from=${new Date(Date.now() - 2 * day).toISOString()}&to=${new Date(Date.now() + day).toISOString()}`;
    await t.http.post('/v1/events').set(o.keyAuth).send(event('etag-1')).expect(200);
    const first = await waitFor(async () => {
      const r = await t.http.get(url).set(o.auth).expect(200);
      return r.body.rows?.length ? r : null;
    });
    const tag = first.headers.etag;
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    // Per caller: shared caches must not keep it, and a client revalidates before reusing it.
    expect(first.headers['cache-control']).toBe('private, no-cache');
    expect(first.headers.vary).toMatch(/authorization/);

    const unchanged = await t.http.get(url).set(o.auth).set('If-None-Match', tag).expect(304);
    expect(unchanged.text).toBe('');
    expect(unchanged.headers.etag).toBe(tag);
    // A weak form of the same tag, or a list holding it, matches too; another tag does not.
    await t.http.get(url).set(o.auth).set('If-None-Match', `"other", W/${tag}`).expect(304);
    await t.http.get(url).set(o.auth).set('If-None-Match', '"other"').expect(200);
    // CSV is another representation with its own tag.
    const csv = await t.http.get(url).set(o.auth).set('Accept', 'text/csv').expect(200);
    expect(csv.headers.etag).not.toBe(tag);

    await t.http.post('/v1/events').set(o.keyAuth).send(event('etag-2')).expect(200);
    const changed = await waitFor(async () => {
      const r = await t.http.get(url).set(o.auth).set('If-None-Match', tag);
      return r.status === 200 ? r : null;
    });
    expect(changed.headers.etag).not.toBe(tag);
    expect(changed.body.totals.requests).toBe(2);
  });
});
