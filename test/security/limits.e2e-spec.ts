import { bootApp, type TestApp } from '../support/app.js';
import { createOrg } from '../support/factories.js';

let t: TestApp;
beforeAll(async () => {
  t = await bootApp();
});
afterAll(async () => t.close());

describe('values that would make a decision meaningless are refused by name', () => {
  it.each(['0', '0.000000', '00.0'])('a monthly budget of %s is a 400 naming monthlyLimitUsd (it would alert at $0)', async (limit) => {
    const org = await createOrg(t);
    const res = await t.http.post('/v1/budgets').set(org.auth).send({ name: 'zero', scope: {}, monthlyLimitUsd: limit, thresholds: [100] }).expect(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain('monthlyLimitUsd');
  });

  it('a budget of 0.01 is accepted', async () => {
    const org = await createOrg(t);
    await t.http.post('/v1/budgets').set(org.auth).send({ name: 'cent', scope: {}, monthlyLimitUsd: '0.01', thresholds: [100] }).expect(201);
  });
});
