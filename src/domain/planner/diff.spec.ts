import { buildEvaluation, buildOption, buildWorkload } from '../../../test/builders/planner.js';
import { Money } from '../money.js';
import { diffPlans, topActions } from './diff.js';
import { planOrganisation } from './roadmap.js';
import type { WorkloadWithOptions } from './types.js';

const mini = buildOption({
  kind: 'cheaper_closed',
  modelId: 'gpt-4o-mini',
  provider: 'openai',
  qualityTier: 'mid',
  monthlyCostUsd: new Money(500),
  oneOffMigrationCostUsd: new Money(500),
  crossoverMonthlyTokens: undefined,
});
const bge = (cost: number) =>
  buildOption({ kind: 'managed_open', modelId: 'bge-classifier', qualityTier: 'encoder', monthlyCostUsd: new Money(cost), oneOffMigrationCostUsd: new Money(200) });

/** support-triage ($12,000 → self-host $3,000), assistant ($2,000 → gpt-4o-mini $500), faq-bot ($300 → bge). */
function org(opts: { evaluated: boolean; faqCost?: number }): WorkloadWithOptions[] {
  return [
    {
      workload: buildWorkload({ slug: 'support-triage', evaluations: opts.evaluated ? [buildEvaluation('llama-3.1-8b')] : [] }),
      options: [buildOption()],
    },
    {
      workload: buildWorkload({
        slug: 'assistant',
        monthlySpendUsd: new Money(2000),
        annotations: { taskCategory: 'chat' },
        evaluations: opts.evaluated ? [buildEvaluation('gpt-4o-mini')] : [],
      }),
      options: [mini],
    },
    {
      workload: buildWorkload({ slug: 'faq-bot', monthlySpendUsd: new Money(300), evaluations: [buildEvaluation('bge-classifier')] }),
      options: [bge(opts.faqCost ?? 120)],
    },
  ];
}

const strong = { teamMaturity: 'strong' as const };

describe('diffPlans', () => {
  const before = planOrganisation(org({ evaluated: false }), strong);
  const after = planOrganisation(org({ evaluated: true }), strong);
  const diff = diffPlans(before, after);

  it('evaluations arriving: quality-evidence newly passed for assistant and support-triage, and assistant selection fail → pass', () => {
    expect(diff.gatesNewlyPassed.map((g) => [g.workload, g.gate, g.previousStatus])).toEqual([
      ['assistant', 'selection', 'fail'],
      ['assistant', 'quality-evidence', 'fail'],
      ['support-triage', 'quality-evidence', 'fail'],
    ]);
    expect(diff.gatesNewlyPassed[2].detail).toContain('accuracy 0.93 vs 0.94 (-0.01, threshold 0.92) pass');
    expect(diff.gatesNewlyFailed).toEqual([]);
  });

  it('recommendation changes: assistant stay_closed → cheaper_closed, support-triage pilot_self_host → self_host', () => {
    expect(diff.recommendationChanges).toEqual([
      { workload: 'assistant', from: 'stay_closed', to: 'cheaper_closed' },
      { workload: 'support-triage', from: 'pilot_self_host', to: 'self_host' },
    ]);
  });

  it('savings found: assistant $0 → $1,500 (pilot savings already counted for support-triage), total delta +$1,500', () => {
    expect(diff.savingsChanges.map((s) => [s.workload, s.previousUsd.toFixed(), s.currentUsd.toFixed(), s.deltaUsd.toFixed()])).toEqual([
      ['assistant', '0', '1500', '1500'],
    ]);
    expect(diff.savingsDeltaUsd.toFixed()).toBe('1500');
  });

  it('the pending gpt-4o-mini becoming the candidate is not a new candidate', () => {
    expect(diff.newCandidates).toEqual([]);
  });

  it('a cheaper bge price ($20 → saves $280 ≥ $250) makes faq-bot a new managed_open candidate', () => {
    const d = diffPlans(after, planOrganisation(org({ evaluated: true, faqCost: 20 }), strong));
    expect(d.newCandidates).toEqual([{ workload: 'faq-bot', modelId: 'bge-classifier', kind: 'managed_open', previousModelId: null }]);
    expect(d.recommendationChanges).toEqual([{ workload: 'faq-bot', from: 'stay_closed', to: 'managed_open' }]);
    expect(d.gatesNewlyPassed.map((g) => g.gate)).toEqual(['selection', 'value']);
    expect(d.savingsDeltaUsd.toFixed()).toBe('280');
  });

  it("team maturity dropping to 'some' newly fails support-triage's team-maturity gate and demotes it to a pilot", () => {
    const d = diffPlans(after, planOrganisation(org({ evaluated: true }), { teamMaturity: 'some' }));
    expect(d.gatesNewlyFailed.map((g) => [g.workload, g.gate, g.previousStatus])).toEqual([['support-triage', 'team-maturity', 'pass']]);
    expect(d.recommendationChanges).toEqual([{ workload: 'support-triage', from: 'self_host', to: 'pilot_self_host' }]);
  });

  it('added and removed workloads: arrays of plans work too; removing support-triage loses $9,000/month', () => {
    const prev = after.workloads;
    const cur = [...after.workloads.filter((w) => w.workload !== 'support-triage'), { ...after.workloads[2], workload: 'faq-bot-2' }];
    const d = diffPlans(prev, cur);
    expect(d.addedWorkloads).toEqual(['faq-bot-2']);
    expect(d.removedWorkloads).toEqual(['support-triage']);
    expect(d.recommendationChanges).toEqual([
      { workload: 'faq-bot-2', from: null, to: 'stay_closed' },
      { workload: 'support-triage', from: 'self_host', to: null },
    ]);
    expect(d.savingsDeltaUsd.toFixed()).toBe('-9000');
  });

  it('identical plans → empty diff; null inputs → empty diff', () => {
    const same = diffPlans(after, after);
    expect([same.newCandidates, same.gatesNewlyPassed, same.recommendationChanges, same.savingsChanges]).toEqual([[], [], [], []]);
    expect(same.savingsDeltaUsd.toFixed()).toBe('0');
    expect(diffPlans(null, undefined).recommendationChanges).toEqual([]);
  });
});

describe('topActions', () => {
  /** Priorities: support-triage 9,000 × 1 × 1; assistant 1,500 × 1 × 1; doc-extraction pilot 5,500 × 0.5 × 0.5 = 1,375; faq-bot 0. */
  const plan = planOrganisation(
    [
      ...org({ evaluated: true }),
      {
        workload: buildWorkload({ slug: 'doc-extraction', monthlySpendUsd: new Money(8000), annotations: { taskCategory: 'extraction' } }),
        options: [buildOption({ monthlyCostUsd: new Money(2500), oneOffMigrationCostUsd: new Money(5000) })],
      },
    ],
    strong,
  );

  it('default n = 3: support-triage (9,000), assistant (1,500), doc-extraction (1,375), each with its first next step', () => {
    const actions = topActions(plan);
    expect(actions.map((a) => [a.workload, a.recommendation, a.priorityUsd.toFixed(), a.monthlySavingsUsd.toFixed()])).toEqual([
      ['support-triage', 'self_host', '9000', '9000'],
      ['assistant', 'cheaper_closed', '1500', '1500'],
      ['doc-extraction', 'pilot_self_host', '1375', '5500'],
    ]);
    expect(actions[0].action).toContain('Provision 2 replicas × 1× L4 (fp8) for llama-3.1-8b');
    expect(actions[2].action).toMatch(/^Run the evaluation: llama-3.1-8b \(self_host\) vs gpt-4o/);
  });

  it.each<[string, number, number]>([
    ['n = 1 → 1', 1, 1],
    ['n = 10 → 3 (faq-bot has nothing to do)', 10, 3],
    ['n = 0 → 0', 0, 0],
    ['n = 2.7 → 2', 2.7, 2],
    ['n = NaN → 0', NaN, 0],
  ])('%s', (_n, n, count) => {
    expect(topActions(plan, n)).toHaveLength(count);
  });

  it('malformed plans (no reasons, no next steps, garbage savings) do not throw', () => {
    const broken = { workload: 'x', recommendation: 'managed_open', monthlySavingsUsd: 'abc', confidence: 'weird' } as never;
    expect(topActions([broken])).toEqual([]);
    expect(diffPlans([broken], [{ ...(broken as object), reasons: 'nope' } as never]).gatesNewlyPassed).toEqual([]);
  });

  it('accepts a plain array of workload plans and tolerates null', () => {
    expect(topActions(plan.workloads, 1)[0].workload).toBe('support-triage');
    expect(topActions(null)).toEqual([]);
  });
});
