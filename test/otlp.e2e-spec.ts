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
});
