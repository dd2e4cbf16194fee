import { randomBytes } from 'node:crypto';
import { verifySignature } from '../src/common/standard-webhooks.js';
import { bootApp, type TestApp } from './support/app.js';
import { createOrg } from './support/factories.js';
import { startReceiver } from './support/receiver.js';
import { waitFor } from './support/wait.js';

let t: TestApp;
beforeAll(async () => {
  t = await bootApp();
});
afterAll(async () => t.close());

describe('webhook formats: slack and standard', () => {
  it('a slack webhook gets a budget alert as blocks, unsigned and retried; a standard one still gets the signed JSON', async () => {
    // Slack's first answer is a 500: the delivery is retried like any other.
    const slack = await startReceiver((n) => (n === 1 ? 500 : 200));
    const standard = await startReceiver();
    try {
      const org = await createOrg(t);
      const s = await t.http.post('/v1/webhooks').set(org.auth).send({ url: slack.url, events: ['budget.threshold_crossed'], format: 'slack' }).expect(201);
      expect(s.body).toMatchObject({ format: 'slack', secret: null });
      const std = await t.http.post('/v1/webhooks').set(org.auth).send({ url: standard.url, events: ['budget.threshold_crossed'] }).expect(201);
      expect(std.body).toMatchObject({ format: 'standard', secret: expect.stringMatching(/^whsec_/) });
      const listed = (await t.http.get('/v1/webhooks').set(org.auth).expect(200)).body.data;
      expect(listed.map((w: { format: string }) => w.format).sort()).toEqual(['slack', 'standard']);

      // gpt-4o input: $2.50 per 1M tokens; 3 events = $7.50 of a $10 budget: 75%, past the 50% threshold.
      // A minute ago, but never before this month began (the budget is monthly).
      const monthStart = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1, 0, 0, 1);
      const ts = new Date(Math.max(Date.now() - 60_000, monthStart)).toISOString();
      const events = [1, 2, 3].map(() => ({ id: randomBytes(8).toString('hex'), timestamp: ts, provider: 'openai', model: 'gpt-4o', workload: 'chat', usage: { inputTokens: 1_000_000, outputTokens: 0 } }));
      await t.http.post('/v1/budgets').set(org.auth).send({ name: 'OpenAI <prod>', scope: { provider: 'openai' }, limitUsd: '10', thresholds: [50] }).expect(201);
      await t.http.post('/v1/events').set(org.keyAuth).send({ events }).expect(200);

      await waitFor(async () => (slack.received.length >= 2 && standard.received.length >= 1) || null, 30_000);
      // Both attempts carried the same Slack message; neither a signature nor a webhook id.
      expect(slack.received[0]!.body).toBe(slack.received[1]!.body);
      for (const r of slack.received) {
        expect(r.headers['content-type']).toBe('application/json');
        expect(r.headers['webhook-signature']).toBeUndefined();
        expect(r.headers['webhook-id']).toBeUndefined();
      }
      const month = ts.slice(0, 7);
      expect(JSON.parse(slack.received[1]!.body)).toEqual({
        text: 'Budget OpenAI &lt;prod&gt; crossed 50%: $7.50 of $10.00',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'Budget OpenAI <prod>: 50% of its limit' } },
          { type: 'section', text: { type: 'mrkdwn', text: `*$7.50* of *$10.00* spent (75%) — monthly budget, ${month}\nScope: provider openai` } },
          { type: 'context', elements: [{ type: 'mrkdwn', text: `<${t.config.http.publicUrl}/app/#/|Open budgets in Crossover>` }] },
        ],
      });

      const r = standard.received[0]!;
      expect(verifySignature(std.body.secret, r.headers, Buffer.from(r.body))).toBeNull();
      expect(JSON.parse(r.body)).toMatchObject({ type: 'budget.threshold_crossed', data: { threshold: 50, spendUsd: '7.5', limitUsd: '10', budget: { name: 'OpenAI <prod>' } } });

      // One delivery per webhook and message; the Slack one took two attempts.
      const log = await waitFor(async () => {
        const d = (await t.http.get(`/v1/webhooks/${s.body.id}/deliveries`).set(org.auth).expect(200)).body.data;
        return d.length === 1 && d[0].status === 'delivered' ? d : null;
      });
      expect(log[0]).toMatchObject({ eventType: 'budget.threshold_crossed', attempts: 2, lastStatusCode: 200 });
      expect(standard.received).toHaveLength(1);
    } finally {
      await slack.close();
      await standard.close();
    }
  });

  it('format is bounded and the SSRF guard applies to slack webhooks unchanged', async () => {
    const org = await createOrg(t);
    const bad = await t.http.post('/v1/webhooks').set(org.auth).send({ url: 'https://hooks.slack.com/services/T0/B0/x', events: ['spend.anomaly'], format: 'teams' }).expect(400);
    expect(JSON.stringify(bad.body)).toContain('format must be one of: standard, slack');
    const ssrf = await t.http.post('/v1/webhooks').set(org.auth).send({ url: 'http://169.254.169.254/latest/meta-data', events: ['spend.anomaly'], format: 'slack' }).expect(400);
    expect(JSON.stringify(ssrf.body)).toContain('private, loopback or reserved address');
  });
});
