import { buildEvaluation, buildOption, buildWorkload } from '../../../test/builders/planner.js';
import { Money } from '../money.js';
import { monthFactor, phaseOf, planOrganisation } from './roadmap.js';
import type { OrganisationPlan, RoadmapForecast, WorkloadWithOptions } from './types.js';

/**
 * Hand-computed organisation (strong team, no growth):
 *  A support-triage   $12,000 → self_host $3,000 (one-off $6,000), evaluation passed  → phase 1, saves $9,000, high
 *  D assistant         $2,000 → cheaper_closed $500 (one-off $500), evaluation passed → phase 1, saves $1,500, high
 *  B doc-extraction    $8,000 → self_host $2,500 (one-off $5,000), no evaluation     → phase 2 pilot, $5,500 at stake, low;
 *                      expected at the default 0.5 pass probability: $2,750/month, one-off $2,500
 *  C faq-bot             $300 → managed $120 saves only $180 < $250 floor            → stay closed
 */
function org(growthD = 0): WorkloadWithOptions[] {
  return [
    {
      workload: buildWorkload({ slug: 'support-triage', evaluations: [buildEvaluation('llama-3.1-8b')] }),
      options: [buildOption()],
    },
    {
      workload: buildWorkload({ slug: 'faq-bot', monthlySpendUsd: new Money(300), monthlyInputTokens: 4e6, monthlyOutputTokens: 1e6 }),
      options: [
        buildOption({
          kind: 'managed_open',
          modelId: 'bge-classifier',
          qualityTier: 'encoder',
          monthlyCostUsd: new Money(120),
          oneOffMigrationCostUsd: new Money(500),
        }),
      ],
    },
    {
      workload: buildWorkload({ slug: 'doc-extraction', monthlySpendUsd: new Money(8000), annotations: { taskCategory: 'extraction' } }),
      options: [buildOption({ monthlyCostUsd: new Money(2500), oneOffMigrationCostUsd: new Money(5000) })],
    },
    {
      workload: buildWorkload({
        slug: 'assistant',
        monthlySpendUsd: new Money(2000),
        monthlyGrowth: growthD,
        annotations: { taskCategory: 'chat' },
        evaluations: [buildEvaluation('gpt-4o-mini')],
      }),
      options: [
        buildOption({
          kind: 'cheaper_closed',
          modelId: 'gpt-4o-mini',
          provider: 'openai',
          qualityTier: 'mid',
          monthlyCostUsd: new Money(500),
          oneOffMigrationCostUsd: new Money(500),
          crossoverMonthlyTokens: undefined,
        }),
      ],
    },
  ];
}

const strong = { teamMaturity: 'strong' as const };
const fixed = (xs: Money[]) => xs.map((x) => x.toFixed());

describe('planOrganisation: phases', () => {
  const plan = planOrganisation(org(), strong, { monthlyGrowth: 0 });

  it('phase 1 = support-triage ($9,000, priority 9,000) then assistant ($1,500): $10,500/month, $6,500 one-off, month 1', () => {
    const p1 = plan.phases[0];
    expect(p1.id).toBe('phase-1');
    expect(p1.migrationMonth).toBe(1);
    expect(p1.workloads.map((w) => [w.workload, w.recommendation, w.modelId, w.monthlySavingsUsd.toFixed(), w.priorityUsd.toFixed()])).toEqual([
      ['support-triage', 'self_host', 'llama-3.1-8b', '9000', '9000'],
      ['assistant', 'cheaper_closed', 'gpt-4o-mini', '1500', '1500'],
    ]);
    expect(p1.monthlySavingsUsd.toFixed()).toBe('10500');
    expect(p1.oneOffMigrationCostUsd.toFixed()).toBe('6500');
  });

  it('phase 2 = doc-extraction pilot: $5,500/month, $5,000 one-off, priority 5,500 × 0.5 readiness × 0.5 low confidence = 1,375, month 3', () => {
    const p2 = plan.phases[1];
    expect(p2.id).toBe('phase-2');
    expect(p2.migrationMonth).toBe(3);
    expect(p2.workloads.map((w) => [w.workload, w.recommendation, w.confidence, w.priorityUsd.toFixed()])).toEqual([
      ['doc-extraction', 'pilot_self_host', 'low', '1375'],
    ]);
    expect(p2.monthlySavingsUsd.toFixed()).toBe('5500');
    expect(p2.oneOffMigrationCostUsd.toFixed()).toBe('5000');
  });

  it('stay closed = faq-bot, saving $0', () => {
    const stay = plan.phases[2];
    expect(stay.id).toBe('stay-closed');
    expect(stay.migrationMonth).toBeNull();
    expect(stay.workloads.map((w) => w.workload)).toEqual(['faq-bot']);
    expect(stay.monthlySavingsUsd.toFixed()).toBe('0');
  });

  it('keeps every workload plan in input order', () => {
    expect(plan.workloads.map((w) => w.workload)).toEqual(['support-triage', 'faq-bot', 'doc-extraction', 'assistant']);
  });
});

describe('planOrganisation: portfolio', () => {
  const { before, afterPhase1, after } = planOrganisation(org(), strong).portfolio;

  it('before: $22,300/month, all closed (100% / 0%)', () => {
    expect(fixed([before.totalMonthlySpendUsd, before.closedMonthlySpendUsd, before.openMonthlySpendUsd])).toEqual(['22300', '22300', '0']);
    expect([before.closedSharePct, before.openSharePct]).toEqual([100, 0]);
  });

  it('after phase 1: $11,800 = closed $8,800 (8,000 + 300 + 500) 74.58% + open $3,000 25.42%', () => {
    expect(fixed([afterPhase1.totalMonthlySpendUsd, afterPhase1.closedMonthlySpendUsd, afterPhase1.openMonthlySpendUsd])).toEqual([
      '11800',
      '8800',
      '3000',
    ]);
    expect([afterPhase1.closedSharePct, afterPhase1.openSharePct]).toEqual([74.58, 25.42]);
  });

  it('after both phases: $6,300 = closed $800 (300 + 500) 12.7% + open $5,500 (3,000 + 2,500) 87.3%', () => {
    expect(fixed([after.totalMonthlySpendUsd, after.closedMonthlySpendUsd, after.openMonthlySpendUsd])).toEqual(['6300', '800', '5500']);
    expect([after.closedSharePct, after.openSharePct]).toEqual([12.7, 87.3]);
  });

  it('spend already on open weights counts as open: $300 with 25% on an open model → $75 open (25%)', () => {
    const w = buildWorkload({
      slug: 'mixed',
      monthlySpendUsd: new Money(300),
      currentModels: [
        { modelId: 'gpt-4o', provider: 'openai', tier: 'frontier', shareOfSpend: 0.75 },
        { modelId: 'llama-3.1-8b', provider: 'together', tier: 'small', shareOfSpend: 0.25, openWeights: true },
      ],
    });
    const p = planOrganisation([{ workload: w, options: [] }]).portfolio.before;
    expect(fixed([p.closedMonthlySpendUsd, p.openMonthlySpendUsd])).toEqual(['225', '75']);
    expect(p.openSharePct).toBe(25);
  });
});

describe('planOrganisation: 12-month cumulative savings', () => {
  function series(plan: OrganisationPlan) {
    return plan.cumulativeSavings.months.map((m) => [m.month, m.netSavingsUsd.toFixed(), m.cumulativeNetSavingsUsd.toFixed()]);
  }

  // Phase 2 (unevaluated pilot) counts at 0.5: $5,500 × 0.5 = $2,750/month, its $5,000 one-off × 0.5 = $2,500.
  // Before issue 11 it counted at 100% (m3 11,000, total 169,500).
  it('no growth: m1 10,500 − 6,500 = 4,000; m2 10,500; m3 10,500 + 2,750 − 2,500 = 10,750; m4..12 13,250; total 144,500', () => {
    const plan = planOrganisation(org(), strong, { monthlyGrowth: 0 });
    expect(series(plan)).toEqual([
      [1, '4000', '4000'],
      [2, '10500', '14500'],
      [3, '10750', '25250'],
      [4, '13250', '38500'],
      [5, '13250', '51750'],
      [6, '13250', '65000'],
      [7, '13250', '78250'],
      [8, '13250', '91500'],
      [9, '13250', '104750'],
      [10, '13250', '118000'],
      [11, '13250', '131250'],
      [12, '13250', '144500'],
    ]);
    const m3 = plan.cumulativeSavings.months[2];
    expect(fixed([m3.phase1SavingsUsd, m3.phase2SavingsUsd, m3.phase2AtStakeUsd, m3.oneOffCostsUsd])).toEqual(['10500', '2750', '5500', '2500']);
    // 12 × 10,500 − 6,500 + 10 × 2,750 − 2,500
    expect(plan.cumulativeSavings.totalNetSavingsUsd.toFixed()).toBe('144500');
  });

  it('10%/month org growth: m2 10,500 × 1.1 = 11,550; m3 (10,500 + 2,750) × 1.21 − 2,500 = 13,532.5; cumulative 4,000 / 15,550 / 29,082.5', () => {
    const plan = planOrganisation(org(), strong, { monthlyGrowth: 0.1 });
    expect(series(plan).slice(0, 3)).toEqual([
      [1, '4000', '4000'],
      [2, '11550', '15550'],
      [3, '13532.5', '29082.5'],
    ]);
  });

  it('month factors [1, 2] (last repeats): m2 21,000; m3 (10,500 + 2,750) × 2 − 2,500 = 24,000; m12 26,500', () => {
    const plan = planOrganisation(org(), strong, { monthlySpendFactors: [1, 2], monthlyGrowth: 0.5 });
    const s = series(plan);
    expect(s[1]).toEqual([2, '21000', '25000']);
    expect(s[2]).toEqual([3, '24000', '49000']);
    expect(s[11][1]).toBe('26500');
  });

  it("no forecast uses each workload's own growth: assistant +10%/month → m2 9,000 + 1,650 = 10,650; m3 9,000 + 1,815 + 2,750 − 2,500 = 11,065", () => {
    const plan = planOrganisation(org(0.1), strong);
    expect(series(plan).slice(0, 3)).toEqual([
      [1, '4000', '4000'],
      [2, '10650', '14650'],
      [3, '11065', '25715'],
    ]);
  });

  it('phase 2 moved to month 13 falls outside the horizon: total = 12 × 10,500 − 6,500 = 119,500', () => {
    const plan = planOrganisation(org(), strong, { monthlyGrowth: 0, phase2MigrationMonth: 13 });
    expect(plan.cumulativeSavings.totalNetSavingsUsd.toFixed()).toBe('119500');
    expect(plan.phases[1].migrationMonth).toBe(13);
  });

  it('phase 1 in month 2: m1 0; m2 10,500 − 6,500 = 4,000', () => {
    const plan = planOrganisation(org(), strong, { monthlyGrowth: 0, phase1MigrationMonth: 2 });
    expect(series(plan).slice(0, 2)).toEqual([
      [1, '0', '0'],
      [2, '4000', '4000'],
    ]);
  });

  it('states its assumptions', () => {
    const plan = planOrganisation(org(), strong, { monthlyGrowth: 0.1 });
    expect(plan.assumptions[0]).toBe('Phase 1 migrates at the start of month 1, phase 2 at the start of month 3; savings accrue from that month');
    expect(plan.assumptions[2]).toContain('org-wide growth 10%/month');
  });
});

describe('planOrganisation: pending evaluations and team maturity', () => {
  it('a reasoning workload awaiting evaluation sits in phase 2 with its potential saving ($40,000 − $12,000 = $28,000)', () => {
    const plan = planOrganisation(
      [
        {
          workload: buildWorkload({ slug: 'agent', monthlySpendUsd: new Money(40000), annotations: { taskCategory: 'reasoning' } }),
          options: [
            buildOption({
              kind: 'managed_open',
              modelId: 'deepseek-v3',
              qualityTier: 'frontier',
              monthlyCostUsd: new Money(12000),
              oneOffMigrationCostUsd: new Money(5000),
            }),
          ],
        },
      ],
      strong,
      { monthlyGrowth: 0 },
    );
    expect(phaseOf(plan.workloads[0])).toBe('phase-2');
    expect(plan.phases[1].workloads[0]).toMatchObject({ workload: 'agent', recommendation: 'stay_closed', modelId: 'deepseek-v3', kind: 'managed_open' });
    expect(plan.phases[1].monthlySavingsUsd.toFixed()).toBe('28000');
    expect(plan.phases[1].expectedMonthlySavingsUsd.toFixed()).toBe('14000');
    // months 3..12 at 0.5: 10 × 14,000 − 5,000 × 0.5
    expect(plan.cumulativeSavings.totalNetSavingsUsd.toFixed()).toBe('137500');
    expect(plan.portfolio.after.openMonthlySpendUsd.toFixed()).toBe('12000');
  });

  it("team 'none': support-triage and doc-extraction stay closed (self-host only), assistant alone in phase 1", () => {
    const plan = planOrganisation(org(), { teamMaturity: 'none' });
    expect(plan.phases.map((p) => p.workloads.map((w) => w.workload))).toEqual([
      ['assistant'],
      [],
      ['doc-extraction', 'faq-bot', 'support-triage'],
    ]);
  });

  it('empty or malformed input → empty phases, zero portfolio, twelve zero months', () => {
    const plan = planOrganisation(null as never, undefined, { monthlySpendFactors: [NaN] });
    expect(plan.phases.map((p) => p.workloads.length)).toEqual([0, 0, 0]);
    expect(plan.portfolio.before.totalMonthlySpendUsd.toFixed()).toBe('0');
    expect(plan.portfolio.before.closedSharePct).toBe(0);
    expect(plan.cumulativeSavings.months).toHaveLength(12);
    expect(plan.cumulativeSavings.totalNetSavingsUsd.toFixed()).toBe('0');
  });
});

describe('monthFactor', () => {
  it.each<[string, number, RoadmapForecast | undefined, number, string]>([
    ['month 1 is today (factor 1)', 1, { monthlyGrowth: 0.1 }, 0, '1'],
    ['month 3 at 10% → 1.1² = 1.21', 3, { monthlyGrowth: 0.1 }, 0, '1.21'],
    ['forecast growth overrides the workload’s 50%', 2, { monthlyGrowth: 0 }, 0.5, '1'],
    ['no forecast → workload growth 5%: month 2 = 1.05', 2, undefined, 0.05, '1.05'],
    ['factors beat growth: [1, 1.5][1] = 1.5', 2, { monthlySpendFactors: [1, 1.5], monthlyGrowth: 9 }, 0, '1.5'],
    ['past the end the last factor repeats', 7, { monthlySpendFactors: [1, 1.5] }, 0, '1.5'],
    ['a negative factor is clamped to 0', 1, { monthlySpendFactors: [-2] }, 0, '0'],
    ['a NaN factor counts as 1', 1, { monthlySpendFactors: [NaN] }, 0, '1'],
    ['growth below −100% is clamped: month 2 = 0', 2, { monthlyGrowth: -3 }, 0, '0'],
  ])('%s', (_n, month, forecast, growth, expected) => {
    expect(monthFactor(month, forecast, growth).toFixed()).toBe(expected);
  });
});

describe('planOrganisation: unevaluated savings are weighted by the pass probability', () => {
  // $12,000/month today; a managed API at $2,000 (one-off $2,000) with no evaluation: $10,000/month at stake.
  const pending: WorkloadWithOptions[] = [
    {
      workload: buildWorkload({ slug: 'triage' }),
      options: [buildOption({ kind: 'managed_open', provider: 'Groq', monthlyCostUsd: new Money(2000), oneOffMigrationCostUsd: new Money(2000), deployment: undefined })],
    },
  ];

  it('$10,000/month at stake × 0.5 (default) = $5,000 expected; both figures shown, and the origin is stated', () => {
    const plan = planOrganisation(pending, strong, { monthlyGrowth: 0 });
    const w = plan.phases[1].workloads[0];
    expect([w.monthlySavingsUsd.toFixed(), w.expectedMonthlySavingsUsd.toFixed(), w.passProbability, w.evaluated]).toEqual(['10000', '5000', 0.5, false]);
    expect([plan.phases[1].monthlySavingsUsd.toFixed(), plan.phases[1].expectedMonthlySavingsUsd.toFixed()]).toEqual(['10000', '5000']);
    const m3 = plan.cumulativeSavings.months[2];
    // 5,000 − 2,000 × 0.5 = 4,000
    expect(fixed([m3.phase2SavingsUsd, m3.phase2AtStakeUsd, m3.netSavingsUsd])).toEqual(['5000', '10000', '4000']);
    expect(plan.assumptions.join(' ')).toContain('weighted by a 50% chance that the evaluation passes (default: an even prior');
  });

  it('evaluationPassProbability 0.8 from the org: $10,000 × 0.8 = $8,000 expected', () => {
    const plan = planOrganisation(pending, { ...strong, evaluationPassProbability: 0.8 }, { monthlyGrowth: 0 });
    expect(plan.phases[1].expectedMonthlySavingsUsd.toFixed()).toBe('8000');
    expect(plan.assumptions.join(' ')).toContain("80% chance that the evaluation passes (the organisation's planner.evaluationPassProbability)");
  });

  it('a phase-1 migration (evaluation passed) counts at 100%: support-triage $9,000 expected = at stake', () => {
    const plan = planOrganisation(org(), strong, { monthlyGrowth: 0 });
    const w = plan.phases[0].workloads[0];
    expect([w.workload, w.evaluated, w.passProbability, w.expectedMonthlySavingsUsd.toFixed()]).toEqual(['support-triage', true, 1, '9000']);
  });
});
