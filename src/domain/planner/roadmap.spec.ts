import { buildEvaluation, buildOption, buildWorkload } from '../../../test/builders/planner.js';
import { Money } from '../money.js';
import { monthFactor, phaseOf, planOrganisation } from './roadmap.js';
import type { OrganisationPlan, RoadmapForecast, WorkloadWithOptions } from './types.js';

/**
 * Hand-computed organisation (strong team, no growth):
 *  A support-triage   $12,000 → self_host $3,000 (one-off $6,000), evaluation passed  → phase 1, saves $9,000, high
 *  D assistant         $2,000 → cheaper_closed $500 (one-off $500), evaluation passed → phase 1, saves $1,500, high
 *  B doc-extraction    $8,000 → self_host $2,500 (one-off $5,000), no evaluation     → phase 2 pilot, saves $5,500, low
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

  it('no growth: m1 10,500 − 6,500 = 4,000; m2 10,500; m3 10,500 + 5,500 − 5,000 = 11,000; m4..12 16,000; total 169,500', () => {
    const plan = planOrganisation(org(), strong, { monthlyGrowth: 0 });
    expect(series(plan)).toEqual([
      [1, '4000', '4000'],
      [2, '10500', '14500'],
      [3, '11000', '25500'],
      [4, '16000', '41500'],
      [5, '16000', '57500'],
      [6, '16000', '73500'],
      [7, '16000', '89500'],
      [8, '16000', '105500'],
      [9, '16000', '121500'],
      [10, '16000', '137500'],
      [11, '16000', '153500'],
      [12, '16000', '169500'],
    ]);
    const m3 = plan.cumulativeSavings.months[2];
    expect(fixed([m3.phase1SavingsUsd, m3.phase2SavingsUsd, m3.oneOffCostsUsd])).toEqual(['10500', '5500', '5000']);
    // 12 × 10,500 − 6,500 + 10 × 5,500 − 5,000
    expect(plan.cumulativeSavings.totalNetSavingsUsd.toFixed()).toBe('169500');
  });

  it('10%/month org growth: m2 10,500 × 1.1 = 11,550; m3 16,000 × 1.21 − 5,000 = 14,360; cumulative 4,000 / 15,550 / 29,910', () => {
    const plan = planOrganisation(org(), strong, { monthlyGrowth: 0.1 });
    expect(series(plan).slice(0, 3)).toEqual([
      [1, '4000', '4000'],
      [2, '11550', '15550'],
      [3, '14360', '29910'],
    ]);
  });

  it('month factors [1, 2] (last repeats): m2 21,000; m3 16,000 × 2 − 5,000 = 27,000; m12 32,000', () => {
    const plan = planOrganisation(org(), strong, { monthlySpendFactors: [1, 2], monthlyGrowth: 0.5 });
    const s = series(plan);
    expect(s[1]).toEqual([2, '21000', '25000']);
    expect(s[2]).toEqual([3, '27000', '52000']);
    expect(s[11][1]).toBe('32000');
  });

  it("no forecast uses each workload's own growth: assistant +10%/month → m2 9,000 + 1,650 = 10,650; m3 9,000 + 1,815 + 5,500 − 5,000 = 11,315", () => {
    const plan = planOrganisation(org(0.1), strong);
    expect(series(plan).slice(0, 3)).toEqual([
      [1, '4000', '4000'],
      [2, '10650', '14650'],
      [3, '11315', '25965'],
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
    // months 3..12: 10 × 28,000 − 5,000
    expect(plan.cumulativeSavings.totalNetSavingsUsd.toFixed()).toBe('275000');
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
