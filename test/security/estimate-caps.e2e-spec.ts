import { bootApp, type TestApp } from '../support/app.js';
import { createKey, createOrg } from '../support/factories.js';

let t: TestApp;
beforeAll(async () => {
  t = await bootApp();
});
afterAll(async () => t.close());

describe('estimates are bounded (a read key must not be able to block the event loop)', () => {
  it('nine distinct open models is a 400 naming openModel', async () => {
    const org = await createOrg(t);
    const read = await createKey(t, org, ['read']);
    const models = Array.from({ length: 9 }, (_, i) => `model-${i}`);
    const res = await t.http.post('/v1/economics/estimate').set(read.auth).send({ openModel: models, monthlyInputTokens: 1e9, monthlyOutputTokens: 1e8 }).expect(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain('openModel');
  });

  it('fifty repeats of one model count once: every option is that model', async () => {
    const org = await createOrg(t);
    const read = await createKey(t, org, ['read']);
    const res = await t.http
      .post('/v1/economics/estimate')
      .set(read.auth)
      .send({ openModel: Array.from({ length: 50 }, (_, i) => (i % 2 ? 'llama-3.1-8b-instruct' : 'Llama-3.1-8B-Instruct')).join(','), gpu: 'L4-24GB', monthlyInputTokens: 1e8, monthlyOutputTokens: 2e7, currentModel: 'gpt-4o-mini' })
      .expect(200);
    const ids = new Set(res.body.options.map((o: { modelId: string }) => o.modelId.toLowerCase()));
    expect([...ids]).toEqual(['llama-3.1-8b-instruct']);
    // One option per precision at most (bf16, fp8): repeats did not multiply the work.
    expect(res.body.options.length).toBeLessThanOrEqual(2);
  });
});
