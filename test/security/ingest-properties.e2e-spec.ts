import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { bootApp, type TestApp } from '../support/app.js';
import { createKey, createOrg } from '../support/factories.js';
import { isStorableText } from '../../src/common/formats.js';
import { hasErrorShape } from '../support/fuzz.js';

/**
 * Property-based tests of ingest against the real app. The seed is fixed so
 * that CI runs are reproducible and a failure can be replayed; fast-check
 * prints the seed and counterexample path of a failure. To explore with a
 * random seed locally:
 *   FC_SEED=$RANDOM node --experimental-vm-modules node_modules/jest/bin/jest.js test/security/ingest-properties.e2e-spec.ts --selectProjects e2e
 */
const SEED = Number(process.env.FC_SEED ?? 20_261_201);
const params = (numRuns: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns, endOnFailure: true, verbose: 1 });

let t: TestApp;
let ingestAuth: { Authorization: string };
beforeAll(async () => {
  // Hundreds of requests in seconds; the rate limiter has its own suite (test/rate-limit).
  t = await bootApp({ RATE_LIMIT_PER_MINUTE: '10000000', RATE_LIMIT_IP_PER_MINUTE: '10000000' });
});
afterAll(async () => t.close());

// --- hostile JSON -----------------------------------------------------------

/** Strings a client could send: any code unit (lone surrogates included), plus NUL, surrogate halves and numbers-as-text on purpose. */
const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', '\u0000', 'a\u0000b', '\uD800', '\uDC00x', 'x'.repeat(10_000), '12', '-1', '1e400', 'NaN', '2026-02-30T25:00:00Z', '0000-01-01T00:00:00Z', 'openai'),
);
/** Numbers at and past every edge (JSON cannot carry NaN or Infinity; 1e308 and huge integers it can). */
const anyNumber = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.constantFrom(0, -0, -1, 1e308, -1e308, 2 ** 53 + 2, 1e10 + 1, 10_000_001, 86_400_001, 0.5));
const anyJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constant(null), fc.boolean(), anyNumber, anyString, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 5 }),
  object: fc.dictionary(anyString, tie('value'), { maxKeys: 5 }),
})).value;

const EVENT_FIELDS = ['id', 'timestamp', 'provider', 'model', 'workload', 'project', 'environment', 'usage', 'requests', 'latencyMs', 'status', 'tags', 'costUsd'];
const USAGE_KEYS = ['inputTokens', 'outputTokens', 'cachedInputTokens', 'prompt_tokens', 'completion_tokens', 'prompt_tokens_details', 'input_tokens', 'cache_read_input_tokens', 'promptTokenCount', 'candidatesTokenCount', 'usage', 'usageMetadata'];
/** Event-shaped objects whose fields hold anything: strings where numbers go, objects where strings go, deep and odd values. */
const eventish = fc.dictionary(fc.oneof(fc.constantFrom(...EVENT_FIELDS), anyString), fc.oneof(anyJson, fc.dictionary(fc.constantFrom(...USAGE_KEYS), anyJson, { maxKeys: 4 })), { maxKeys: 14 });
const ingestBody = fc.oneof(anyJson, eventish, fc.record({ events: fc.oneof(fc.array(fc.oneof(eventish, anyJson), { maxLength: 8 }), anyJson) }));

const attr = fc.record({ key: fc.oneof(fc.constantFrom('gen_ai.system', 'gen_ai.provider.name', 'gen_ai.request.model', 'gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens', 'service.name', 'crossover.workload'), anyString), value: fc.oneof(anyJson, fc.record({ stringValue: anyJson }), fc.record({ intValue: anyJson })) });
const span = fc.oneof(anyJson, fc.record({ spanId: anyJson, startTimeUnixNano: anyJson, endTimeUnixNano: fc.oneof(anyJson, fc.constantFrom('9'.repeat(30), '-1', String(BigInt(Date.now()) * 1_000_000n))), attributes: fc.oneof(fc.array(attr, { maxLength: 6 }), anyJson), status: anyJson }, { requiredKeys: [] }));
const otlpBody = fc.oneof(
  anyJson,
  fc.record({ resourceSpans: fc.oneof(anyJson, fc.array(fc.oneof(anyJson, fc.record({ resource: fc.oneof(anyJson, fc.record({ attributes: fc.oneof(fc.array(attr, { maxLength: 3 }), anyJson) })), scopeSpans: fc.oneof(anyJson, fc.array(fc.oneof(anyJson, fc.record({ spans: fc.oneof(anyJson, fc.array(span, { maxLength: 4 })) })), { maxLength: 3 })) }, { requiredKeys: [] })), { maxLength: 3 })) }),
);

/** What every answer to a hostile body must satisfy: 2xx, or 4xx with the error shape (and the bad fields named on a 400). */
function checkAnswer(res: { status: number; body: unknown }): void {
  expect(res.status).toBeLessThan(500);
  expect(res.status).toBeGreaterThanOrEqual(200);
  if (res.status >= 400) {
    expect(hasErrorShape(res.body)).toBe(true);
    if (res.status === 400) {
      const details = (res.body as { error: { details?: { field?: unknown }[] } }).error.details;
      expect(Array.isArray(details) && details.length > 0 && details.every((d) => typeof d.field === 'string' && d.field.length > 0)).toBe(true);
    }
  } else {
    const b = res.body as { results?: { index: number; status: string; errors?: { field: string }[] }[] };
    expect(Array.isArray(b.results)).toBe(true);
    for (const r of b.results!) if (r.status === 'rejected') expect(r.errors?.length).toBeGreaterThan(0);
  }
}

describe('ingest answers any JSON body with a 2xx or a 4xx, never a 5xx', () => {
  beforeAll(async () => {
    const org = await createOrg(t, 'Props');
    ingestAuth = (await createKey(t, org, ['ingest'])).auth;
  });

  it('POST /v1/events (a batch, a single event, or anything else)', async () => {
    await fc.assert(
      fc.asyncProperty(ingestBody, async (body) => {
        const res = await t.http.post('/v1/events').set(ingestAuth).set('content-type', 'application/json').send(JSON.stringify(body));
        checkAnswer(res);
      }),
      params(200),
    );
  }, 120_000);

  it('POST /v1/otlp/v1/traces (OTLP JSON, malformed at any level)', async () => {
    await fc.assert(
      fc.asyncProperty(otlpBody, async (body) => {
        const res = await t.http.post('/v1/otlp/v1/traces').set(ingestAuth).set('content-type', 'application/json').send(JSON.stringify(body));
        checkAnswer(res);
      }),
      params(200),
    );
  }, 120_000);
});

// --- valid events among hostile neighbours ------------------------------------

/** Text the contract accepts: well-formed, no NUL, within `max` UTF-16 units. */
const storable = (min: number, max: number) => fc.string({ unit: 'grapheme', minLength: min, maxLength: 12 }).filter((s) => s.length >= min && s.length <= max && isStorableText(s));
const slug = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,30}$/);
const count = fc.integer({ min: 0, max: 5_000_000 });
/** Usage in each provider shape the API documents, with consistent sub-counts (cached within input). */
const validUsage = fc.oneof(
  fc.record({ inputTokens: count, outputTokens: count }).chain((u) => fc.record({ inputTokens: fc.constant(u.inputTokens), outputTokens: fc.constant(u.outputTokens), cachedInputTokens: fc.integer({ min: 0, max: u.inputTokens }) })),
  fc.record({ prompt_tokens: count, completion_tokens: count }),
  fc.record({ input_tokens: count, output_tokens: count, cache_read_input_tokens: count }),
  fc.record({ promptTokenCount: count, candidatesTokenCount: count }),
);
/** A model of a valid event (without its id, which the test makes unique). */
const validEvent = fc.record(
  {
    ageMs: fc.integer({ min: 60_000, max: 20 * 86_400_000 }),
    provider: fc.constantFrom('openai', 'anthropic', 'google', 'mistral', 'self-hosted', 'OpenAI'),
    model: fc.oneof(fc.constantFrom('gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4', 'gemini-2.0-flash', 'my-own-model'), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 60 })),
    workload: slug,
    project: slug,
    environment: slug,
    usage: validUsage,
    requests: fc.integer({ min: 1, max: 10_000_000 }),
    latencyMs: fc.double({ min: 0, max: 86_400_000, noNaN: true }),
    status: fc.constantFrom('ok', 'error'),
    tags: fc.dictionary(storable(1, 64), storable(0, 256), { maxKeys: 5 }),
    costUsd: fc.oneof(fc.constantFrom('0', '0.5', '12.000000000001'), fc.integer({ min: 0, max: 1000 })),
  },
  { requiredKeys: ['ageMs', 'provider', 'model', 'workload', 'usage'] },
);

/** One field of a valid event replaced by a value the contract refuses for it (or one unknown field added). */
const corruption = fc.oneof(
  fc.record({ field: fc.constant('id'), value: fc.constantFrom('', 'a\u0000b', 'x'.repeat(129), 42, null, { id: 1 }) }),
  fc.record({ field: fc.constant('timestamp'), value: fc.constantFrom('not-a-date', '0000-01-01T00:00:00Z', '1999-12-31T23:59:59Z', '3000-01-01T00:00:00Z', '2026-02-30T10:00:00', 1_700_000_000, '') }),
  fc.record({ field: fc.constant('provider'), value: fc.constantFrom('', 'Not A Provider!', 'a\u0000', 7, 'x'.repeat(65)) }),
  fc.record({ field: fc.constant('model'), value: fc.constantFrom('', 'gpt\u0000', 'x\uD800', 'x'.repeat(201), ['gpt-4o']) }),
  fc.record({ field: fc.constant('workload'), value: fc.constantFrom('', 'Upper Case', '-starts-with-dash', 'x'.repeat(129), 5) }),
  fc.record({ field: fc.constant('usage'), value: fc.constantFrom(null, 'lots', 12, [], { inputTokens: -1 }, { inputTokens: 1e11 }, { prompt_tokens: '12', completion_tokens: 1 }, { inputTokens: 1.5 }, {}) }),
  fc.record({ field: fc.constant('requests'), value: fc.constantFrom(0, -1, 1.5, '1', 10_000_001, null) }),
  fc.record({ field: fc.constant('latencyMs'), value: fc.constantFrom(-1, '5', 86_400_001, true) }),
  fc.record({ field: fc.constant('status'), value: fc.constantFrom('maybe', 1, '') }),
  fc.record({ field: fc.constant('tags'), value: fc.constantFrom([], 'team', { team: 1 }, { team: 'x\u0000' }, { ['k\uDC00']: 'v' }, Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v']))) }),
  fc.record({ field: fc.constant('costUsd'), value: fc.constantFrom('-1', '1e5', 'free', -3, '1.0000000000001') }),
  fc.record({ field: fc.constant('notAField'), value: anyJson }),
);
/** A neighbour that must be rejected: a corrupted valid event, or no event at all. */
const hostileNeighbour = fc.oneof(
  fc.record({ base: validEvent, corruption }).map((x) => ({ kind: 'corrupted' as const, ...x })),
  fc.oneof(fc.constant(null), anyNumber, anyString, fc.array(anyJson, { maxLength: 3 }), fc.boolean()).map((value) => ({ kind: 'not-object' as const, value })),
);
const batchModel = fc.array(fc.oneof(validEvent.map((e) => ({ kind: 'valid' as const, e })), hostileNeighbour), { minLength: 1, maxLength: 12 });

type Of<A> = A extends fc.Arbitrary<infer T> ? T : never;
type Model = Of<typeof batchModel>;

function toWire(e: Of<typeof validEvent>, id: string): Record<string, unknown> {
  const { ageMs, ...rest } = e;
  return { id, timestamp: new Date(Date.now() - ageMs).toISOString(), ...rest };
}

/** The batch as sent, and for each item whether it is valid. Ids are unique in the batch, so a hostile neighbour never shares a valid event's id. */
function materialise(model: Model, nonce: string): { events: unknown[]; valid: boolean[] } {
  const events = model.map((item, i) => {
    if (item.kind === 'valid') return toWire(item.e, `${nonce}-${i}`);
    if (item.kind === 'not-object') return item.value;
    const wire = toWire(item.base, `${nonce}-${i}`);
    return { ...wire, [item.corruption.field]: item.corruption.value };
  });
  return { events, valid: model.map((m) => m.kind === 'valid') };
}

describe('every valid event in a batch is stored exactly once, whatever its neighbours', () => {
  it('valid events are accepted and stored once; each hostile neighbour is rejected by index with its bad fields named under it', async () => {
    // One org for the test; each run's ids carry a nonce of their own, so a run's stored set is told apart
    // from the others' (any stored id with the nonce, a hostile one included, is counted).
    const org = await createOrg(t, 'Batch');
    const { auth } = await createKey(t, org, ['ingest']);
    const storedWith = async (nonce: string) => {
      const list = await t.http.get('/v1/events?limit=500').set(org.auth).expect(200);
      return (list.body.data as { id: string }[]).map((e) => e.id).filter((id) => id.startsWith(`${nonce}-`)).sort();
    };
    await fc.assert(
      fc.asyncProperty(batchModel, async (model) => {
        const nonce = randomBytes(6).toString('hex');
        const { events, valid } = materialise(model, nonce);
        const res = await t.http.post('/v1/events').set(auth).send({ events });
        expect(res.status).toBe(200);
        const results = res.body.results as { index: number; id: string | null; status: string; errors?: { field: string; message: string }[] }[];
        expect(results.map((r) => r.index)).toEqual(events.map((_e, i) => i));
        valid.forEach((ok, i) => {
          if (ok) expect(results[i]).toEqual({ index: i, id: `${nonce}-${i}`, status: 'accepted' });
          else {
            expect(results[i].status).toBe('rejected');
            expect(results[i].errors!.length).toBeGreaterThan(0);
            for (const e of results[i].errors!) expect(e.field === `events[${i}]` || e.field.startsWith(`events[${i}].`)).toBe(true);
          }
        });
        expect(res.body).toMatchObject({ accepted: valid.filter(Boolean).length, rejected: valid.filter((v) => !v).length, duplicates: 0, conflicts: 0 });

        const ids = await storedWith(nonce);
        expect(ids).toEqual(valid.flatMap((ok, i) => (ok ? [`${nonce}-${i}`] : [])).sort());

        // Re-sending the same batch stores nothing new: each valid event is a duplicate of itself.
        const again = await t.http.post('/v1/events').set(auth).send({ events });
        expect(again.body).toMatchObject({ accepted: 0, duplicates: valid.filter(Boolean).length });
        expect(await storedWith(nonce)).toEqual(ids);
      }),
      params(30),
    );
  }, 180_000);
});
