import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SpanStatusCode } from '@opentelemetry/api';
import { bootApp, type TestApp } from './support/app.js';
import { createOrg } from './support/factories.js';

// The real OpenTelemetry SDK and OTLP/HTTP JSON exporter, exporting to the
// running app over a real socket.
describe('OpenTelemetry GenAI spans → usage events', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await bootApp();
    await t.app.listen(0, '127.0.0.1');
    base = await t.app.getUrl();
  });
  afterAll(async () => t.close());

  it('exports GenAI spans with the SDK: each becomes a priced event (span id = event id); other spans are ignored', async () => {
    const org = await createOrg(t);
    const exporter = new OTLPTraceExporter({ url: `${base.replace('[::1]', '127.0.0.1')}/v1/otlp/v1/traces`, headers: { Authorization: `Bearer ${org.adminKey}` } });
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'Support Bot', 'deployment.environment.name': 'staging' }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('test');

    const chat = tracer.startSpan('chat gpt-4o', {
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.response.model': 'gpt-4o-2024-08-06',
        'gen_ai.usage.input_tokens': 1200,
        'gen_ai.usage.output_tokens': 300,
        'gen_ai.usage.cache_read.input_tokens': 1024,
        'crossover.workload': 'support-chat',
      },
    });
    const chatId = chat.spanContext().spanId;
    chat.end();
    const failed = tracer.startSpan('chat claude', {
      attributes: { 'gen_ai.system': 'anthropic', 'gen_ai.request.model': 'claude-haiku-4.5', 'gen_ai.usage.input_tokens': 100, 'gen_ai.usage.output_tokens': 0 },
    });
    failed.setStatus({ code: SpanStatusCode.ERROR });
    const failedId = failed.spanContext().spanId;
    failed.end();
    tracer.startSpan('GET /healthz').end();
    await provider.forceFlush();
    await provider.shutdown();

    const got = await t.http.get(`/v1/events/${chatId}`).set(org.keyAuth).expect(200);
    // 176×2.5 + 1,024×1.25 + 300×10 per 1M
    expect(got.body).toMatchObject({ provider: 'openai', modelId: 'gpt-4o', workload: 'support-chat', environment: 'staging', costUsd: '0.00472', status: 'ok' });
    expect(got.body.usage).toMatchObject({ inputTokens: 1200, cachedInputTokens: 1024, outputTokens: 300 });
    const err = await t.http.get(`/v1/events/${failedId}`).set(org.keyAuth).expect(200);
    // No crossover.workload attribute: the service name, as a slug.
    expect(err.body).toMatchObject({ provider: 'anthropic', workload: 'support-bot', status: 'error' });
    const all = await t.http.get('/v1/events').set(org.keyAuth).expect(200);
    expect(all.body.data).toHaveLength(2);
  });

  it('takes the service tier from openai.response.service_tier (then the deprecated gen_ai.openai.* names; scale = default) and refuses an unknown one', async () => {
    const org = await createOrg(t);
    const end = String(Date.now() * 1e6);
    const span = (spanId: string, tier: [string, string]) => ({
      spanId,
      endTimeUnixNano: end,
      attributes: [
        { key: 'gen_ai.provider.name', value: { stringValue: 'openai' } },
        { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
        { key: 'gen_ai.usage.input_tokens', value: { intValue: '1000' } },
        { key: 'gen_ai.usage.output_tokens', value: { intValue: '100' } },
        { key: 'crossover.workload', value: { stringValue: 'chat' } },
        { key: tier[0], value: { stringValue: tier[1] } },
      ],
    });
    const res = await t.http
      .post('/v1/otlp/v1/traces')
      .set(org.keyAuth)
      .send({
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  span('aa01', ['openai.response.service_tier', 'flex']),
                  span('aa02', ['gen_ai.openai.response.service_tier', 'priority']),
                  span('aa03', ['gen_ai.openai.request.service_tier', 'scale']),
                  span('aa04', ['openai.response.service_tier', 'turbo']),
                ],
              },
            ],
          },
        ],
      })
      .expect(200);
    expect(res.body).toMatchObject({ accepted: 3, rejected: 1 });
    expect(res.body.results[3].errors).toEqual([{ field: 'spans[3].serviceTier', message: 'must be one of default, batch, flex, priority' }]);
    // gpt-4o: 1,000 × 2.5 + 100 × 10 per 1M = $0.0035 at standard rates; flex and priority have no sourced price for it, so they say so.
    const flex = (await t.http.get('/v1/events/aa01').set(org.keyAuth).expect(200)).body;
    expect(flex).toMatchObject({ serviceTier: 'flex', costUsd: '0.0035', serviceTierPricing: { priced: false } });
    expect((await t.http.get('/v1/events/aa02').set(org.keyAuth).expect(200)).body).toMatchObject({ serviceTier: 'priority', serviceTierPricing: { priced: false } });
    expect((await t.http.get('/v1/events/aa03').set(org.keyAuth).expect(200)).body).toMatchObject({ serviceTier: 'default', serviceTierPricing: { priced: true } });
  });

  it('answers an OTLP partialSuccess naming rejected spans, and 400 for a body that is not an export request', async () => {
    const org = await createOrg(t);
    const res = await t.http
      .post('/v1/otlp/v1/traces')
      .set(org.keyAuth)
      .send({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
            scopeSpans: [{ spans: [{ spanId: 'abc', endTimeUnixNano: String(Date.now() * 1e6), attributes: [{ key: 'gen_ai.system', value: { stringValue: 'openai' } }] }] }],
          },
        ],
      })
      .expect(200);
    expect(res.body.partialSuccess.rejectedSpans).toBe(1);
    expect(res.body.results[0].errors.map((e: { field: string }) => e.field)).toContain('spans[0].model');
    await t.http.post('/v1/otlp/v1/traces').set(org.keyAuth).send({ nope: 1 }).expect(400);
  });

  it('maps crossover.customer (span, then resource) and enduser.id (else user.id) to the event', async () => {
    const org = await createOrg(t);
    const span = (spanId: string, attrs: Record<string, string | number>) => ({
      spanId,
      startTimeUnixNano: String((Date.now() - 1000) * 1e6),
      endTimeUnixNano: String(Date.now() * 1e6),
      attributes: [
        { key: 'gen_ai.provider.name', value: { stringValue: 'openai' } },
        { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
        { key: 'gen_ai.usage.input_tokens', value: { intValue: '100' } },
        { key: 'gen_ai.usage.output_tokens', value: { intValue: '10' } },
        ...Object.entries(attrs).map(([key, v]) => ({ key, value: typeof v === 'number' ? { intValue: String(v) } : { stringValue: v } })),
      ],
    });
    await t.http
      .post('/v1/otlp/v1/traces')
      .set(org.keyAuth)
      .send({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }, { key: 'crossover.customer', value: { stringValue: 'resource-co' } }] },
            scopeSpans: [{ spans: [span('cc01', { 'crossover.customer': 'span-co', 'enduser.id': 'eu-1', 'user.id': 'not-this' }), span('cc02', { 'user.id': 77 })] }],
          },
        ],
      })
      .expect(200);
    expect((await t.http.get('/v1/events/cc01').set(org.keyAuth).expect(200)).body).toMatchObject({ customer: 'span-co', endUser: 'eu-1' });
    expect((await t.http.get('/v1/events/cc02').set(org.keyAuth).expect(200)).body).toMatchObject({ customer: 'resource-co', endUser: '77' });
  });
});
