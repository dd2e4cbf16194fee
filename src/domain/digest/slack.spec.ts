import { boundedLines, digestSlackMessage, esc, link, message, section, SLACK_BLOCKS_MAX, SLACK_SECTION_MAX, type DigestView } from './index.js';

const DASH = 'https://crossover.example.com/app/';

/** A digest view as stored (JSON), hand-written: one action, a second digest with one change, one anomaly. */
const view: DigestView = {
  period: '2026-11-30T07:00:00.000Z',
  title: 'Week of 23 Nov 2026',
  generatedAt: '2026-11-30T07:00:04.000Z',
  dataFreshness: { complete: true },
  spend: { thisPeriodUsd: '4210', lastPeriodUsd: '3900', changePercent: 7.9 },
  forecast: [],
  standing: { workloads: 2, verdicts: { stay_closed: 2 }, waitingOnEvaluation: 1, potentialMonthlySavingsUsd: '1500', readyMonthlySavingsUsd: '0', largest: [] },
  topActions: [
    {
      kind: 'evaluate',
      workload: 'r&d<bot>',
      budget: null,
      nextStep: 'Run an evaluation of gpt-4o-mini on r&d<bot> (200 samples)',
      atStakeUsd: '1500',
      atStakeUnit: 'per_month',
      owner: 'ml <platform>',
      ownerIsTeam: true,
      url: `${DASH}#/workloads/r%26d%3Cbot%3E`,
    },
  ],
  moreActions: 0,
  changes: { first: false, count: 1, items: [{ workload: 'r&d<bot>', url: `${DASH}#/workloads/r%26d%3Cbot%3E`, verdict: { from: null, to: 'stay_closed' }, moves: [] }], more: 0 },
  anomalies: {
    count: 1,
    items: [{ day: '2026-11-28', scopeKind: 'customer', scopeValue: 'acme', direction: 'above', observedUsd: '812.4', expectedUsd: '300', lowerUsd: '250', upperUsd: '350', partialDay: false, url: `${DASH}#/` }],
    more: 0,
  },
  budgets: { count: 0, items: [], more: 0 },
  links: { overview: `${DASH}#/`, roadmap: `${DASH}#/roadmap` },
};

describe('Slack mrkdwn primitives', () => {
  it('escapes &, < and > in tenant text, and cuts a long name before escaping', () => {
    expect(esc('a & <b> > c')).toBe('a &amp; &lt;b&gt; &gt; c');
    expect(esc('x'.repeat(500))).toHaveLength(200);
  });

  it('a link’s URL cannot close it early and its text is escaped', () => {
    expect(link('a|b<c>', 'https://x.example/p?a=1&b=<2>|3')).toBe('<https://x.example/p?a=1&amp;b=%3C2%3E%7C3|a|b&lt;c&gt;>');
  });

  it('a section never exceeds 3,000 characters: whole lines are kept, the rest becomes "…"', () => {
    const text = boundedLines(Array.from({ length: 100 }, (_, i) => `${i} ${'y'.repeat(60)}`));
    expect(text.length).toBeLessThanOrEqual(SLACK_SECTION_MAX);
    expect(text.endsWith('\n…')).toBe(true);
    expect(text.split('\n').slice(0, -1).every((l) => l.endsWith('y'.repeat(60)))).toBe(true);
    const one = section(['<https://x|' + 'z'.repeat(4000) + '>']);
    expect(one).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '…' } });
  });

  it('a message keeps at most 50 blocks', () => {
    expect(message('t', Array.from({ length: 60 }, () => ({ type: 'divider' as const }))).blocks).toHaveLength(SLACK_BLOCKS_MAX);
  });
});

describe('digestSlackMessage', () => {
  it('header, spend, top actions, changes, anomalies and budgets, context with the roadmap link; tenant text escaped', () => {
    expect(digestSlackMessage(view)).toEqual({
      text: 'Week of 23 Nov 2026: top action $1,500.00/month — Run an evaluation of gpt-4o-mini on r&amp;d&lt;bot&gt; (200 samples)',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Week of 23 Nov 2026' } },
        { type: 'section', text: { type: 'mrkdwn', text: '*Spend:* $4,210.00 in the last 7 days (previous 7 days $3,900.00, +7.9%)' } },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text:
              '*Top actions*\n1. *$1,500.00/month* — Run an evaluation of gpt-4o-mini on r&amp;d&lt;bot&gt; (200 samples). Owner: ml &lt;platform&gt;. ' +
              '<https://crossover.example.com/app/#/workloads/r%26d%3Cbot%3E|r&amp;d&lt;bot&gt;>',
          },
        },
        { type: 'section', text: { type: 'mrkdwn', text: '*What changed* (1)\n• <https://crossover.example.com/app/#/workloads/r%26d%3Cbot%3E|r&amp;d&lt;bot&gt;>: new, stay' } },
        { type: 'section', text: { type: 'mrkdwn', text: '*Anomalies and budgets*\n• Anomaly: 28 Nov, customer acme: $812.40, expected $250.00–$350.00 (above)' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: '<https://crossover.example.com/app/#/roadmap|Roadmap> · generated 2026-11-30 07:00 UTC' }] },
      ],
    });
  });

  it('a first digest with nothing to do says so, with where the org stands', () => {
    const m = digestSlackMessage({ ...view, topActions: [], changes: { first: true, count: 0, items: [], more: 0 }, anomalies: { count: 0, items: [], more: 0 } });
    expect(m.text).toBe('Week of 23 Nov 2026: nothing to do this week');
    expect(m.blocks.map((b) => (b.type === 'section' ? b.text.text.split('\n')[0] : b.type))).toEqual([
      'header',
      '*Spend:* $4,210.00 in the last 7 days (previous 7 days $3,900.00, +7.9%)',
      '*Top actions*',
      '*Where you stand*',
      '*Anomalies and budgets*',
      'context',
    ]);
    expect(JSON.stringify(m)).toContain('Nothing to do this week');
    expect(JSON.stringify(m)).toContain('Potential savings *$1,500.00/month*, $0.00 ready now; 1 waiting on an evaluation');
  });
});
