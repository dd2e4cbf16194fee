import { randomBytes } from 'node:crypto';
import { signPayload } from '../src/common/standard-webhooks.js';
import { bootApp, type TestApp } from './support/app.js';
import { createKey, createOrg, type TestOrg } from './support/factories.js';

let t: TestApp;
beforeAll(async () => {
  t = await bootApp();
});
afterAll(async () => t.close());

const uid = () => randomBytes(8).toString('hex');
const ts = '2026-06-01T12:00:00Z';

function ev(over: Record<string, unknown> = {}) {
  return { id: `ev-${uid()}`, timestamp: ts, provider: 'openai', model: 'gpt-4o', workload: 'support-chat', usage: { inputTokens: 1000, outputTokens: 100 }, ...over };
}

const NO_CLASSES = { cacheWrite1hTokens: 0, audioInputTokens: 0, imageInputTokens: 0, videoInputTokens: 0, cachedAudioInputTokens: 0, audioOutputTokens: 0 };

function post(org: TestOrg, body: unknown, auth = org.keyAuth) {
  return t.http.post('/v1/events').set(auth).send(body as object);
}

describe('input shapes, each priced exactly with the price in force', () => {
  // Worked by hand from the catalog's list prices (USD per 1M tokens).
  it.each([
    [
      'OpenAI chat completions body: gpt-4o-2024-08-06, 1,200 prompt (1,024 cached) + 300 completion = 176×2.5 + 1,024×1.25 + 300×10 = $0.00472',
      { provider: 'openai', model: 'gpt-4o-2024-08-06', usage: { prompt_tokens: 1200, completion_tokens: 300, total_tokens: 1500, prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } } },
      { modelId: 'gpt-4o', cost: '0.00472', usage: { inputTokens: 1200, outputTokens: 300, cachedInputTokens: 1024, cacheWriteTokens: 0, reasoningTokens: 0 } },
    ],
    [
      'OpenAI responses body: o3-2025-04-16, 1,000 in + 500 out (300 reasoning) = 1,000×2 + 500×8 = $0.006',
      { provider: 'openai', model: 'o3-2025-04-16', usage: { input_tokens: 1000, input_tokens_details: { cached_tokens: 0 }, output_tokens: 500, output_tokens_details: { reasoning_tokens: 300 }, total_tokens: 1500 } },
      { modelId: 'o3', cost: '0.006', usage: { inputTokens: 1000, outputTokens: 500, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 300 } },
    ],
    [
      'Anthropic body: claude-sonnet-4-5-20250929, 100 in + 2,000 cache read + 500 cache write + 400 out = 100×3 + 2,000×0.3 + 500×3.75 + 400×15 = $0.008775',
      { provider: 'anthropic', model: 'claude-sonnet-4-5-20250929', usage: { input_tokens: 100, cache_creation_input_tokens: 500, cache_read_input_tokens: 2000, output_tokens: 400, service_tier: 'standard' } },
      { modelId: 'claude-sonnet-4.5', cost: '0.008775', usage: { inputTokens: 2600, outputTokens: 400, cachedInputTokens: 2000, cacheWriteTokens: 500, reasoningTokens: 0 } },
    ],
    [
      'Gemini usageMetadata: gemini-2.5-pro, 1,000 prompt (200 cached) + 100 candidates + 50 thoughts = 800×1.25 + 200×0.125 + 150×10 = $0.002525',
      { provider: 'google', model: 'gemini-2.5-pro', usage: { promptTokenCount: 1000, cachedContentTokenCount: 200, candidatesTokenCount: 100, thoughtsTokenCount: 50, totalTokenCount: 1150 } },
      { modelId: 'gemini-2.5-pro', cost: '0.002525', usage: { inputTokens: 1000, outputTokens: 150, cachedInputTokens: 200, cacheWriteTokens: 0, reasoningTokens: 50 } },
    ],
    [
      'canonical shape: claude-sonnet-4.5 above 200k input is billed whole at the long-context tier: 250,000×6 + 1,000×22.5 = $1.5225',
      { provider: 'anthropic', model: 'claude-sonnet-4.5', usage: { inputTokens: 250000, outputTokens: 1000 } },
      { modelId: 'claude-sonnet-4.5', cost: '1.5225', usage: { inputTokens: 250000, outputTokens: 1000, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 } },
    ],
  ])('%s', async (_name, fields, expected) => {
    const org = await createOrg(t);
    const e = ev(fields);
    const res = await post(org, { events: [e] }).expect(200);
    expect(res.body).toMatchObject({ accepted: 1, duplicates: 0, conflicts: 0, rejected: 0 });
    const got = await t.http.get(`/v1/events/${e.id}`).set(org.keyAuth).expect(200);
    expect(got.body.modelId).toBe(expected.modelId);
    expect(got.body.costUsd).toBe(expected.cost);
    expect(got.body.unpriced).toBe(false);
    expect(got.body.priceVersionId).toBeTruthy();
    // Classes priced apart that these bodies do not report read back as 0.
    expect(got.body.usage).toEqual({ ...NO_CLASSES, ...expected.usage });
    expect(got.body).toMatchObject({ serviceTier: 'default', providerCostUsd: null, providerCostSource: null });
  });

  it('a single event object (no envelope) is accepted too, and the client cost is kept beside ours', async () => {
    const org = await createOrg(t);
    const e = ev({ costUsd: '99' });
    const res = await post(org, e).expect(200);
    expect(res.body.results).toEqual([{ index: 0, id: e.id, status: 'accepted' }]);
    const got = await t.http.get(`/v1/events/${e.id}`).set(org.keyAuth).expect(200);
    expect(got.body.clientCostUsd).toBe('99');
    // costUsd is the deprecated name of providerCostUsd; its source defaults to the caller.
    expect(got.body).toMatchObject({ providerCostUsd: '99', providerCostSource: 'caller' });
    expect(got.body.costUsd).toBe('0.0035'); // 1,000×2.5 + 100×10 per 1M
  });
});

describe('unpriced usage and org prices', () => {
  it('a model without a price is unpriced (null, never $0), listed, and priced after a custom price and a re-pricing run', async () => {
    const org = await createOrg(t);
    const e = ev({ provider: 'self-hosted', model: 'acme-llama-ft', usage: { inputTokens: 2000, outputTokens: 1000 } });
    await post(org, { events: [e] }).expect(200);
    const got = await t.http.get(`/v1/events/${e.id}`).set(org.keyAuth).expect(200);
    expect(got.body).toMatchObject({ unpriced: true, costUsd: null, priceVersionId: null });
    const unpriced = await t.http.get('/v1/catalog/unpriced').set(org.keyAuth).expect(200);
    expect(unpriced.body.data).toEqual([expect.objectContaining({ model: 'acme-llama-ft', events: 1, inputTokens: '2000' })]);

    await t.http.post('/v1/catalog/overrides').set(org.keyAuth)
      .send({ kind: 'custom', provider: 'self-hosted', modelId: 'acme-llama-ft', inputPerMTok: '0.2', outputPerMTok: '0.6', effectiveFrom: '2026-01-01T00:00:00Z' })
      .expect(201);
    const other = ev({ model: 'gpt-4o' });
    await post(org, { events: [other] }).expect(200);
    const dry = await t.http.post('/v1/catalog/reprice').set(org.keyAuth).send({ from: '2026-05-01T00:00:00Z', to: '2026-07-01T00:00:00Z', dryRun: true, model: 'acme-llama-ft' }).expect(200);
    // 2,000×0.2 + 1,000×0.6 per 1M = $0.001
    expect(dry.body.models).toEqual([expect.objectContaining({ modelId: 'acme-llama-ft', newlyPriced: 1, currentCostUsd: '0', newCostUsd: '0.001', differenceUsd: '0.001' })]);
    expect((await t.http.get(`/v1/events/${e.id}`).set(org.keyAuth)).body.unpriced).toBe(true); // dry run wrote nothing

    // Without the model filter the run walks both events; with it, only the one.
    const all = await t.http.post('/v1/catalog/reprice').set(org.keyAuth).send({ from: '2026-05-01T00:00:00Z', to: '2026-07-01T00:00:00Z', dryRun: true }).expect(200);
    expect(all.body.models.map((m: { modelId: string }) => m.modelId)).toEqual(['acme-llama-ft', 'gpt-4o']);
    const run = await t.http.post('/v1/catalog/reprice').set(org.keyAuth).send({ from: '2026-05-01T00:00:00Z', to: '2026-07-01T00:00:00Z', dryRun: false, model: 'acme-llama-ft' }).expect(200);
    expect(run.body).toMatchObject({ status: 'queued', total: 1, model: 'acme-llama-ft' });
    let status = run.body;
    for (let i = 0; i < 100 && status.status !== 'succeeded' && status.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await t.http.get(`/v1/catalog/reprice/${run.body.id}`).set(org.keyAuth).expect(200)).body;
    }
    expect(status).toMatchObject({ status: 'succeeded', processed: 1, changed: 1, progress: 1 });
    const after = await t.http.get(`/v1/events/${e.id}`).set(org.keyAuth).expect(200);
    expect(after.body).toMatchObject({ unpriced: false, costUsd: '0.001' });
  });

  it('a provider discount applies from its effective date: 20% off OpenAI from 2026-06-01, not the millisecond before', async () => {
    const org = await createOrg(t);
    await t.http.post('/v1/catalog/overrides').set(org.keyAuth).send({ kind: 'discount', provider: 'openai', percent: '20', effectiveFrom: '2026-06-01T00:00:00Z' }).expect(201);
    const before = ev({ timestamp: '2026-05-31T23:59:59.999Z' });
    const at = ev({ timestamp: '2026-06-01T00:00:00.000Z' });
    await post(org, { events: [before, at] }).expect(200);
    expect((await t.http.get(`/v1/events/${before.id}`).set(org.keyAuth)).body.costUsd).toBe('0.0035');
    expect((await t.http.get(`/v1/events/${at.id}`).set(org.keyAuth)).body.costUsd).toBe('0.0028');
  });

  it('the catalog lists the seeded models with sources and their price versions', async () => {
    const org = await createOrg(t);
    const models = await t.http.get('/v1/catalog/models?provider=anthropic').set(org.keyAuth).expect(200);
    const sonnet = models.body.data.find((m: { id: string }) => m.id === 'claude-sonnet-4.5');
    expect(sonnet.currentPrice).toMatchObject({ inputPerMTok: '3', outputPerMTok: '15', cachedInputPerMTok: '0.3', cacheWritePerMTok: '3.75' });
    // The genai-prices package wins over the reference file where both price a model (see the catalog seed).
    expect(sonnet.currentPrice.source).toMatch(/^genai-prices@\d+\.\d+\.\d+$/);
    expect(sonnet.currentPrice.tiers).toEqual([expect.objectContaining({ aboveInputTokens: 200000, inputPerMTok: '6', outputPerMTok: '22.5' })]);
    await t.http.get('/v1/catalog/models/gpt-4o/prices').set(org.keyAuth).expect(200);
    await t.http.get('/v1/catalog/models/nope/prices').set(org.keyAuth).expect(404);
    const managed = await t.http.get('/v1/catalog/models?kind=managed_open').set(org.keyAuth).expect(200);
    expect(managed.body.data.length).toBeGreaterThan(10);
    const gpus = await t.http.get('/v1/catalog/gpus').set(org.keyAuth).expect(200);
    expect(gpus.body.data.map((g: { id: string }) => g.id)).toEqual(expect.arrayContaining(['H100-80GB-SXM', 'L4-24GB']));
    const open = await t.http.get('/v1/catalog/open-models').set(org.keyAuth).expect(200);
    expect(open.body.data.map((m: { id: string }) => m.id)).toEqual(expect.arrayContaining(['llama-3.3-70b-instruct', 'bert-base-uncased', 'bloom-176b']));
  });
});

describe('exactly once', () => {
  it('same id + same content = duplicate; same id + other content = conflict, and the first stays', async () => {
    const org = await createOrg(t);
    const e = ev();
    await post(org, { events: [e] }).expect(200);
    const again = await post(org, { events: [{ ...e }, { ...e, usage: { inputTokens: 5, outputTokens: 5 } }] }).expect(200);
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 1, conflicts: 1 });
    expect(again.body.results.map((r: { status: string }) => r.status)).toEqual(['duplicate', 'conflict']);
    const got = await t.http.get(`/v1/events/${e.id}`).set(org.keyAuth).expect(200);
    expect(got.body.usage.inputTokens).toBe(1000);
  });

  it('key order does not make a conflict; the same id twice in one batch is a duplicate of the first', async () => {
    const org = await createOrg(t);
    const e = ev();
    const reordered = Object.fromEntries(Object.entries(e).reverse());
    const res = await post(org, { events: [e, reordered] }).expect(200);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'duplicate']);
  });

  it('100 concurrent posts of one id store exactly one row', async () => {
    const org = await createOrg(t);
    const e = ev();
    const responses = await Promise.all(Array.from({ length: 100 }, () => post(org, { events: [e] })));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    const statuses = responses.map((r) => r.body.results[0].status);
    expect(statuses.filter((s) => s === 'accepted')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(99);
    const list = await t.http.get('/v1/events?limit=500').set(org.keyAuth).expect(200);
    expect(list.body.data).toHaveLength(1);
  });
});

describe('bad input: 4xx naming fields, nothing partial, nothing valid lost', () => {
  it('each bad event is rejected with its fields while the good ones are stored', async () => {
    const org = await createOrg(t);
    const good = ev();
    const bad = [
      ev({ usage: { inputTokens: -5, outputTokens: 1 } }),
      ev({ usage: { prompt_tokens: '12', completion_tokens: 3 } }),
      ev({ usage: { inputTokens: 1e15, outputTokens: 1 } }),
      { timestamp: ts, provider: 'openai', usage: { inputTokens: 1 } },
      ev({ colour: 'blue' }),
      ev({ timestamp: new Date(Date.now() + 3_600_000).toISOString() }),
      ev({ timestamp: 'yesterday', requests: 0, status: 'maybe', workload: 'Not A Slug' }),
      'not an object',
    ];
    const res = await post(org, { events: [good, ...bad] }).expect(200);
    expect(res.body).toMatchObject({ accepted: 1, rejected: bad.length });
    const fields = (i: number) => res.body.results[i].errors.map((e: { field: string }) => e.field);
    expect(fields(1)).toContain('events[1].usage.inputTokens');
    expect(fields(2)).toContain('events[2].usage.prompt_tokens');
    expect(fields(3)).toContain('events[3].usage.inputTokens');
    expect(fields(4)).toEqual(expect.arrayContaining(['events[4].id', 'events[4].model', 'events[4].workload']));
    expect(fields(5)).toEqual(['events[5].colour']);
    expect(fields(6)).toEqual(['events[6].timestamp']);
    expect(fields(7)).toEqual(expect.arrayContaining(['events[7].timestamp', 'events[7].requests', 'events[7].status', 'events[7].workload']));
    expect(fields(8)).toEqual(['events[8]']);
    const list = await t.http.get('/v1/events').set(org.keyAuth).expect(200);
    expect(list.body.data.map((e: { id: string }) => e.id)).toEqual([good.id]);
  });

  it('2,001 events is a 400 naming `events` and stores nothing; so is a non-array', async () => {
    const org = await createOrg(t);
    const many = Array.from({ length: 2001 }, () => ev());
    const res = await post(org, { events: many }).expect(400);
    expect(res.body.error.details).toEqual([{ field: 'events', message: expect.stringMatching(/1 to 1000/) }]);
    await post(org, { events: 'nope' }).expect(400);
    await post(org, { events: [ev()], extra: true }).expect(400);
    await post(org, []).expect(400);
    const list = await t.http.get('/v1/events').set(org.keyAuth).expect(200);
    expect(list.body.data).toHaveLength(0);
  });

  it('a 3 MB body is 413 before it is parsed', async () => {
    const org = await createOrg(t);
    const body = JSON.stringify({ events: [ev({ tags: { pad: 'x'.repeat(3 * 1024 * 1024) } })] });
    const res = await t.http.post('/v1/events').set(org.keyAuth).set('content-type', 'application/json').send(body).expect(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('malformed JSON is 400 in the error shape', async () => {
    const org = await createOrg(t);
    const res = await t.http.post('/v1/events').set(org.keyAuth).set('content-type', 'application/json').send('{"events": [').expect(400);
    expect(res.body.error.requestId).toBeTruthy();
  });
});

describe('reading back', () => {
  it('lists newest first with filters and a cursor that walks every event once', async () => {
    const org = await createOrg(t);
    const events = Array.from({ length: 25 }, (_, i) => ev({ timestamp: new Date(Date.UTC(2026, 4, 1, 0, i)).toISOString(), workload: i % 2 ? 'odd' : 'even' }));
    await post(org, { events }).expect(200);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: { id: string; timestamp: string }[]; nextCursor: string | null } } = await t.http
        .get(`/v1/events?limit=10${cursor ? `&cursor=${cursor}` : ''}`)
        .set(org.keyAuth)
        .expect(200);
      seen.push(...page.body.data.map((e) => e.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(events.map((e) => e.id).reverse());
    const odd = await t.http.get('/v1/events?workload=odd&from=2026-05-01T00:05:00Z&to=2026-05-01T00:15:00Z').set(org.keyAuth).expect(200);
    expect(odd.body.data).toHaveLength(5);
    // By model, as sent or as its catalog id (this filter answered 500 until the fuzz pass found it).
    const other = ev({ timestamp: new Date(Date.UTC(2026, 4, 1, 1, 0)).toISOString(), model: 'claude-sonnet-4-5', provider: 'anthropic' });
    await post(org, { events: [other] }).expect(200);
    const byModel = await t.http.get('/v1/events?model=claude-sonnet-4-5').set(org.keyAuth).expect(200);
    expect(byModel.body.data.map((e: { id: string }) => e.id)).toEqual([other.id]);
    expect((await t.http.get(`/v1/events?model=${events[0].model}&limit=500`).set(org.keyAuth).expect(200)).body.data).toHaveLength(25);
    await t.http.get('/v1/events?cursor=%%%').set(org.keyAuth).expect(400);
    await t.http.get('/v1/events?from=notadate').set(org.keyAuth).expect(400);
  });
});

describe('scopes and tenants', () => {
  it('a read key cannot post; an ingest key can post but not read', async () => {
    const org = await createOrg(t);
    const read = await createKey(t, org, ['read']);
    const ingest = await createKey(t, org, ['ingest']);
    await post(org, { events: [ev()] }, read.auth).expect(403);
    await post(org, { events: [ev()] }, ingest.auth).expect(200);
    await t.http.get('/v1/events').set(ingest.auth).expect(403);
    await t.http.get('/v1/catalog/models').set(ingest.auth).expect(403);
    await t.http.post('/v1/catalog/overrides').set(read.auth).send({}).expect(403);
  });

  it("org B never sees org A's events, prices or runs (404 by id, empty lists)", async () => {
    const a = await createOrg(t, 'A');
    const b = await createOrg(t, 'B');
    const e = ev({ provider: 'self-hosted', model: 'secret-model' });
    await post(a, { events: [e] }).expect(200);
    const o = await t.http.post('/v1/catalog/overrides').set(a.keyAuth).send({ kind: 'discount', provider: 'openai', percent: '10', effectiveFrom: '2026-01-01T00:00:00Z' }).expect(201);
    const run = await t.http.post('/v1/catalog/reprice').set(a.keyAuth).send({ from: '2026-01-01T00:00:00Z', to: '2026-12-01T00:00:00Z', dryRun: false }).expect(200);
    await t.http.get(`/v1/events/${e.id}`).set(b.keyAuth).expect(404);
    await t.http.delete(`/v1/catalog/overrides/${o.body.id}`).set(b.keyAuth).expect(404);
    await t.http.get(`/v1/catalog/reprice/${run.body.id}`).set(b.keyAuth).expect(404);
    for (const path of ['/v1/events', '/v1/catalog/unpriced', '/v1/catalog/overrides']) {
      const res = await t.http.get(path).set(b.keyAuth).expect(200);
      expect(res.body.data).toEqual([]);
    }
    // The same client id in another org is that org's own event.
    const res = await post(b, { events: [e] }).expect(200);
    expect(res.body.accepted).toBe(1);
  });

  it('a project-scoped key files events under its project and refuses another', async () => {
    const org = await createOrg(t);
    const key = await createKey(t, org, ['ingest'], { projectSlug: 'checkout' });
    const e = ev();
    await post(org, { events: [e] }, key.auth).expect(200);
    expect((await t.http.get(`/v1/events/${e.id}`).set(org.keyAuth)).body.project).toBe('checkout');
    const other = await post(org, { events: [ev({ project: 'search' })] }, key.auth).expect(200);
    expect(other.body.results[0].errors[0].field).toBe('events[0].project');
  });
});

describe('Standard Webhooks signatures (per key)', () => {
  it('once a key has a signing secret: unsigned → 401, signed → 200, stale timestamp (replay) → 401, tampered body → 401', async () => {
    const org = await createOrg(t);
    const key = await createKey(t, org, ['ingest']);
    const { body: s } = await t.http.put(`/v1/api-keys/${key.id}/signing-secret`).set(org.auth).expect(200);
    expect(s.signingSecret).toMatch(/^whsec_/);
    const body = JSON.stringify({ events: [ev()] });
    const send = (headers: Record<string, string>, payload = body) =>
      t.http.post('/v1/events').set(key.auth).set('content-type', 'application/json').set(headers).send(payload);
    const now = Math.floor(Date.now() / 1000);
    const sign = (id: string, when: number, payload = body) => ({ 'webhook-id': id, 'webhook-timestamp': String(when), 'webhook-signature': `v1,${signPayload(s.signingSecret, id, when, payload)}` });

    expect((await send({})).status).toBe(401);
    const ok = await send(sign('msg_1', now));
    expect(ok.status).toBe(200);
    expect(ok.body.accepted).toBe(1);
    const stale = await send(sign('msg_2', now - 600));
    expect(stale.status).toBe(401);
    expect(stale.body.error.message).toMatch(/5 minutes/);
    const tampered = await send(sign('msg_3', now), body.replace('support-chat', 'other-chat'));
    expect(tampered.status).toBe(401);
    await t.http.delete(`/v1/api-keys/${key.id}/signing-secret`).set(org.auth).expect(204);
    expect((await send({})).status).toBe(200);
  });
});

describe('attribution: the customer and end user of a call', () => {
  it('stores customer and endUser as sent and reads them back; a re-send is a duplicate, a changed customer a conflict', async () => {
    const org = await createOrg(t);
    const e = ev({ customer: 'Acme Corp (EU)', endUser: 'u_8f3a2c' });
    await post(org, { events: [e] }).expect(200);
    const got = (await t.http.get(`/v1/events/${e.id}`).set(org.keyAuth).expect(200)).body;
    expect(got).toMatchObject({ customer: 'Acme Corp (EU)', endUser: 'u_8f3a2c' });
    expect((await post(org, { events: [e] }).expect(200)).body).toMatchObject({ accepted: 0, duplicates: 1 });
    expect((await post(org, { events: [{ ...e, customer: 'Globex' }] }).expect(200)).body).toMatchObject({ accepted: 0, conflicts: 1 });
    const plain = ev();
    await post(org, { events: [plain] }).expect(200);
    expect((await t.http.get(`/v1/events/${plain.id}`).set(org.keyAuth).expect(200)).body).toMatchObject({ customer: null, endUser: null });
    const listed = (await t.http.get('/v1/events?customer=Acme%20Corp%20(EU)').set(org.keyAuth).expect(200)).body.data;
    expect(listed.map((x: { id: string }) => x.id)).toEqual([e.id]);
    expect((await t.http.get('/v1/events?endUser=u_8f3a2c').set(org.keyAuth).expect(200)).body.data).toHaveLength(1);
  });

  it("takes the end user from a logged request's OpenAI user / safety_identifier or Anthropic metadata.user_id, the event's endUser first", async () => {
    const org = await createOrg(t);
    const openai = ev({ usage: { prompt_tokens: 10, completion_tokens: 5, user: 'user-123' } });
    const safety = ev({ usage: { input_tokens: 10, output_tokens: 5, safety_identifier: 'hashed-9' } });
    const anthropic = ev({ provider: 'anthropic', model: 'claude-sonnet-4.5', usage: { input_tokens: 10, output_tokens: 5, metadata: { user_id: 'acct-7' } } });
    const explicit = ev({ endUser: 'given', usage: { prompt_tokens: 10, completion_tokens: 5, user: 'ignored' } });
    expect((await post(org, { events: [openai, safety, anthropic, explicit] }).expect(200)).body).toMatchObject({ accepted: 4 });
    const endUser = async (id: string) => (await t.http.get(`/v1/events/${id}`).set(org.keyAuth).expect(200)).body.endUser;
    expect(await endUser(openai.id)).toBe('user-123');
    expect(await endUser(safety.id)).toBe('hashed-9');
    expect(await endUser(anthropic.id)).toBe('acct-7');
    expect(await endUser(explicit.id)).toBe('given');
  });

  it('refuses, by name and alone, a customer or end user that is not a string, too long, or the reserved "(other)"', async () => {
    const org = await createOrg(t);
    const good = ev({ customer: 'c'.repeat(256) });
    const res = await post(org, {
      events: [
        good,
        ev({ customer: 42 }),
        ev({ customer: 'c'.repeat(257) }),
        ev({ customer: '(other)' }),
        ev({ endUser: '' }),
        ev({ usage: { prompt_tokens: 1, completion_tokens: 1, user: { id: 1 } } }),
      ],
    }).expect(200);
    expect(res.body).toMatchObject({ accepted: 1, rejected: 5 });
    expect(res.body.results.slice(1).map((r: { errors: { field: string; message: string }[] }) => r.errors[0])).toEqual([
      { field: 'events[1].customer', message: 'must be a string' },
      { field: 'events[2].customer', message: 'must be 1 to 256 characters' },
      { field: 'events[3].customer', message: '"(other)" is reserved for the customers beyond the rollups\' cap' },
      { field: 'events[4].endUser', message: 'must be 1 to 256 characters' },
      { field: 'events[5].usage.user', message: 'must be a string' },
    ]);
  });
});
