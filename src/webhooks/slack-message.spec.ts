import { SLACK_SECTION_MAX } from '../domain/digest/index.js';
import { slackMessageFor } from './slack-message.js';

const PUBLIC = 'https://crossover.example.com/';
const at = '2026-11-28T10:00:00.000Z';

describe('slackMessageFor: each webhook event as a Slack incoming-webhook message', () => {
  it('budget.threshold_crossed: name, spend vs limit, percent, window, scope, hard, link', () => {
    const payload = {
      type: 'budget.threshold_crossed',
      timestamp: at,
      data: {
        alertId: 'a1',
        budget: { id: 'b1', name: 'OpenAI <prod> & co', scope: { project: null, workload: 'chat', provider: 'openai' } },
        month: '2026-11',
        period: '2026-11',
        window: 'month',
        hard: true,
        threshold: 80,
        spendUsd: '8.125',
        limitUsd: '10',
      },
    };
    expect(slackMessageFor(payload, PUBLIC)).toEqual({
      text: 'Budget OpenAI &lt;prod&gt; &amp; co crossed 80%: $8.12 of $10.00',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Budget OpenAI <prod> & co: 80% of its limit' } },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text:
              '*$8.12* of *$10.00* spent (81.2%) — monthly budget, 2026-11\n' + // 8.125 / 10 = 81.25%: both rounded half-even
              'Scope: workload chat, provider openai\n' +
              'Hard budget: the decision endpoint denies requests once the limit is reached.',
          },
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: '<https://crossover.example.com/app/#/|Open budgets in Crossover>' }] },
      ],
    });
  });

  it('budget.threshold_crossed as budgets send it today (month, no window): a soft monthly budget on all spend', () => {
    const m = slackMessageFor({ type: 'budget.threshold_crossed', data: { budget: { name: 'All', scope: {} }, month: '2026-11', threshold: 50, spendUsd: '7.5', limitUsd: '10' } }, PUBLIC);
    expect(m.blocks[1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*$7.50* of *$10.00* spent (75%) — monthly budget, 2026-11\nScope: all spend' } });
  });

  it('spend.anomaly: the figure, the expected range, the direction, top contributors and the dashboard link', () => {
    const payload = {
      type: 'spend.anomaly',
      timestamp: at,
      data: {
        anomalyId: 'n1',
        day: '2026-11-28',
        scope: { kind: 'workload', value: 'support-chat' },
        direction: 'above',
        partialDay: true,
        observedUsd: '812.4',
        expectedUsd: '300',
        lowerUsd: '250',
        upperUsd: '350',
        minimumUsd: '50',
        topContributors: {
          models: [
            { model: 'gpt-4o', costUsd: '700', expectedUsd: '250' },
            { model: 'gpt-4o-mini', costUsd: '112.4', expectedUsd: '50' },
          ],
          customers: [{ customer: 'acme <inc>', costUsd: '600', expectedUsd: '90' }],
          workloads: [],
        },
        dashboardUrl: 'https://crossover.example.com/app/#/workloads/support-chat',
      },
    };
    expect(slackMessageFor(payload, PUBLIC)).toEqual({
      text: 'Spend anomaly on workload support-chat: $812.40 on 2026-11-28, above $250.00–$350.00',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Spend anomaly: workload support-chat' } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '*$812.40* on 28 Nov (so far: the day is not over), above the expected range *$250.00–$350.00* (expected $300.00)' },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*Top models*\n• gpt-4o: $700.00 (expected $250.00)\n• gpt-4o-mini: $112.40 (expected $50.00)\n*Top customers*\n• acme &lt;inc&gt;: $600.00 (expected $90.00)',
          },
        },
        {
          type: 'context',
          elements: [
            { type: 'mrkdwn', text: '<https://crossover.example.com/app/#/workloads/support-chat|Open in Crossover>' },
            { type: 'mrkdwn', text: 'Alerts only above $50.00 a day' },
          ],
        },
      ],
    });
  });

  it('reconciliation.drift: billed vs metered, delta, coverage, explanations, link to reconciliation', () => {
    const payload = {
      type: 'reconciliation.drift',
      data: {
        provider: 'openai',
        day: '2026-11-20',
        reasons: ['drift'],
        meteredCostUsd: '100',
        billedCostUsd: '112.5',
        deltaUsd: '12.5',
        deltaPercent: 11.11,
        coverage: 0.998,
        explanations: [{ cause: 'service_tier', estimatedUsd: '-1.75', detail: 'billed at batch 100%' }],
        unexplainedUsd: '14.25',
      },
    };
    expect(slackMessageFor(payload, PUBLIC)).toEqual({
      text: 'Invoice drift for openai on 2026-11-20: billed $112.50 vs metered $100.00',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Invoice drift: openai, 2026-11-20' } },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: 'Billed *$112.50* vs metered *$100.00*: delta *$12.50* (+11.1%)\nCoverage 99.8% of billed tokens metered\n• service_tier: -$1.75 — billed at batch 100%\nUnexplained: $14.25',
          },
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: '<https://crossover.example.com/app/#/reconciliation|Open reconciliation in Crossover>' }] },
      ],
    });
  });

  it('digest.created: the digest’s blocks (title, top actions with dollars and links, changes count)', () => {
    const data = {
      digestId: 'd1',
      period: 'manual-2026-12-01T04:34:30.628Z',
      title: 'On demand, 1 Dec 2026',
      generatedAt: '2026-12-01T04:34:30.628Z',
      dataFreshness: { complete: true },
      spend: { thisPeriodUsd: '10', lastPeriodUsd: '0', changePercent: null },
      forecast: [],
      standing: { workloads: 1, verdicts: { stay_closed: 1 }, waitingOnEvaluation: 1, potentialMonthlySavingsUsd: '1500', readyMonthlySavingsUsd: '0', largest: [] },
      topActions: [
        { kind: 'evaluate', workload: 'chat', budget: null, nextStep: 'Run an evaluation of gpt-4o-mini on chat (200 samples)', atStakeUsd: '1500', atStakeUnit: 'per_month', owner: 'platform lead', ownerIsTeam: false, url: 'https://crossover.example.com/app/#/workloads/chat' },
      ],
      moreActions: 0,
      changes: { first: false, count: 0, items: [], more: 0 },
      anomalies: { count: 0, items: [], more: 0 },
      budgets: { count: 0, items: [], more: 0 },
      links: { overview: 'https://crossover.example.com/app/#/', roadmap: 'https://crossover.example.com/app/#/roadmap' },
      summary: {},
    };
    const m = slackMessageFor({ type: 'digest.created', data }, PUBLIC);
    expect(m.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'On demand, 1 Dec 2026' } });
    expect(m.blocks[2]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '*Top actions*\n1. *$1,500.00/month* — Run an evaluation of gpt-4o-mini on chat (200 samples). Owner: platform lead. <https://crossover.example.com/app/#/workloads/chat|chat>' },
    });
    expect(m.blocks[3]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*What changed* (0)\nNo verdict changed and nothing moved by more than 10% since the last digest.' } });
  });

  it('bounded: 200 contributors and a 10 kB scope value still fit Slack’s limits', () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ model: `m${i}`, costUsd: '1', expectedUsd: '0' }));
    const m = slackMessageFor({ type: 'spend.anomaly', data: { scope: { kind: 'customer', value: 'c'.repeat(10_000) }, topContributors: { models: many } } }, PUBLIC);
    expect((m.blocks[0] as { text: { text: string } }).text.text.length).toBeLessThanOrEqual(150);
    expect((m.blocks[2] as { text: { text: string } }).text.text.split('\n')).toHaveLength(1 + 5);
    for (const b of m.blocks) if (b.type === 'section') expect(b.text.text.length).toBeLessThanOrEqual(SLACK_SECTION_MAX);
    expect(m.text.length).toBeLessThanOrEqual(SLACK_SECTION_MAX);
  });

  it('an unknown or malformed payload still gives a message', () => {
    expect(slackMessageFor(null, PUBLIC)).toEqual({
      text: 'Crossover: event',
      blocks: [{ type: 'header', text: { type: 'plain_text', text: 'Crossover: event' } }, { type: 'context', elements: [{ type: 'mrkdwn', text: '<https://crossover.example.com/app/#/|Open Crossover>' }] }],
    });
    expect(slackMessageFor({ type: 'digest.created', data: { title: 'Week of 23 Nov 2026' } }, PUBLIC).blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Week of 23 Nov 2026' } });
  });
});
