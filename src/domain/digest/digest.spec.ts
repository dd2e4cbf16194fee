import { buildEvaluation, buildOption, buildWorkload } from '../../../test/builders/planner.js';
import { Money } from '../money.js';
import { planOrganisation } from '../planner/roadmap.js';
import type { OrganisationPlan, WorkloadPlan } from '../planner/types.js';
import { buildDigest, digestTitle, formatUsd, planChanges, renderDigestMarkdown, type DigestInput } from './index.js';

const DASH = 'https://crossover.example.com/app/';
const closedOption = (modelId: string, cost: number) =>
  buildOption({ kind: 'cheaper_closed', modelId, provider: 'openai', qualityTier: 'mid', monthlyCostUsd: new Money(cost), oneOffMigrationCostUsd: new Money(500), crossoverMonthlyTokens: undefined, deployment: undefined });

/**
 * Like the demo org: 11 workloads. support-triage ($12,000 → self-host llama-3.1-8b at $3,000, evaluated, owned by
 * support-ml: $9,000/month ready); doc-extraction ($8,000 → pilot at $2,500, not evaluated: $5,500 at stake);
 * contract-summaries ($6,000 → gpt-4o-mini at $1,500, waits on an evaluation: $4,500); assistant ($2,000 →
 * gpt-4o-mini at $500, waits on an evaluation: $1,500); seven small workloads with nothing priced (stay).
 */
function demoPlan(): OrganisationPlan {
  return planOrganisation(
    [
      { workload: buildWorkload({ slug: 'support-triage', annotations: { ownerTeam: 'support-ml' }, evaluations: [buildEvaluation('llama-3.1-8b')] }), options: [buildOption()] },
      { workload: buildWorkload({ slug: 'doc-extraction', monthlySpendUsd: new Money(8000), annotations: { taskCategory: 'extraction' } }), options: [buildOption({ monthlyCostUsd: new Money(2500), oneOffMigrationCostUsd: new Money(5000) })] },
      { workload: buildWorkload({ slug: 'contract-summaries', monthlySpendUsd: new Money(6000), annotations: { taskCategory: 'chat' } }), options: [closedOption('gpt-4o-mini', 1500)] },
      { workload: buildWorkload({ slug: 'assistant', monthlySpendUsd: new Money(2000), annotations: { taskCategory: 'chat' } }), options: [closedOption('gpt-4o-mini', 500)] },
      ...['alerts', 'billing-qa', 'code-review', 'email-drafts', 'faq-bot', 'search-rerank', 'tagging'].map((slug) => ({
        workload: buildWorkload({ slug, monthlySpendUsd: new Money(400) }),
        options: [],
      })),
    ],
    { teamMaturity: 'strong' },
  );
}

function input(over: Partial<DigestInput> = {}): DigestInput {
  return {
    period: '2026-11-30T07:00:00.000Z',
    title: 'Week of 23 Nov 2026',
    generatedAt: new Date('2026-11-30T07:00:00Z'),
    dashboardUrl: DASH,
    dataFreshness: { complete: true },
    spend: { thisPeriodUsd: '4210', lastPeriodUsd: '3900' },
    plan: demoPlan(),
    previousPlan: null,
    evaluationSampleSize: 200,
    anomalies: [],
    budgets: [],
    ...over,
  };
}

/** A copy of the plan's workload `slug` with fields replaced (JSON-like, as a stored digest holds it). */
function edit(plan: OrganisationPlan, changes: Record<string, Partial<WorkloadPlan>>): WorkloadPlan[] {
  return plan.workloads.map((w) => (changes[w.workload] ? { ...w, ...changes[w.workload] } : w));
}

describe('digestTitle: a human period in the org time zone', () => {
  it.each([
    ['2026-11-30T07:00:00.000Z', 'Europe/Paris', 'Week of 23 Nov 2026', 'Monday 08:00 Paris covers Mon 23 – Sun 29 Nov'],
    ['2026-11-30T00:30:00.000Z', 'America/New_York', 'Week of 22 Nov 2026', 'Sunday 19:30 in New York: the week began on Sunday 22 Nov there'],
    ['manual-2026-12-01T04:34:30.628Z', 'UTC', 'On demand, 1 Dec 2026', 'the issue’s example'],
    ['manual-2026-12-01T04:34:30.628Z', 'America/Los_Angeles', 'On demand, 30 Nov 2026', 'still 30 Nov in Los Angeles'],
    ['2026-09-07T08:00:00.000Z', 'UTC', 'Week of 31 Aug 2026', 'September keeps a three-letter month'],
    ['something-else', 'UTC', 'something-else', 'an unknown period is shown as is'],
  ])('%s in %s → %s (%s)', (period, tz, title) => expect(digestTitle(period, tz)).toBe(title));
});

describe('buildDigest: the demo-like org’s first digest', () => {
  const view = buildDigest(input());
  const md = renderDigestMarkdown(view);

  it('top 3 actions by dollars at stake: $9,000 ready, then two evaluations ($5,500 and $4,500); the $1,500 one is counted', () => {
    expect(view.topActions.map((a) => [a.workload, a.kind, a.atStakeUsd, a.owner])).toEqual([
      ['support-triage', 'self_host', '9000', 'support-ml'],
      ['doc-extraction', 'evaluate', '5500', 'platform lead'],
      ['contract-summaries', 'evaluate', '4500', 'platform lead'],
    ]);
    expect(view.topActions[0]!.nextStep).toBe('Self-host llama-3.1-8b for support-triage on 2 replicas × 1× L4 (fp8)');
    expect(view.topActions[1]!.nextStep).toBe('Run an evaluation of self-hosted llama-3.1-8b on doc-extraction (200 samples)');
    expect(view.topActions[2]!.nextStep).toBe('Run an evaluation of gpt-4o-mini on contract-summaries (200 samples)');
    expect(view.topActions[2]!.url).toBe(`${DASH}#/workloads/contract-summaries`);
    expect(view.moreActions).toBe(1);
  });

  it('the first digest is a summary of where the org stands: 11 workloads, $20,500/month potential, $9,000 ready, 3 waiting on evaluations', () => {
    expect(view.changes).toEqual({ first: true, count: 0, items: [], more: 0 });
    expect(view.standing).toMatchObject({
      workloads: 11,
      verdicts: { self_host: 1, pilot_self_host: 1, stay_closed: 9 },
      waitingOnEvaluation: 3,
      potentialMonthlySavingsUsd: '20500',
      readyMonthlySavingsUsd: '9000',
    });
    expect(view.standing.largest.map((w) => [w.workload, w.monthlySpendUsd])).toEqual([
      ['support-triage', '12000'],
      ['doc-extraction', '8000'],
      ['contract-summaries', '6000'],
    ]);
    expect(md).toContain('## Where you stand');
    expect(md).toContain('- 11 workloads planned: 9 stay, 1 pilot self-hosting, 1 self-host.');
    expect(md).not.toContain('What changed');
  });

  it('reads in a minute: under 40 lines, the top actions with dollars, owners and links, no gate detail', () => {
    const lines = md.trimEnd().split('\n');
    expect(lines.length).toBeLessThan(40);
    expect(lines[0]).toBe('# Week of 23 Nov 2026');
    expect(md).toContain('**Spend:** $4,210.00 in the last 7 days (previous 7 days $3,900.00, +7.9%).');
    expect(md).toContain(
      '1. **$9,000.00/month** — Self-host llama-3.1-8b for support-triage on 2 replicas × 1× L4 (fp8). Owner: support-ml. [support-triage](https://crossover.example.com/app/#/workloads/support-triage)',
    );
    expect(md).toContain('2. **$5,500.00/month** — Run an evaluation of self-hosted llama-3.1-8b on doc-extraction (200 samples). Owner: platform lead.');
    expect(md).toContain('3. **$4,500.00/month** — Run an evaluation of gpt-4o-mini on contract-summaries (200 samples). Owner: platform lead.');
    expect(md).toContain('1 more on the [roadmap](https://crossover.example.com/app/#/roadmap).');
    expect(md).not.toMatch(/gate|quality-evidence|Nothing to do/);
    expect(md).toContain('No spend anomaly this week; every budget is under 80% of its limit.');
  });

  it('"Nothing to do this week" only when no workload has savings and no budget is over', () => {
    const quiet = buildDigest(input({ plan: demoPlan().workloads.filter((w) => w.recommendation === 'stay_closed' && !w.pendingEvaluation) }));
    expect(quiet.topActions).toEqual([]);
    expect(renderDigestMarkdown(quiet)).toContain('Nothing to do this week');
    const overBudget = buildDigest(input({ plan: [], budgets: [{ name: 'OpenAI', window: '7d', spentUsd: '1150', limitUsd: '1000', hard: true }] }));
    expect(overBudget.topActions).toEqual([
      {
        kind: 'budget',
        workload: null,
        budget: 'OpenAI',
        nextStep: 'Decide on budget OpenAI: over its 7-day limit (hard: gateways are told to deny); raise it or cut the spend behind it',
        atStakeUsd: '150',
        atStakeUnit: 'over_limit',
        owner: 'finance',
        ownerIsTeam: false,
        url: `${DASH}#/`,
      },
    ]);
    expect(renderDigestMarkdown(overBudget)).toContain('1. **$150.00 over the limit** — Decide on budget OpenAI');
  });
});

describe('buildDigest: what changed since the previous digest', () => {
  const previous = demoPlan();
  // Since then: support-triage was a pilot (verdict change); alerts' spend +12% ($400 → $448, listed) and
  // billing-qa's +9% ($400 → $436, not listed); doc-extraction's savings -10% exactly ($5,500 → $4,950, not
  // listed: "over 10%"); support-triage's break-even 0.67 → 0.8 months (+19.4%); tagging's gates changed only.
  const before = edit(previous, {
    'support-triage': { recommendation: 'pilot_self_host', breakEvenMonths: 0.67 },
    alerts: { currentMonthlyCostUsd: new Money(400) },
    'billing-qa': { currentMonthlyCostUsd: new Money(400) },
  });
  const after = edit(previous, {
    'support-triage': { breakEvenMonths: 0.8 },
    alerts: { currentMonthlyCostUsd: new Money(448) },
    'billing-qa': { currentMonthlyCostUsd: new Money(436) },
    'doc-extraction': { monthlySavingsUsd: new Money(4950) },
    tagging: { reasons: previous.workloads.find((w) => w.workload === 'tagging')!.reasons.map((g) => ({ ...g, status: 'pass' as const })) },
  });

  it('lists verdict changes first, then moves over 10%; 9% and exactly 10% moves and gate changes are left out', () => {
    expect(planChanges(before, after, DASH)).toEqual([
      {
        workload: 'support-triage',
        url: `${DASH}#/workloads/support-triage`,
        verdict: { from: 'pilot_self_host', to: 'self_host' },
        moves: [{ metric: 'break_even', from: '0.67', to: '0.8', changePercent: 19.4 }],
      },
      { workload: 'alerts', url: `${DASH}#/workloads/alerts`, verdict: null, moves: [{ metric: 'spend', from: '400', to: '448', changePercent: 12 }] },
    ]);
  });

  it('new and removed workloads are verdict changes from / to none', () => {
    const c = planChanges(before.filter((w) => w.workload !== 'faq-bot'), after.filter((w) => w.workload !== 'tagging'), DASH);
    expect(c.filter((x) => x.verdict && (x.verdict.from === null || x.verdict.to === null)).map((x) => [x.workload, x.verdict])).toEqual([
      ['faq-bot', { from: null, to: 'stay_closed' }],
      ['tagging', { from: 'stay_closed', to: null }],
    ]);
  });

  it('the Markdown says it in one line per workload', () => {
    const md = renderDigestMarkdown(buildDigest(input({ previousPlan: before, plan: after })));
    expect(md).toContain('## What changed');
    expect(md).toContain('- [support-triage](https://crossover.example.com/app/#/workloads/support-triage): pilot self-hosting → self-host; break-even 0.67 → 0.8 months (+19.4%)');
    expect(md).toContain('- [alerts](https://crossover.example.com/app/#/workloads/alerts): spend $400.00 → $448.00/month (+12%)');
    expect(md).not.toContain('billing-qa');
    expect(md).not.toContain('Where you stand');
  });

  it('an unchanged plan says so', () => {
    const d = buildDigest(input({ previousPlan: previous, plan: previous }));
    expect(d.changes).toEqual({ first: false, count: 0, items: [], more: 0 });
    expect(renderDigestMarkdown(d)).toContain('No verdict changed and nothing moved by more than 10% since the last digest.');
  });
});

describe('the longest digest still reads in a minute', () => {
  it('30 changed workloads, 20 anomalies, 20 budgets over, data still rolling up: 36 lines, the rest counted', () => {
    const plan = demoPlan();
    const many = <T,>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));
    const base = plan.workloads[4]!;
    const before = many<WorkloadPlan>(30, (i) => ({ ...base, workload: `w${i}`, currentMonthlyCostUsd: new Money(100) }));
    const after = many<WorkloadPlan>(30, (i) => ({ ...base, workload: `w${i}`, currentMonthlyCostUsd: new Money(200) }));
    const d = buildDigest(
      input({
        dataFreshness: { complete: false, pendingRollupHours: 3 },
        previousPlan: before,
        plan: [...plan.workloads, ...after],
        anomalies: many(20, (i) => ({ day: '2026-11-28', scopeKind: 'customer', scopeValue: `c${i}`, direction: 'above', observedUsd: '500', expectedUsd: '100', lowerUsd: '50', upperUsd: '150' })),
        budgets: many(20, (i) => ({ name: `b${i}`, spentUsd: '120', limitUsd: '100' })),
      }),
    );
    expect([d.changes.count, d.changes.items.length, d.changes.more]).toEqual([41, 8, 33]);
    expect([d.anomalies.more, d.budgets.more, d.moreActions]).toEqual([17, 17, 21]);
    expect(renderDigestMarkdown(d).trimEnd().split('\n')).toHaveLength(36);
  });
});

describe('buildDigest: anomalies and budgets of the week', () => {
  const d = buildDigest(
    input({
      anomalies: [
        { day: '2026-11-27', scopeKind: 'customer', scopeValue: 'acme', direction: 'above', observedUsd: '410.5', expectedUsd: '120', lowerUsd: '80', upperUsd: '160' },
        { day: '2026-11-28', scopeKind: 'workload', scopeValue: 'assistant', direction: 'above', observedUsd: '812.4', expectedUsd: '300', lowerUsd: '250', upperUsd: '350', partialDay: true },
      ],
      budgets: [
        { name: 'All spend', window: 'month', spentUsd: '700', limitUsd: '1000' },
        { name: 'OpenAI', window: 'month', spentUsd: '950', limitUsd: '1000' },
        { name: 'Team A', window: '30d', spentUsd: '1200', limitUsd: '1000', hard: true },
      ],
    }),
  );

  it('anomalies newest first; budgets at 80% or more of their limit, fullest first; a 70% budget is not news', () => {
    expect(d.anomalies.items.map((a) => [a.day, a.scopeValue, a.url])).toEqual([
      ['2026-11-28', 'assistant', `${DASH}#/workloads/assistant`],
      ['2026-11-27', 'acme', `${DASH}#/`],
    ]);
    expect(d.budgets.items.map((b) => [b.name, b.usedPercent, b.status])).toEqual([
      ['Team A', 120, 'over'],
      ['OpenAI', 95, 'near'],
    ]);
    const md = renderDigestMarkdown(d);
    expect(md).toContain('- Anomaly: 28 Nov, workload assistant: $812.40 so far, expected $250.00–$350.00 (above)');
    expect(md).toContain('- Budget Team A (30-day, hard): $1,200.00 of $1,000.00, 120% — over');
    expect(md).toContain('- Budget OpenAI (monthly): $950.00 of $1,000.00, 95%');
  });

  it('formatUsd rounds half-even once and groups thousands', () => {
    expect([formatUsd('1234.565'), formatUsd('0.005'), formatUsd('-12.5'), formatUsd('garbage'), formatUsd('1000000')]).toEqual(['$1,234.56', '$0.00', '-$12.50', '$0.00', '$1,000,000.00']);
  });
});
