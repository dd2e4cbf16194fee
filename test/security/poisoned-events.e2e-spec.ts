import { randomBytes } from 'node:crypto';
import { bootApp, type TestApp } from '../support/app.js';
import { createOrg, type TestOrg } from '../support/factories.js';

let t: TestApp;
beforeAll(async () => {
  t = await bootApp();
});
afterAll(async () => t.close());

const ts = () => new Date(Date.now() - 3_600_000).toISOString();
const ev = (extra: Record<string, unknown> = {}) => ({
  id: randomBytes(8).toString('hex'),
  timestamp: ts(),
  provider: 'openai',
  model: 'gpt-4o',
  workload: 'chat',
  usage: { inputTokens: 100, outputTokens: 10 },
  ...extra,
});

async function storedIds(org: TestOrg): Promise<string[]> {
  const list = await t.http.get('/v1/events?limit=500').set(org.keyAuth).expect(200);
  return list.body.data.map((e: { id: string }) => e.id);
}

describe('one bad event never sinks its neighbours (values PostgreSQL would refuse)', () => {
  it.each([
    ['a timestamp in year 0 (passes the RFC 3339 pattern; PostgreSQL has no year 0)', { timestamp: '0000-01-01T00:00:00Z' }, 'timestamp'],
    ['a timestamp before 2000', { timestamp: '1969-12-31T23:59:59Z' }, 'timestamp'],
    ['a NUL character in model', { model: 'gpt-4o\u0000' }, 'model'],
    ['a NUL character in the event id', { id: `a\u0000b` }, 'id'],
    ['an unpaired surrogate in a tag value', { tags: { team: 'x\uD800y' } }, 'tags.team'],
    ['an unpaired surrogate in a tag name', { tags: { ['k\uDC00']: 'v' } }, 'tags'],
  ])('%s: rejected by name with a 200 for the batch, the valid event beside it stored', async (_what, bad, field) => {
    const org = await createOrg(t);
    const good = ev();
    const poisoned = ev(bad);
    const res = await t.http.post('/v1/events').set(org.keyAuth).send({ events: [good, poisoned] }).expect(200);
    expect(res.body).toMatchObject({ accepted: 1, rejected: 1 });
    expect(res.body.results[1].errors.map((e: { field: string }) => e.field)).toContain(`events[1].${field}`);
    expect(await storedIds(org)).toEqual([good.id]);
  });

  it('an OTLP span whose endTimeUnixNano is beyond any date is rejected alone; its neighbour is stored', async () => {
    const org = await createOrg(t);
    const span = (spanId: string, end: string) => ({
      spanId,
      endTimeUnixNano: end,
      attributes: [
        { key: 'gen_ai.system', value: { stringValue: 'openai' } },
        { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
        { key: 'gen_ai.usage.input_tokens', value: { intValue: '100' } },
        { key: 'gen_ai.usage.output_tokens', value: { intValue: '10' } },
      ],
    });
    const res = await t.http
      .post('/v1/otlp/v1/traces')
      .set(org.keyAuth)
      .send({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
            scopeSpans: [{ spans: [span('good1', String(BigInt(Date.now() - 60_000) * 1_000_000n)), span('huge', '9'.repeat(30))] }],
          },
        ],
      })
      .expect(200);
    expect(res.body.partialSuccess.rejectedSpans).toBe(1);
    expect(await storedIds(org)).toEqual(['good1']);
  });
});

describe('OTLP obeys the batch cap', () => {
  it('1,001 GenAI spans in one export is a 400 naming resourceSpans, and nothing is stored', async () => {
    const org = await createOrg(t);
    const end = String(BigInt(Date.now() - 60_000) * 1_000_000n);
    const spans = Array.from({ length: 1001 }, (_, i) => ({
      spanId: `s${i}`,
      endTimeUnixNano: end,
      attributes: [
        { key: 'gen_ai.system', value: { stringValue: 'openai' } },
        { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
      ],
    }));
    const res = await t.http
      .post('/v1/otlp/v1/traces')
      .set(org.keyAuth)
      .send({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] }, scopeSpans: [{ spans }] }] })
      .expect(400);
    expect(res.body.error.details[0].field).toBe('resourceSpans');
    expect(await storedIds(org)).toEqual([]);
  });
});
