import { bootApp, type TestApp } from './support/app.js';
import { createOrg } from './support/factories.js';

// README, "Worked example (recompute it by hand)": if a price or the calibration changes, this fails and the README must follow.
let t: TestApp;
beforeAll(async () => {
  t = await bootApp();
});
afterAll(async () => t.close());

it('Llama-3.3-70B fp8 on H100 vs gpt-4o at 1B + 1B tokens a month: 2 replicas x 2 GPUs, $19,834.08, crosses at 4.16B, never below DeepInfra', async () => {
  const org = await createOrg(t);
  const res = await t.http
    .post('/v1/economics/estimate')
    .set(org.keyAuth)
    .send({
      openModel: 'llama-3.3-70b-instruct',
      gpu: 'H100-80GB-SXM',
      precision: 'fp8',
      monthlyInputTokens: 1_000_000_000,
      monthlyOutputTokens: 1_000_000_000,
      avgInputTokensPerRequest: 1000,
      avgOutputTokensPerRequest: 1000,
      peakToAverage: 2,
      currentModel: 'gpt-4o',
      assumptions: { p95ContextMultiplier: 1 },
    })
    .expect(200);
  expect(res.body.current.monthlyCostUsd).toBe('12500');
  const [o] = res.body.options;
  expect(o).toMatchObject({ tensorParallel: 2, replicas: 2, gpuCount: 4, gpuCostUsd: '11212.8', overheadUsd: '1121.28', peopleCostUsd: '7500', tcoUsd: '19834.08' });
  expect(o.price).toMatchObject({ tier: 'marketOnDemand', usdPerGpuHour: '3.84' });
  expect(o.capacity.requestsPerSec).toBeCloseTo(1.59, 2);
  expect(Math.round(o.capacity.tokensPerSec)).toBe(1591);
  expect(o.capacity.expectedP95LatencyMs / 1000).toBeCloseTo(15.8, 1);
  expect(o.crossover.vsCurrent).toMatchObject({ status: 'crosses', monthlyTokens: 4_160_179_200 });
  expect(o.crossover.vsManagedOpen).toMatchObject({ status: 'never_below_max' });
  expect(o.crossover.vsManagedOpen.against).toMatch(/deepinfra/i);
});
