import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { CatalogService } from '../src/catalog/catalog.service.js';
import { bootApp, type TestApp } from './support/app.js';
import { TEST_DATABASE_URL } from './support/env.js';
import { createOrg, type TestOrg } from './support/factories.js';
import { waitFor } from './support/wait.js';

// Pricing parity with the invoice: token classes priced apart, service tiers at their sourced price, and the
// provider's own cost kept beside ours. The catalog rows are test-only models (unique ids per run) inserted
// as SQL, so the figures below do not move when the seeded catalog does. Rates are USD per 1M tokens.

let t: TestApp;
let db: pg.Client;
const run = randomBytes(4).toString('hex');
const GEMINI = `parity-gemini-audio-${run}`;
const CLAUDE = `parity-claude-1h-${run}`;
const GPT = `parity-gpt-${run}`;
const DAY = '2026-09-14';
const ts = (hh: string) => `${DAY}T${hh}:00:00Z`;
const uid = () => randomBytes(8).toString('hex');

async function insertPrice(provider: string, modelId: string, rates: Record<string, string>) {
  const cols = Object.keys(rates);
  await db.query(
    `INSERT INTO model_prices (id, provider, model_id, ${cols.join(', ')}, effective_from, source, note)
     VALUES (gen_random_uuid(), $1, $2, ${cols.map((_, i) => `$${i + 3}`).join(', ')}, '2026-01-01T00:00:00Z', 'test:pricing-parity', 'test-only model')`,
    [provider, modelId, ...Object.values(rates)],
  );
}

beforeAll(async () => {
  db = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
  t = await bootApp();
  await insertPrice('google', GEMINI, { input_per_mtok: '0.3', output_per_mtok: '2.5', cached_input_per_mtok: '0.075', input_audio_per_mtok: '1', cached_input_audio_per_mtok: '0.25' });
  await insertPrice('anthropic', CLAUDE, { input_per_mtok: '3', output_per_mtok: '15', cached_input_per_mtok: '0.3', cache_write_per_mtok: '3.75', cache_write_1h_per_mtok: '6' });
  await insertPrice('openai', GPT, { input_per_mtok: '2.5', output_per_mtok: '10', cached_input_per_mtok: '1.25' });
  // The catalog is read into memory at boot and every minute; read it now.
  await t.app.get(CatalogService).refresh();
});
afterAll(async () => {
  await t.close();
  await db.query(`DELETE FROM model_prices WHERE source = 'test:pricing-parity' AND model_id LIKE $1`, [`%-${run}`]);
  await db.end();
});

function post(org: TestOrg, events: unknown[]) {
  return t.http.post('/v1/events').set(org.keyAuth).send({ events });
}

async function event(org: TestOrg, id: string) {
  return (await t.http.get(`/v1/events/${id}`).set(org.keyAuth).expect(200)).body;
}

const geminiAudioBody = {
  candidates: [{ content: { parts: [{ text: 'Transcript summarised.' }], role: 'model' }, finishReason: 'STOP', index: 0 }],
  usageMetadata: {
    promptTokenCount: 12_000,
    candidatesTokenCount: 1_000,
    totalTokenCount: 13_000,
    promptTokensDetails: [
      { modality: 'TEXT', tokenCount: 8_000 },
      { modality: 'AUDIO', tokenCount: 4_000 },
    ],
    candidatesTokensDetails: [{ modality: 'TEXT', tokenCount: 1_000 }],
  },
};

const anthropic1hBody = {
  id: 'msg_01parity',
  type: 'message',
  role: 'assistant',
  content: [{ type: 'text', text: 'ok' }],
  usage: {
    input_tokens: 1_000,
    cache_creation_input_tokens: 10_000,
    cache_read_input_tokens: 0,
    cache_creation: { ephemeral_5m_input_tokens: 4_000, ephemeral_1h_input_tokens: 6_000 },
    output_tokens: 500,
    service_tier: 'standard',
  },
};

// 10,000 prompt tokens of which 4,000 cached, 1,000 completion: standard 6,000 × 2.5 + 4,000 × 1.25 + 1,000 × 10 = $0.03.
const gptUsage = { prompt_tokens: 10_000, completion_tokens: 1_000, total_tokens: 11_000, prompt_tokens_details: { cached_tokens: 4_000 } };

describe('token classes priced apart', () => {
  it('(a) Gemini AUDIO prompt tokens at the audio rate: 8,000 × $0.30 + 4,000 × $1.00 + 1,000 × $2.50 = $0.0089 (not $0.0061 as text)', async () => {
    const org = await createOrg(t);
    const id = `gem-${uid()}`;
    const res = await post(org, [{ id, timestamp: ts('09'), provider: 'google', model: GEMINI, workload: 'voice', usage: geminiAudioBody }]).expect(200);
    expect(res.body).toMatchObject({ accepted: 1, rejected: 0 });
    const e = await event(org, id);
    expect(e).toMatchObject({ modelId: GEMINI, costUsd: '0.0089', unpriced: false, serviceTier: 'default', usageFormat: 'gemini' });
    expect(e.usage).toMatchObject({ inputTokens: 12_000, outputTokens: 1_000, audioInputTokens: 4_000, imageInputTokens: 0, cachedAudioInputTokens: 0 });
  });

  it('(b) Anthropic 1-hour cache writes at the 1h rate: 1,000 × $3 + 4,000 × $3.75 + 6,000 × $6 + 500 × $15 = $0.0615', async () => {
    const org = await createOrg(t);
    const id = `ant-${uid()}`;
    await post(org, [{ id, timestamp: ts('09'), provider: 'anthropic', model: CLAUDE, workload: 'agent', usage: anthropic1hBody }]).expect(200);
    const e = await event(org, id);
    expect(e).toMatchObject({ modelId: CLAUDE, costUsd: '0.0615', serviceTier: 'default' });
    expect(e.usage).toMatchObject({ inputTokens: 11_000, cacheWriteTokens: 10_000, cacheWrite1hTokens: 6_000, outputTokens: 500 });
  });

  it('a TTL breakdown that does not add up to the total is rejected, naming the field', async () => {
    const org = await createOrg(t);
    const bad = { ...anthropic1hBody.usage, cache_creation: { ephemeral_5m_input_tokens: 4_000, ephemeral_1h_input_tokens: 5_000 } };
    const res = await post(org, [{ id: `ant-${uid()}`, timestamp: ts('09'), provider: 'anthropic', model: CLAUDE, workload: 'agent', usage: bad }]).expect(200);
    expect(res.body.rejected).toBe(1);
    expect(res.body.results[0].errors).toEqual([{ field: 'events[0].usage.cache_creation', message: expect.stringMatching(/must add up to cache_creation_input_tokens \(10000\)/) }]);
  });
});

describe('service tiers', () => {
  it('(c) batch at the sourced 50% ($0.0075 + $0.005 cached, not discounted + $0.005 = $0.0175); priority and unsourced flex at standard $0.03, flagged', async () => {
    const org = await createOrg(t);
    const batch = `batch-${uid()}`;
    const priority = `prio-${uid()}`;
    const flex = `flex-${uid()}`;
    const std = `std-${uid()}`;
    const res = await post(org, [
      { id: batch, timestamp: ts('10'), provider: 'openai', model: GPT, workload: 'nightly', serviceTier: 'batch', usage: gptUsage },
      // The tier the response body reports (OpenAI service_tier), when the event names none.
      { id: priority, timestamp: ts('10'), provider: 'openai', model: GPT, workload: 'chat', usage: { id: 'chatcmpl-1', object: 'chat.completion', service_tier: 'priority', usage: gptUsage } },
      { id: flex, timestamp: ts('10'), provider: 'openai', model: GPT, workload: 'chat', usage: { object: 'chat.completion', service_tier: 'flex', usage: gptUsage } },
      { id: std, timestamp: ts('10'), provider: 'openai', model: GPT, workload: 'chat', usage: { object: 'chat.completion', service_tier: 'default', usage: gptUsage } },
    ]).expect(200);
    expect(res.body).toMatchObject({ accepted: 4, rejected: 0 });

    const b = await event(org, batch);
    expect(b).toMatchObject({ serviceTier: 'batch', costUsd: '0.0175' });
    expect(b.serviceTierPricing).toEqual({ priced: true, discountFraction: '0.5', cachedInputDiscounted: false, source: 'openai_batch_faq', reason: null });

    const p = await event(org, priority);
    expect(p).toMatchObject({ serviceTier: 'priority', costUsd: '0.03' });
    expect(p.serviceTierPricing).toMatchObject({ priced: false, discountFraction: '0', source: null });
    expect(p.serviceTierPricing.reason).toMatch(/no sourced priority price for openai\/parity-gpt-.*: priced at standard rates/);

    const f = await event(org, flex);
    expect(f).toMatchObject({ serviceTier: 'flex', costUsd: '0.03' });
    expect(f.serviceTierPricing.priced).toBe(false);

    expect(await event(org, std)).toMatchObject({ serviceTier: 'default', costUsd: '0.03', serviceTierPricing: { priced: true, reason: null } });
  });

  it('an unknown tier is rejected naming the field: the event field and the provider value', async () => {
    const org = await createOrg(t);
    const res = await post(org, [
      { id: `x-${uid()}`, timestamp: ts('10'), provider: 'openai', model: GPT, workload: 'chat', serviceTier: 'turbo', usage: gptUsage },
      { id: `y-${uid()}`, timestamp: ts('10'), provider: 'openai', model: GPT, workload: 'chat', usage: { service_tier: 'turbo', usage: gptUsage } },
    ]).expect(200);
    expect(res.body.rejected).toBe(2);
    expect(res.body.results[0].errors).toEqual([{ field: 'events[0].serviceTier', message: 'must be one of default, batch, flex, priority' }]);
    expect(res.body.results[1].errors).toEqual([{ field: 'events[1].usage.service_tier', message: expect.stringMatching(/must be one of default, standard, auto, scale, batch, flex, priority/) }]);
  });
});

describe('the provider-reported cost and costBasis', () => {
  it('(d) providerCostUsd is kept with its source; costBasis=provider totals $0.025 + $0.0123 + $0.03 + $0.0175 = $0.0848 (computed: $0.1075)', async () => {
    const org = await createOrg(t);
    const caller = `caller-${uid()}`;
    const gateway = `gw-${uid()}`;
    const none = `none-${uid()}`;
    const batch = `batch-${uid()}`;
    const res = await post(org, [
      { id: caller, timestamp: ts('11'), provider: 'openai', model: GPT, workload: 'chat', usage: gptUsage, providerCostUsd: '0.025' },
      // OpenRouter reports what it charged in usage.cost: source gateway.
      { id: gateway, timestamp: ts('11'), provider: 'openai', model: GPT, workload: 'chat', usage: { ...gptUsage, cost: 0.0123, is_byok: false } },
      { id: none, timestamp: ts('12'), provider: 'openai', model: GPT, workload: 'chat', usage: gptUsage },
      { id: batch, timestamp: ts('12'), provider: 'openai', model: GPT, workload: 'nightly', serviceTier: 'batch', usage: gptUsage },
    ]).expect(200);
    expect(res.body).toMatchObject({ accepted: 4, rejected: 0 });

    expect(await event(org, caller)).toMatchObject({ costUsd: '0.03', providerCostUsd: '0.025', providerCostSource: 'caller', clientCostUsd: '0.025' });
    expect(await event(org, gateway)).toMatchObject({ costUsd: '0.03', providerCostUsd: '0.0123', providerCostSource: 'gateway' });
    expect(await event(org, none)).toMatchObject({ costUsd: '0.03', providerCostUsd: null, providerCostSource: null });

    const q = `from=${DAY}T00:00:00Z&to=2026-09-15T00:00:00Z&granularity=day`;
    const provider = await waitFor(async () => {
      const r = await t.http.get(`/v1/reports/spend?${q}&costBasis=provider`).set(org.keyAuth).expect(200);
      return r.body.totals.requests === 4 ? r.body : null;
    }, 30_000);
    expect(provider.costBasis).toBe('provider');
    expect(provider.totals.costUsd).toBe('0.0848');
    const computed = (await t.http.get(`/v1/reports/spend?${q}`).set(org.keyAuth).expect(200)).body;
    expect(computed).toMatchObject({ costBasis: 'computed', totals: { costUsd: '0.1075', requests: 4 } });

    const byTier = (await t.http.get(`/v1/reports/spend?${q}&costBasis=provider&groupBy=serviceTier`).set(org.keyAuth).expect(200)).body;
    expect(byTier.rows.map((r: { serviceTier: string; costUsd: string }) => [r.serviceTier, r.costUsd])).toEqual([
      ['default', '0.0673'],
      ['batch', '0.0175'],
    ]);
    const onlyBatch = (await t.http.get(`/v1/reports/spend?${q}&serviceTier=batch`).set(org.keyAuth).expect(200)).body;
    expect(onlyBatch.totals).toMatchObject({ costUsd: '0.0175', requests: 1 });

    const csv = await t.http.get(`/v1/reports/spend?${q}&costBasis=provider&format=csv`).set(org.keyAuth).expect(200);
    expect(csv.headers['x-cost-basis']).toBe('provider');
    const [header, ...lines] = csv.text.trim().split('\n');
    const costAt = header.split(',').indexOf('costUsd');
    expect(lines.map((l) => l.split(',')[costAt])).toEqual(['0.0848']);

    await t.http.get(`/v1/reports/spend?${q}&costBasis=invoice`).set(org.keyAuth).expect(400);
    await t.http.get(`/v1/reports/spend?${q}&serviceTier=cheap`).set(org.keyAuth).expect(400);
  });

  it('bad cost fields are rejected by name: both names at once, a source without a cost, a source that is not a slug, a negative cost', async () => {
    const org = await createOrg(t);
    const base = { timestamp: ts('11'), provider: 'openai', model: GPT, workload: 'chat', usage: gptUsage };
    const res = await post(org, [
      { ...base, id: `a-${uid()}`, providerCostUsd: '1', costUsd: '1' },
      { ...base, id: `b-${uid()}`, providerCostSource: 'gateway' },
      { ...base, id: `c-${uid()}`, providerCostUsd: '1', providerCostSource: 'Not A Slug!' },
      { ...base, id: `d-${uid()}`, providerCostUsd: '-1' },
      { ...base, id: `e-${uid()}`, usage: { ...gptUsage, cost: -0.5 } },
    ]).expect(200);
    expect(res.body.rejected).toBe(5);
    expect(res.body.results.map((r: { errors: { field: string }[] }) => r.errors.map((e) => e.field))).toEqual([
      ['events[0].costUsd'],
      ['events[1].providerCostSource'],
      ['events[2].providerCostSource'],
      ['events[3].providerCostUsd'],
      ['events[4].usage.cost'],
    ]);
  });

  it('the deprecated costUsd is still accepted as the provider cost (source caller)', async () => {
    const org = await createOrg(t);
    const id = `old-${uid()}`;
    await post(org, [{ id, timestamp: ts('11'), provider: 'openai', model: GPT, workload: 'chat', usage: gptUsage, costUsd: 0.02 }]).expect(200);
    expect(await event(org, id)).toMatchObject({ providerCostUsd: '0.02', providerCostSource: 'caller', costUsd: '0.03' });
  });
});

describe('re-pricing', () => {
  it('(e) keeps the classes and the tier: audio $0.0089, 1h writes $0.0615 and batch $0.0175 are recomputed to the same figures', async () => {
    const org = await createOrg(t);
    const ids = { gem: `gem-${uid()}`, ant: `ant-${uid()}`, batch: `batch-${uid()}` };
    await post(org, [
      { id: ids.gem, timestamp: ts('13'), provider: 'google', model: GEMINI, workload: 'voice', usage: geminiAudioBody },
      { id: ids.ant, timestamp: ts('13'), provider: 'anthropic', model: CLAUDE, workload: 'agent', usage: anthropic1hBody },
      { id: ids.batch, timestamp: ts('13'), provider: 'openai', model: GPT, workload: 'nightly', serviceTier: 'batch', usage: gptUsage },
    ]).expect(200);
    const window = { from: `${DAY}T00:00:00Z`, to: '2026-09-15T00:00:00Z' };
    const dry = await t.http.post('/v1/catalog/reprice').set(org.keyAuth).send({ ...window, dryRun: true }).expect(200);
    expect(dry.body.totals).toEqual({ currentCostUsd: '0.0879', newCostUsd: '0.0879', differenceUsd: '0' });
    expect(dry.body.models.map((m: { changedEvents: number }) => m.changedEvents)).toEqual([0, 0, 0]);

    const started = await t.http.post('/v1/catalog/reprice').set(org.keyAuth).send({ ...window, dryRun: false }).expect(200);
    const done = await waitFor(async () => {
      const s = (await t.http.get(`/v1/catalog/reprice/${started.body.id}`).set(org.keyAuth).expect(200)).body;
      return s.status === 'succeeded' || s.status === 'failed' ? s : null;
    });
    expect(done).toMatchObject({ status: 'succeeded', processed: 3, changed: 0 });
    expect((await event(org, ids.gem)).costUsd).toBe('0.0089');
    expect((await event(org, ids.ant)).costUsd).toBe('0.0615');
    expect((await event(org, ids.batch)).costUsd).toBe('0.0175');
  });
});

describe('tenancy', () => {
  it("another org's event is a 404, and its provider cost never reaches another org's report", async () => {
    const a = await createOrg(t);
    const b = await createOrg(t);
    const id = `a-${uid()}`;
    await post(a, [{ id, timestamp: ts('14'), provider: 'openai', model: GPT, workload: 'chat', usage: gptUsage, providerCostUsd: '5' }]).expect(200);
    await t.http.get(`/v1/events/${id}`).set(b.keyAuth).expect(404);
    const rep = await t.http.get(`/v1/reports/spend?from=${DAY}T00:00:00Z&to=2026-09-15T00:00:00Z&costBasis=provider`).set(b.keyAuth).expect(200);
    expect(rep.body.totals).toMatchObject({ costUsd: '0', requests: 0 });
  });
});
