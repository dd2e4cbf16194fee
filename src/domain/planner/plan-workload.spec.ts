import { buildEvaluation, buildOption, buildWorkload } from '../../../test/builders/planner.js';
import { Money } from '../money.js';
import { mulberry32 } from '../random.js';
import { planWorkload } from './plan-workload.js';
import type {
  CandidateOption,
  DataSensitivity,
  GateName,
  PlannerSettingsInput,
  QualityRequirement,
  QualityTier,
  TaskCategory,
  WorkloadPlan,
} from './types.js';

const strong: PlannerSettingsInput = { teamMaturity: 'strong' };
const some: PlannerSettingsInput = { teamMaturity: 'some' };
const none: PlannerSettingsInput = { teamMaturity: 'none' };

/** Self-hosted llama-3.1-8b: $3,000/month, $6,000 one-off → saves $9,000 of $12,000, pays back in 0.67 months. */
const selfHost = buildOption();
/** Managed small encoder: $4,000/month, $2,000 one-off → saves $8,000, pays back in 0.25 months. */
const managedEncoder = buildOption({
  kind: 'managed_open',
  modelId: 'bge-classifier',
  provider: 'together',
  qualityTier: 'encoder',
  monthlyCostUsd: new Money(4000),
  oneOffMigrationCostUsd: new Money(2000),
  deployment: undefined,
  expectedP95LatencyMs: 200,
  crossoverMonthlyTokens: undefined,
});
const passSelf = buildEvaluation('llama-3.1-8b');
const passManaged = buildEvaluation('bge-classifier');

function gate(plan: WorkloadPlan, name: GateName) {
  const g = plan.reasons.find((r) => r.gate === name);
  if (!g) throw new Error(`gate ${name} missing`);
  return g;
}

describe('planWorkload: high-volume classification ($12,000/month, 2.1B tokens, cv 0.2)', () => {
  it('passing evaluation + strong team → self_host llama-3.1-8b: $3,000 projected, $9,000 saved, pays back in 0.67 months, high confidence', () => {
    const plan = planWorkload(buildWorkload({ evaluations: [passSelf, passManaged] }), [selfHost, managedEncoder], strong);
    expect(plan.recommendation).toBe('self_host');
    expect(plan.candidate).toEqual({
      modelId: 'llama-3.1-8b',
      kind: 'self_host',
      qualityTier: 'small',
      // 2 replicas × 1 GPU = a 2-GPU fleet; gpusPerReplica is filled for the text.
      deployment: { gpu: 'L4', gpuCount: 2, gpusPerReplica: 1, precision: 'fp8', replicas: 2 },
    });
    expect(plan.currentMonthlyCostUsd.toFixed()).toBe('12000');
    expect(plan.projectedMonthlyCostUsd.toFixed()).toBe('3000');
    expect(plan.monthlySavingsUsd.toFixed()).toBe('9000');
    expect(plan.oneOffMigrationCostUsd.toFixed()).toBe('6000');
    expect(plan.breakEvenMonths).toBe(0.67);
    expect(plan.confidence).toBe('high');
    expect(plan.pendingEvaluation).toBeNull();
    expect(plan.reasons.map((r) => r.gate)).toEqual([
      'selection',
      'task-fit',
      'value',
      'quality-evidence',
      'volume',
      'latency',
      'team-maturity',
      'data-control',
      'customisation',
    ]);
    expect(plan.reasons.every((r) => r.status !== 'fail')).toBe(true);
    expect(gate(plan, 'value').detail).toBe(
      'saves $9000.00/month ($12000.00 now − $3000.00); self-host floor $1000.00/month met; one-off $6000.00 pays back in 0.67 months (max 12)',
    );
    expect(gate(plan, 'volume').detail).toContain('volume 2.1B tokens/month ≥ crossover 500M tokens/month (4.2×)');
    expect(gate(plan, 'quality-evidence').detail).toContain('accuracy 0.93 vs 0.94 (-0.01, threshold 0.92) pass');
    expect(plan.nextSteps[0]).toContain('Provision 2 replicas × 1× L4 (fp8) for llama-3.1-8b');
    expect(plan.risks[0]).toContain('Self-hosting llama-3.1-8b');
  });

  it("team 'none' → the small encoder via a managed API instead: managed_open bge-classifier saving $8,000", () => {
    const plan = planWorkload(buildWorkload({ evaluations: [passSelf, passManaged] }), [selfHost, managedEncoder], none);
    expect(plan.recommendation).toBe('managed_open');
    expect(plan.candidate).toEqual({ modelId: 'bge-classifier', kind: 'managed_open', provider: 'together', qualityTier: 'encoder' });
    expect(plan.monthlySavingsUsd.toFixed()).toBe('8000');
    expect(plan.breakEvenMonths).toBe(0.25);
    expect(gate(plan, 'selection').detail).toContain('llama-3.1-8b (self_host) by team-maturity');
    expect(plan.optionsConsidered.find((o) => o.kind === 'self_host')?.excludedBy).toEqual(['team-maturity']);
  });

  it("team 'some' → a ready managed_open ($8,000) beats a self-host pilot ($9,000); the $1,000 upside is a next step", () => {
    const plan = planWorkload(buildWorkload({ evaluations: [passSelf, passManaged] }), [selfHost, managedEncoder], some);
    expect(plan.recommendation).toBe('managed_open');
    expect(plan.nextSteps).toContain(
      "Upside: llama-3.1-8b (self_host) would save $9000.00/month ($1000.00 more) once unblocked: team maturity 'some'",
    );
  });

  it("team 'some' with only the self-host option → pilot_self_host; team gate fails, evidence keeps confidence high", () => {
    const plan = planWorkload(buildWorkload({ evaluations: [passSelf] }), [selfHost], some);
    expect(plan.recommendation).toBe('pilot_self_host');
    expect(plan.candidate?.kind).toBe('self_host');
    expect(plan.monthlySavingsUsd.toFixed()).toBe('9000');
    expect(gate(plan, 'team-maturity')).toEqual({
      gate: 'team-maturity',
      status: 'fail',
      detail: "team maturity 'some': self-hosting limited to a pilot",
    });
    expect(plan.confidence).toBe('high');
    expect(plan.nextSteps).toContain("Graduate to self_host once the team can own GPU serving in production (teamMaturity 'strong')");
    expect(gate(plan, 'selection').detail).toContain("pilot of llama-3.1-8b (self_host), held at pilot by team maturity 'some'");
  });

  it('a pilot also names a larger saving still awaiting evaluation: managed bge at $2,000 would save $10,000 ($1,000 more)', () => {
    const cheapManaged = { ...managedEncoder, monthlyCostUsd: new Money(2000) };
    const plan = planWorkload(buildWorkload({ evaluations: [passSelf] }), [selfHost, cheapManaged], some);
    expect(plan.recommendation).toBe('pilot_self_host');
    expect(plan.nextSteps).toContain(
      'Upside: bge-classifier via together (managed_open) would save $10000.00/month ($1000.00 more) once unblocked: no passing evaluation',
    );
  });

  it('no evaluation → pilot_self_host with "Run the evaluation" first, quality gate failed, low confidence', () => {
    const plan = planWorkload(buildWorkload(), [selfHost, managedEncoder], strong);
    expect(plan.recommendation).toBe('pilot_self_host');
    expect(plan.candidate?.modelId).toBe('llama-3.1-8b');
    expect(plan.monthlySavingsUsd.toFixed()).toBe('9000');
    expect(plan.nextSteps[0]).toBe(
      "Run the evaluation: llama-3.1-8b (self_host) vs gpt-4o on ≥200 of this workload's samples, measuring accuracy (passes when each is within 0.02 of the baseline)",
    );
    expect(gate(plan, 'quality-evidence')).toMatchObject({ status: 'fail', detail: 'no evaluation of llama-3.1-8b on this workload' });
    expect(plan.confidence).toBe('low');
    expect(plan.risks).toContain('Savings of $9000.00/month are unproven until the evaluation passes');
  });

  it('inconclusive evaluation (150 < 200 samples) → still a pilot, next step says what was missing', () => {
    const plan = planWorkload(buildWorkload({ evaluations: [buildEvaluation('llama-3.1-8b', { sampleSize: 150 })] }), [selfHost], strong);
    expect(plan.recommendation).toBe('pilot_self_host');
    expect(plan.nextSteps[0]).toContain('Run the evaluation');
    expect(plan.nextSteps[0]).toContain('the last one was inconclusive: sample size 150 < 200');
  });

  it("'best-available' classification raises the band to small..mid: the unevaluated encoder is excluded by task-fit", () => {
    const plan = planWorkload(
      buildWorkload({ annotations: { qualityRequirement: 'best-available' }, evaluations: [passSelf] }),
      [selfHost, managedEncoder],
      none,
    );
    expect(plan.recommendation).toBe('stay_closed');
    expect(plan.optionsConsidered.find((o) => o.modelId === 'bge-classifier')?.excludedBy).toEqual(['task-fit']);
    expect(plan.nextSteps[0]).toContain("Self-hosting llama-3.1-8b would save $9000.00/month but needs a team that can run GPU serving (teamMaturity 'none')");
  });
});

describe('planWorkload: value', () => {
  const small = buildWorkload({ slug: 'faq-bot', monthlySpendUsd: new Money(300), monthlyInputTokens: 4_000_000, monthlyOutputTokens: 1_000_000 });
  const managed = (cost: number) =>
    buildOption({ ...managedEncoder, monthlyCostUsd: new Money(cost), oneOffMigrationCostUsd: new Money(500), modelId: 'bge-classifier' });
  const evals = [passManaged, passSelf];

  it.each<[string, CandidateOption[]]>([
    ['managed at $120 saves $180 < $250 floor; self-host at $3,000 costs $2,700 more', [managed(120), selfHost]],
    ['managed at $60 saves $240 < $250 floor', [managed(60)]],
    ['self-host at $50 saves $250 < $1,000 self-host floor', [buildOption({ monthlyCostUsd: new Money(50), crossoverMonthlyTokens: undefined })]],
  ])('$300/month workload stays closed: %s', (_name, options) => {
    const plan = planWorkload({ ...small, evaluations: evals }, options, strong);
    expect(plan.recommendation).toBe('stay_closed');
    expect(plan.candidate).toBeNull();
    expect(plan.pendingEvaluation).toBeNull();
    expect(plan.projectedMonthlyCostUsd.toFixed()).toBe('300');
    expect(plan.monthlySavingsUsd.toFixed()).toBe('0');
    expect(plan.breakEvenMonths).toBeNull();
    expect(plan.confidence).toBe('high');
    expect(gate(plan, 'value').status).toBe('fail');
    expect(gate(plan, 'selection').status).toBe('fail');
    expect(plan.nextSteps[0]).toMatch(/^Stay closed: the best option, .*, saves \$\d+\.\d\d\/month against a \$(250|1000)\.00\/month floor/);
  });

  it('the $120 case explains the numbers: saves $180.00/month, managed floor $250.00 not met', () => {
    const plan = planWorkload({ ...small, evaluations: evals }, [managed(120), selfHost], strong);
    expect(gate(plan, 'value').detail).toBe(
      'saves $180.00/month ($300.00 now − $120.00); managed floor $250.00/month not met; one-off $500.00 pays back in 2.78 months (max 12)',
    );
  });

  it('self-host costing $3,000 on a $300 workload: "costs $2700.00/month more"', () => {
    const plan = planWorkload({ ...small, evaluations: evals }, [selfHost], strong);
    expect(gate(plan, 'value').detail).toContain('costs $2700.00/month more ($3000.00 vs $300.00 now)');
    expect(plan.nextSteps[0]).toBe(
      'Stay closed: the best option, llama-3.1-8b (self_host), saves nothing (costs $2700.00/month more) against a $1000.00/month floor and 12-month payback limit; revisit when spend grows',
    );
  });

  it('$9,000/month savings with a $120,000 one-off pays back in 13.33 > 12 months → value fails, stays closed', () => {
    const plan = planWorkload(
      buildWorkload({ evaluations: [passSelf] }),
      [buildOption({ oneOffMigrationCostUsd: new Money(120000) })],
      strong,
    );
    expect(plan.recommendation).toBe('stay_closed');
    expect(gate(plan, 'value').detail).toContain('pays back in 13.33 months (max 12)');
  });

  it('a custom managed floor of $5,000 turns an $8,000 saving into a pass and a $4,000 one into a fail', () => {
    const w = buildWorkload({ evaluations: [passManaged] });
    expect(planWorkload(w, [managedEncoder], { managedSavingsFloorUsd: 5000 }).recommendation).toBe('managed_open');
    expect(
      planWorkload(w, [{ ...managedEncoder, monthlyCostUsd: new Money(8000) }], { managedSavingsFloorUsd: '5000' }).recommendation,
    ).toBe('stay_closed');
  });
});

describe('planWorkload: team maturity (property)', () => {
  const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const categories: TaskCategory[] = ['classification', 'extraction', 'summarisation', 'chat', 'code', 'reasoning', 'embedding', 'other'];
  const requirements: (QualityRequirement | undefined)[] = ['best-available', 'high', 'good-enough', undefined];
  const tiers: QualityTier[] = ['encoder', 'small', 'mid', 'large', 'frontier'];
  const sensitivities: DataSensitivity[] = ['public', 'internal', 'confidential', 'regulated'];

  it("500 random workloads × options: team 'none' never yields self_host or pilot_self_host, nor a self-host candidate", () => {
    const r = mulberry32(42);
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const spend = Math.round(r() * 100000);
      const options: CandidateOption[] = Array.from({ length: 1 + Math.floor(r() * 4) }, (_, j) => ({
        kind: pick(r, ['self_host', 'self_host', 'managed_open', 'cheaper_closed'] as const),
        modelId: `m${j}`,
        qualityTier: pick(r, tiers),
        monthlyCostUsd: new Money(Math.round(r() * spend)),
        oneOffMigrationCostUsd: new Money(Math.round(r() * 5000)),
        expectedP95LatencyMs: r() < 0.5 ? Math.round(r() * 2000) : undefined,
        crossoverMonthlyTokens: pick(r, [undefined, null, 1e6, 1e9]),
      }));
      const plan = planWorkload(
        buildWorkload({
          monthlySpendUsd: new Money(spend),
          volumeStability: r(),
          annotations: {
            taskCategory: pick(r, categories),
            qualityRequirement: pick(r, requirements),
            dataSensitivity: pick(r, sensitivities),
            residency: r() < 0.3 ? ['eu'] : undefined,
            needsCustomisation: r() < 0.5,
            latencyTargetP95Ms: r() < 0.5 ? 800 : undefined,
          },
          evaluations: options.filter(() => r() < 0.6).map((o) => buildEvaluation(o.modelId, { sampleSize: pick(r, [100, 500]) })),
        }),
        options,
        none,
      );
      seen.add(plan.recommendation);
      expect(['stay_closed', 'managed_open', 'cheaper_closed']).toContain(plan.recommendation);
      expect(plan.candidate?.kind).not.toBe('self_host');
      expect(plan.pendingEvaluation?.kind).not.toBe('self_host');
    }
    // the generator is rich enough to reach every allowed outcome
    expect([...seen].sort()).toEqual(['cheaper_closed', 'managed_open', 'stay_closed']);
  });
});

describe('planWorkload: reasoning ($40,000/month, frontier only)', () => {
  const reasoning = buildWorkload({ slug: 'agent-planner', monthlySpendUsd: new Money(40000), annotations: { taskCategory: 'reasoning' } });
  const selfV3 = buildOption({
    modelId: 'deepseek-v3',
    qualityTier: 'frontier',
    monthlyCostUsd: new Money(15000),
    oneOffMigrationCostUsd: new Money(30000),
    deployment: { gpu: 'H200', gpuCount: 8, precision: 'fp8', replicas: 1 },
    crossoverMonthlyTokens: 1_000_000_000,
  });
  const managedV3 = buildOption({
    kind: 'managed_open',
    modelId: 'deepseek-v3',
    provider: 'fireworks',
    qualityTier: 'frontier',
    monthlyCostUsd: new Money(12000),
    oneOffMigrationCostUsd: new Money(5000),
    deployment: undefined,
    crossoverMonthlyTokens: undefined,
  });

  it('without evidence stays closed (no pilot for frontier-class tasks); managed deepseek-v3 awaits evaluation with $28,000/month potential', () => {
    const plan = planWorkload(reasoning, [selfV3, managedV3, selfHost], strong);
    expect(plan.recommendation).toBe('stay_closed');
    expect(plan.candidate).toBeNull();
    expect(plan.pendingEvaluation).toMatchObject({ modelId: 'deepseek-v3', kind: 'managed_open' });
    expect(plan.pendingEvaluation?.monthlySavingsUsd.toFixed()).toBe('28000');
    expect(plan.monthlySavingsUsd.toFixed()).toBe('0');
    expect(plan.confidence).toBe('low');
    expect(plan.nextSteps[0]).toMatch(/^Run the evaluation: deepseek-v3 via fireworks \(managed_open\) vs gpt-4o/);
    expect(plan.nextSteps[1]).toBe('Stay on gpt-4o until the evaluation passes; deepseek-v3 via fireworks (managed_open) would then save $28000.00/month');
    expect(plan.optionsConsidered.find((o) => o.modelId === 'llama-3.1-8b')?.excludedBy).toContain('task-fit');
  });

  it('with only the self-host option and no evidence: stays closed, selection says no pilot without evidence for a frontier-class task', () => {
    const plan = planWorkload(reasoning, [selfV3], strong);
    expect(plan.recommendation).toBe('stay_closed');
    expect(plan.pendingEvaluation?.kind).toBe('self_host');
    expect(gate(plan, 'selection').detail).toContain('no pilot without evidence for a frontier-class task');
  });

  it('with a passing evaluation of deepseek-v3 → managed_open (cheapest ready), saving $28,000, paying back in 0.18 months', () => {
    const plan = planWorkload({ ...reasoning, evaluations: [buildEvaluation('deepseek-v3')] }, [selfV3, managedV3], strong);
    expect(plan.recommendation).toBe('managed_open');
    expect(plan.monthlySavingsUsd.toFixed()).toBe('28000');
    expect(plan.breakEvenMonths).toBe(0.18);
  });
});

describe('planWorkload: data sensitivity and residency', () => {
  const cheapManaged = { ...managedEncoder, monthlyCostUsd: new Money(2000) }; // saves $10,000 vs self-host's $9,000
  const evals = [passSelf, passManaged];

  it('regulated + eu, strong team: self_host ($9,000) preferred over a cheaper managed API ($10,000); reasons cite full data control in eu', () => {
    const plan = planWorkload(
      buildWorkload({ annotations: { dataSensitivity: 'regulated', residency: ['eu'] }, evaluations: evals }),
      [cheapManaged, selfHost],
      strong,
    );
    expect(plan.recommendation).toBe('self_host');
    expect(gate(plan, 'data-control')).toEqual({
      gate: 'data-control',
      status: 'pass',
      detail:
        'full data control: self-hosting keeps regulated data on your own cloud account, deployed in eu (confirm GPU availability there); no new third-party processor',
    });
    // The managed API is excluded outright (unapproved processor, no sourced eu regions), so no preference is needed.
    expect(plan.optionsConsidered.find((o) => o.kind === 'managed_open')?.excludedBy).toEqual(['data-control']);
  });

  it("regulated + eu, team 'none': the managed API is blocked (not approved, no proven eu processing) → stay closed, not a risk note", () => {
    const plan = planWorkload(
      buildWorkload({ annotations: { dataSensitivity: 'regulated', residency: ['eu'] }, evaluations: evals }),
      [cheapManaged, selfHost],
      none,
    );
    expect(plan.recommendation).toBe('stay_closed');
    const managed = plan.optionsConsidered.find((o) => o.kind === 'managed_open');
    expect(managed?.excludedBy).toEqual(['data-control']);
    expect(plan.nextSteps.join(' | ')).toContain('Regulated data: together is not an approved processor');
  });

  it('regulated, provider not in approvedProcessors → blocked; approving it (any case) lets the evaluated option through', () => {
    const w = buildWorkload({ annotations: { dataSensitivity: 'regulated' }, evaluations: evals });
    const blocked = planWorkload(w, [cheapManaged], none);
    expect(blocked.recommendation).toBe('stay_closed');
    expect(gate(blocked, 'data-control')).toMatchObject({ status: 'fail' });
    expect(gate(blocked, 'data-control').detail).toContain('regulated data: together is not in approvedProcessors (none approved)');
    const approved = planWorkload(w, [cheapManaged], { ...none, approvedProcessors: ['Together'] });
    expect(approved.recommendation).toBe('managed_open');
    expect(gate(approved, 'data-control').detail).toContain('together is an approved processor for regulated data');
    expect(approved.risks[0]).toContain('Regulated data would be processed by together (an approved processor)');
  });

  it('regulated with no provider named: never proven approved → blocked', () => {
    const plan = planWorkload(buildWorkload({ annotations: { dataSensitivity: 'regulated' }, evaluations: evals }), [{ ...cheapManaged, provider: undefined }], {
      ...none,
      approvedProcessors: ['together'],
    });
    expect(plan.optionsConsidered[0].excludedBy).toEqual(['data-control']);
  });

  // Regions as the adapter reads them from provider-regions.json.
  const usOnly = { provider: 'Groq', regions: ['us'], conditions: null, sourceIds: ['groq_x'] };
  const usEu = { provider: 'OpenAI', regions: ['us', 'eu'], conditions: 'EU projects only', sourceIds: ['openai_y'] };

  it('regulated EU workload, only a US managed provider (approved even): blocked with the region reason; self-host allowed', () => {
    const plan = planWorkload(
      buildWorkload({ annotations: { dataSensitivity: 'regulated', dataResidency: 'eu' }, evaluations: evals }),
      [{ ...cheapManaged, provider: 'Groq', providerRegions: usOnly }, selfHost],
      { ...strong, approvedProcessors: ['groq'] },
    );
    expect(plan.recommendation).toBe('self_host');
    const managed = plan.optionsConsidered.find((o) => o.kind === 'managed_open');
    expect(managed?.excludedBy).toEqual(['data-control']);
    expect(gate(plan, 'data-control').status).toBe('pass'); // the chosen self-host's gate
  });

  it('internal data, dataResidency eu: a provider with sourced eu processing passes; one without sourced regions is excluded', () => {
    const w = buildWorkload({ annotations: { dataSensitivity: 'internal', dataResidency: 'eu' }, evaluations: evals });
    const inRegion = planWorkload(w, [{ ...cheapManaged, provider: 'OpenAI', providerRegions: usEu }], none);
    expect(inRegion.recommendation).toBe('managed_open');
    expect(gate(inRegion, 'data-control').detail).toContain('OpenAI can process in eu (EU projects only) [openai_y]');
    expect(inRegion.risks).toContain('Residency (eu): enable eu processing for bge-classifier at OpenAI (EU projects only)');
    const unknown = planWorkload(w, [cheapManaged], none);
    expect(unknown.recommendation).toBe('stay_closed');
    expect(unknown.reasons.find((r) => r.gate === 'data-control')?.detail).toContain('together has no sourced processing regions: eu processing is not proven');
  });

  it("dataResidency 'any' lifts the older residency array; dataResidency wins over it", () => {
    const anyPlan = planWorkload(buildWorkload({ annotations: { dataSensitivity: 'internal', dataResidency: 'any', residency: ['eu'] }, evaluations: evals }), [cheapManaged], none);
    expect(gate(anyPlan, 'data-control').status).toBe('n/a');
    const usPlan = planWorkload(
      buildWorkload({ annotations: { dataSensitivity: 'internal', dataResidency: 'us', residency: ['eu'] }, evaluations: evals }),
      [{ ...cheapManaged, provider: 'Groq', providerRegions: usOnly }],
      none,
    );
    expect(usPlan.recommendation).toBe('managed_open');
  });

  it.each<[string, string | undefined, boolean]>([
    ['a new processor (together) → retention risk', 'together', true],
    ['the same provider as today (openai) → no new-processor risk', 'openai', false],
  ])('confidential data via %s', (_n, provider, expectRisk) => {
    const plan = planWorkload(buildWorkload({ annotations: { dataSensitivity: 'confidential' }, evaluations: evals }), [{ ...cheapManaged, provider }], none);
    expect(plan.risks.some((r) => r.startsWith('Confidential data goes to a new processor'))).toBe(expectRisk);
    expect(gate(plan, 'data-control').status).toBe('pass');
  });

  it('public data: data-control gate is n/a', () => {
    const plan = planWorkload(buildWorkload({ annotations: { dataSensitivity: 'public' }, evaluations: evals }), [cheapManaged], none);
    expect(gate(plan, 'data-control')).toMatchObject({ status: 'n/a', detail: "data sensitivity 'public', no residency requirement" });
  });

  it("regulated, team 'none', only a self-host option: stays closed and says self-hosting would also give full data control", () => {
    const plan = planWorkload(buildWorkload({ annotations: { dataSensitivity: 'regulated' }, evaluations: evals }), [selfHost], none);
    expect(plan.recommendation).toBe('stay_closed');
    expect(plan.nextSteps[0]).toContain('it would also give full data control');
  });
});

describe('planWorkload: cheaper closed and failing evaluations (chat, $5,000/month on gpt-4o)', () => {
  const chat = buildWorkload({ slug: 'assistant', monthlySpendUsd: new Money(5000), annotations: { taskCategory: 'chat' } });
  const mini = buildOption({
    kind: 'cheaper_closed',
    modelId: 'gpt-4o-mini',
    provider: 'openai',
    qualityTier: 'mid',
    monthlyCostUsd: new Money(600),
    oneOffMigrationCostUsd: new Money(400),
    deployment: undefined,
    crossoverMonthlyTokens: undefined,
  });
  const llama70 = buildOption({
    kind: 'managed_open',
    modelId: 'llama-3.3-70b',
    provider: 'together',
    qualityTier: 'large',
    monthlyCostUsd: new Money(900),
    oneOffMigrationCostUsd: new Money(1500),
    deployment: undefined,
    crossoverMonthlyTokens: undefined,
  });
  const fail = (model: string) => buildEvaluation(model, { metrics: { candidate: { accuracy: 0.85 }, baseline: { accuracy: 0.94 } } });

  it('gpt-4o-mini passes its evaluation → cheaper_closed: $600 projected, $4,400 saved, pays back in 0.09 months', () => {
    const plan = planWorkload({ ...chat, evaluations: [buildEvaluation('gpt-4o-mini')] }, [mini, llama70], none);
    expect(plan.recommendation).toBe('cheaper_closed');
    expect(plan.candidate).toEqual({ modelId: 'gpt-4o-mini', kind: 'cheaper_closed', provider: 'openai', qualityTier: 'mid' });
    expect(plan.monthlySavingsUsd.toFixed()).toBe('4400');
    expect(plan.breakEvenMonths).toBe(0.09);
    expect(plan.confidence).toBe('high');
    expect(plan.nextSteps[0]).toBe('Switch the model to gpt-4o-mini (openai); monitor accuracy for two weeks');
    expect(gate(plan, 'team-maturity').detail).toBe("closed API: no serving team needed (team maturity 'none')");
  });

  it('no evaluations → stays closed with gpt-4o-mini (cheapest) pending; reasons show the failing quality gate', () => {
    const plan = planWorkload(chat, [mini, llama70], none);
    expect(plan.recommendation).toBe('stay_closed');
    expect(plan.pendingEvaluation?.modelId).toBe('gpt-4o-mini');
    expect(gate(plan, 'quality-evidence').status).toBe('fail');
  });

  it('gpt-4o-mini fails (0.85 vs 0.94, threshold 0.92) → excluded; llama-3.3-70b passes → managed_open saving $4,100', () => {
    const plan = planWorkload({ ...chat, evaluations: [fail('gpt-4o-mini'), buildEvaluation('llama-3.3-70b')] }, [mini, llama70], none);
    expect(plan.recommendation).toBe('managed_open');
    expect(plan.candidate?.modelId).toBe('llama-3.3-70b');
    expect(plan.monthlySavingsUsd.toFixed()).toBe('4100');
    expect(plan.optionsConsidered.find((o) => o.modelId === 'gpt-4o-mini')).toMatchObject({
      evidence: 'failed',
      ceiling: null,
      excludedBy: ['quality-evidence'],
    });
    expect(gate(plan, 'selection').detail).toContain('gpt-4o-mini via openai (cheaper_closed) by quality-evidence');
  });

  it('a failed evaluation outranks an earlier pass and excludes the only option → stay closed, next step suggests a larger tier', () => {
    const older = buildEvaluation('gpt-4o-mini', { createdAt: '2025-06-01' });
    const plan = planWorkload({ ...chat, evaluations: [older, fail('gpt-4o-mini')] }, [mini], none);
    expect(plan.recommendation).toBe('stay_closed');
    expect(plan.pendingEvaluation).toBeNull();
    expect(gate(plan, 'quality-evidence').detail).toContain('accuracy 0.85 vs 0.94 (-0.09, threshold 0.92) FAIL');
    expect(plan.nextSteps).toContain('gpt-4o-mini failed its evaluation: consider a larger tier or fine-tuning before re-evaluating');
  });

  it('customisation need: managed llama-3.3-70b ($900) preferred over cheaper gpt-4o-mini ($600), both passing', () => {
    const plan = planWorkload(
      { ...chat, annotations: { ...chat.annotations, needsCustomisation: true }, evaluations: [buildEvaluation('gpt-4o-mini'), buildEvaluation('llama-3.3-70b')] },
      [mini, llama70],
      none,
    );
    expect(plan.recommendation).toBe('managed_open');
    expect(gate(plan, 'customisation')).toMatchObject({ status: 'pass' });
    expect(gate(plan, 'selection').detail).toContain('because customisation favours open weights');
  });

  it('customisation need with only the closed option: cheaper_closed still, customisation n/a plus a risk', () => {
    const plan = planWorkload(
      { ...chat, annotations: { ...chat.annotations, needsCustomisation: true }, evaluations: [buildEvaluation('gpt-4o-mini')] },
      [mini],
      none,
    );
    expect(plan.recommendation).toBe('cheaper_closed');
    expect(gate(plan, 'customisation').status).toBe('n/a');
    expect(plan.risks).toContain('A closed model limits customisation (needsCustomisation): keep open-weight options on the table');
  });
});

describe('planWorkload: volume and confidence', () => {
  it.each<[string, number, string]>([
    ['cv 0.2 ≤ 0.5 → high', 0.2, 'high'],
    ['cv 0.5 (= max) → high', 0.5, 'high'],
    ['cv 0.8 > 0.5 → medium', 0.8, 'medium'],
    ['cv unknown (NaN) → medium', NaN, 'medium'],
  ])('managed_open with a passing evaluation, %s', (_n, cv, confidence) => {
    const plan = planWorkload(buildWorkload({ volumeStability: cv, evaluations: [passManaged] }), [managedEncoder], none);
    expect(plan.recommendation).toBe('managed_open');
    expect(plan.confidence).toBe(confidence);
  });

  it('unstable volume (cv 0.8) caps self-hosting at a pilot: volume gate fails, confidence medium, sizing step added', () => {
    const plan = planWorkload(buildWorkload({ volumeStability: 0.8, evaluations: [passSelf] }), [selfHost], strong);
    expect(plan.recommendation).toBe('pilot_self_host');
    expect(plan.confidence).toBe('medium');
    expect(gate(plan, 'volume')).toMatchObject({ status: 'fail' });
    expect(gate(plan, 'volume').detail).toContain('daily volume cv 0.8 > 0.5 (unstable): GPU capacity must be sized for peaks');
    expect(plan.nextSteps).toContain('Size replicas for peak daily volume or smooth load (batching, queueing) before committing: cv 0.8 > 0.5');
    expect(plan.risks).toContain('Daily volume varies (cv 0.8 > 0.5): fixed GPU capacity idles off-peak or saturates at peak');
  });

  it('unstable volume and no evaluation → pilot at low confidence (low cannot go lower)', () => {
    const plan = planWorkload(buildWorkload({ volumeStability: 0.8 }), [selfHost], strong);
    expect(plan.recommendation).toBe('pilot_self_host');
    expect(plan.confidence).toBe('low');
  });

  it('2.1B tokens vs a 2B crossover is a thin 1.05× margin → self_host at medium confidence', () => {
    const plan = planWorkload(buildWorkload({ evaluations: [passSelf] }), [buildOption({ crossoverMonthlyTokens: 2e9 })], strong);
    expect(plan.recommendation).toBe('self_host');
    expect(plan.confidence).toBe('medium');
    expect(gate(plan, 'volume').detail).toContain('(1.05×, thin margin)');
  });

  it('2.1B tokens below a 3B crossover at 10%/month growth → excluded; revisit in ~4 months (ln(3/2.1)/ln(1.1) = 3.74)', () => {
    const plan = planWorkload(
      buildWorkload({ monthlyGrowth: 0.1, evaluations: [passSelf] }),
      [buildOption({ crossoverMonthlyTokens: 3e9 })],
      strong,
    );
    expect(plan.recommendation).toBe('stay_closed');
    expect(gate(plan, 'volume').detail).toContain(
      'volume 2.1B tokens/month below the crossover 3B tokens/month (reached in ~4 months at 10%/month growth)',
    );
    expect(plan.nextSteps).toContain('Revisit llama-3.1-8b self-hosting in ~4 months, when growth lifts volume past the crossover');
  });

  it("crossover status 'never_below_max' → excluded by volume, with the range searched", () => {
    const never = buildOption({ crossover: { vsCurrent: { status: 'never_below_max', monthlyTokens: null, against: 'gpt-4o', searchedMaxTokens: 1e13 }, vsManagedOpen: null } });
    const plan = planWorkload(buildWorkload({ evaluations: [passSelf] }), [never], strong);
    expect(plan.optionsConsidered[0].excludedBy).toEqual(['volume']);
    expect(gate(plan, 'volume').detail).toContain('self-hosting llama-3.1-8b is never cheaper than the API (vs gpt-4o) up to 10000B tokens/month');
  });

  it("crossover status 'always_cheaper' → volume passes at any volume (null no longer means both)", () => {
    const always = buildOption({ crossover: { vsCurrent: { status: 'always_cheaper', monthlyTokens: null }, vsManagedOpen: null } });
    const plan = planWorkload(buildWorkload({ monthlyInputTokens: 1_000_000, monthlyOutputTokens: 0, evaluations: [passSelf] }), [always], strong);
    expect(gate(plan, 'volume')).toMatchObject({ status: 'pass' });
    expect(plan.recommendation).toBe('self_host');
  });

  it("per-option 'crosses' at 3B tokens beats the legacy number: 2.1B < 3B → excluded; ~months to reach at 10%/month growth = ceil(ln(3/2.1)/ln 1.1) = 4", () => {
    const opt = buildOption({ crossoverMonthlyTokens: 500_000_000, crossover: { vsCurrent: { status: 'crosses', monthlyTokens: 3e9 }, vsManagedOpen: null } });
    const plan = planWorkload(buildWorkload({ monthlyGrowth: 0.1, evaluations: [passSelf] }), [opt], strong);
    expect(plan.optionsConsidered[0].excludedBy).toEqual(['volume']);
    expect(gate(plan, 'volume').detail).toContain('volume 2.1B tokens/month below the crossover 3B tokens/month (reached in ~4 months');
  });

  it('legacy crossover null (direction unknown) is treated as unknown, not as "never"', () => {
    const plan = planWorkload(buildWorkload({ evaluations: [passSelf] }), [buildOption({ crossoverMonthlyTokens: null })], strong);
    expect(plan.optionsConsidered[0].excludedBy).toEqual([]);
    expect(gate(plan, 'volume').detail).toContain('crossover unknown (the value gate decides)');
  });

  it('vsManagedOpen below its crossover is explained on the volume gate (never excludes): 2.1B < 5B with groq llama', () => {
    const opt = buildOption({ crossover: { vsCurrent: { status: 'always_cheaper', monthlyTokens: null }, vsManagedOpen: { status: 'crosses', monthlyTokens: 5e9, against: 'groq llama-3.1-8b' } } });
    const plan = planWorkload(buildWorkload({ evaluations: [passSelf] }), [opt], strong);
    expect(gate(plan, 'volume').detail).toContain('below the 5B tokens/month crossover with groq llama-3.1-8b (the managed API is cheaper here)');
  });

  it('crossover unknown → volume gate passes on stability alone and says the value gate decides', () => {
    const plan = planWorkload(buildWorkload({ evaluations: [passSelf] }), [buildOption({ crossoverMonthlyTokens: undefined })], strong);
    expect(plan.recommendation).toBe('self_host');
    expect(gate(plan, 'volume').detail).toContain('crossover unknown (the value gate decides)');
  });

  it('self-host with 15%/month growth adds a capacity risk', () => {
    const plan = planWorkload(buildWorkload({ monthlyGrowth: 0.15, evaluations: [passSelf] }), [selfHost], strong);
    expect(plan.risks).toContain('Volume grows 15%/month: re-check replica count at least quarterly');
  });
});

describe('planWorkload: latency', () => {
  it('target 250ms: self-host expected 300ms fails the gate and is excluded; managed 200ms passes and is chosen', () => {
    const plan = planWorkload(
      buildWorkload({ annotations: { latencyTargetP95Ms: 250 }, evaluations: [passSelf, passManaged] }),
      [selfHost, managedEncoder],
      strong,
    );
    expect(plan.recommendation).toBe('managed_open');
    expect(gate(plan, 'latency')).toEqual({ gate: 'latency', status: 'pass', detail: 'expected p95 200ms ≤ target 250ms; today 900ms' });
    expect(plan.optionsConsidered.find((o) => o.kind === 'self_host')?.excludedBy).toEqual(['latency']);
  });

  it('target 250ms with only the 300ms self-host option → stays closed; the latency gate fails with numbers', () => {
    const plan = planWorkload(buildWorkload({ annotations: { latencyTargetP95Ms: 250 }, evaluations: [passSelf] }), [selfHost], strong);
    expect(plan.recommendation).toBe('stay_closed');
    expect(gate(plan, 'latency')).toEqual({ gate: 'latency', status: 'fail', detail: 'expected p95 300ms > target 250ms; today 900ms' });
    expect(plan.nextSteps).toContain('Ask for a faster deployment of llama-3.1-8b (expected p95 300ms > target 250ms) or revisit the target');
  });

  it('target set but no expected p95 → n/a and a risk to measure it', () => {
    const plan = planWorkload(
      buildWorkload({ annotations: { latencyTargetP95Ms: 400 }, evaluations: [passManaged] }),
      [{ ...managedEncoder, expectedP95LatencyMs: undefined }],
      none,
    );
    expect(plan.recommendation).toBe('managed_open');
    expect(gate(plan, 'latency').status).toBe('n/a');
    expect(plan.risks).toContain('Latency target 400ms unverified for bge-classifier: measure p95 before cut-over');
  });

  it('no target → n/a with today’s p95', () => {
    const plan = planWorkload(buildWorkload({ evaluations: [passManaged] }), [managedEncoder], none);
    expect(gate(plan, 'latency')).toMatchObject({ status: 'n/a', detail: 'no latency target annotated; today 900ms' });
  });
});

describe('planWorkload: missing and bad input never throws', () => {
  it('null workload and undefined options → stay_closed for "unnamed-workload" asking for priced options', () => {
    const plan = planWorkload(null as never, undefined as never);
    expect(plan.workload).toBe('unnamed-workload');
    expect(plan.recommendation).toBe('stay_closed');
    expect(plan.currentMonthlyCostUsd.toFixed()).toBe('0');
    expect(plan.reasons).toEqual([{ gate: 'selection', status: 'fail', detail: 'no candidate options were supplied for this workload' }]);
    expect(plan.nextSteps[0]).toBe('Price candidate options for this workload (economics engine) and re-run the planner');
  });

  it('NaN spend, garbage option money and a malformed option are tolerated', () => {
    const plan = planWorkload(
      buildWorkload({ monthlySpendUsd: new Money(NaN), evaluations: [passManaged] }),
      [{ kind: 'weird' } as never, null as never, { ...managedEncoder, monthlyCostUsd: 'abc' as never }],
      none,
    );
    expect(plan.recommendation).toBe('stay_closed');
    expect(gate(plan, 'selection').detail).toContain('ignored 2 malformed option(s)');
  });

  it('no option in the task band → next step asks for options in that band', () => {
    const plan = planWorkload(buildWorkload({ annotations: { taskCategory: 'code' } }), [selfHost], strong);
    expect(plan.nextSteps[0]).toBe('No priced option fits the task (eligible frontier..frontier): price options in that band');
  });

  it('unannotated task → mid..frontier band and a next step to annotate taskCategory', () => {
    const w = buildWorkload();
    const plan = planWorkload({ ...w, annotations: {} }, [selfHost], strong);
    expect(plan.nextSteps).toContain('Annotate taskCategory: without it only mid..frontier candidates are considered');
  });

  it('owner team is echoed and named in the migration step', () => {
    const plan = planWorkload(buildWorkload({ annotations: { ownerTeam: 'support-ml' }, evaluations: [passManaged] }), [managedEncoder], none);
    expect(plan.ownerTeam).toBe('support-ml');
    expect(plan.nextSteps[0]).toBe(
      'Switch to bge-classifier via together behind a feature flag; keep gpt-4o as fallback for two weeks (owner: support-ml)',
    );
  });
});

describe('planWorkload: every move needs the same evidence (issue 11)', () => {
  // $12,000/month today. Self-host llama-3.1-8b $3,000/month; the same model on a managed API at $300/month (10× cheaper).
  const managedSmall = buildOption({
    kind: 'managed_open',
    provider: 'Groq',
    monthlyCostUsd: new Money(300),
    oneOffMigrationCostUsd: new Money(2000),
    deployment: undefined,
    crossoverMonthlyTokens: undefined,
  });

  it('nothing evaluated: "evaluate managed llama-3.1-8b via Groq" first ($12,000 − $300 = $11,700/month at stake); the $3,000 self-host is not piloted ahead of it', () => {
    const plan = planWorkload(buildWorkload(), [selfHost, managedSmall], strong);
    expect(plan.recommendation).toBe('stay_closed');
    expect(plan.candidate).toBeNull();
    expect(plan.pendingEvaluation).toMatchObject({ modelId: 'llama-3.1-8b', kind: 'managed_open', provider: 'Groq', action: 'Evaluate managed open llama-3.1-8b via Groq against gpt-4o' });
    expect(plan.pendingEvaluation?.monthlySavingsUsd.toFixed()).toBe('11700');
    expect(plan.nextStep).toBe(plan.nextSteps[0]);
    expect(plan.nextStep).toMatch(/^Run the evaluation: llama-3\.1-8b via Groq \(managed_open\) vs gpt-4o/);
    const self = plan.optionsConsidered.find((o) => o.kind === 'self_host');
    expect(self?.ceiling).toBe('stay_closed');
    expect(gate(plan, 'selection').detail).toContain('no self-host pilot ahead of a cheaper option: llama-3.1-8b (self_host) waits for llama-3.1-8b via Groq (managed_open)');
  });

  it('the self-host pilot is allowed when it is the cheapest eligible move ($3,000 < a $4,000 managed API)', () => {
    const plan = planWorkload(buildWorkload(), [selfHost, { ...managedSmall, monthlyCostUsd: new Money(4000) }], strong);
    expect(plan.recommendation).toBe('pilot_self_host');
  });

  it('the self-host pilot is allowed when the cheaper managed API is blocked (failed evaluation)', () => {
    const failed = buildEvaluation('llama-3.1-8b', { metrics: { candidate: { accuracy: 0.8 }, baseline: { accuracy: 0.94 } } });
    // The failing evaluation names the model, so it excludes both kinds: use a different managed model.
    const other = { ...managedSmall, modelId: 'qwen-7b' };
    const plan = planWorkload(buildWorkload({ evaluations: [{ ...failed, candidateModel: 'qwen-7b' }] }), [selfHost, other], strong);
    expect(plan.optionsConsidered.find((o) => o.modelId === 'qwen-7b')?.excludedBy).toEqual(['quality-evidence']);
    expect(plan.recommendation).toBe('pilot_self_host');
  });

  it('a ready migration with a passing evaluation goes ahead; the cheaper unevaluated one is the upside', () => {
    const plan = planWorkload(buildWorkload({ evaluations: [passSelf] }), [selfHost, { ...managedSmall, modelId: 'qwen-7b' }], strong);
    expect(plan.recommendation).toBe('self_host');
    // $12,000 − $300 = $11,700 vs self-host's $9,000: $2,700 more.
    expect(plan.nextSteps).toContain('Upside: qwen-7b via Groq (managed_open) would save $11700.00/month ($2700.00 more) once unblocked: no passing evaluation');
  });
});

describe('planWorkload: the org evaluation beats the size band', () => {
  const reasoning = { annotations: { taskCategory: 'reasoning' as TaskCategory, qualityRequirement: 'high' as QualityRequirement } };

  it("reasoning (band frontier..frontier): an unevaluated 8B (small) is excluded by task-fit", () => {
    const plan = planWorkload(buildWorkload(reasoning), [selfHost], strong);
    expect(plan.optionsConsidered[0].excludedBy).toEqual(['task-fit']);
  });

  it("reasoning: a passing evaluation of the 8B (0.93 vs 0.94, threshold 0.92) widens fit → self_host saving $9,000", () => {
    const plan = planWorkload(buildWorkload({ ...reasoning, evaluations: [passSelf] }), [selfHost], strong);
    expect(plan.recommendation).toBe('self_host');
    expect(gate(plan, 'task-fit')).toMatchObject({ status: 'pass' });
    expect(gate(plan, 'task-fit').detail).toContain('outside the band (reasoning → frontier..frontier), but your evaluation on this workload passed');
    expect(plan.monthlySavingsUsd.toFixed()).toBe('9000');
  });

  it('reasoning: a failed evaluation still excludes (quality-evidence and task-fit)', () => {
    const failed = buildEvaluation('llama-3.1-8b', { metrics: { candidate: { accuracy: 0.7 }, baseline: { accuracy: 0.94 } } });
    const plan = planWorkload(buildWorkload({ ...reasoning, evaluations: [failed] }), [selfHost], strong);
    expect(plan.optionsConsidered[0].excludedBy).toEqual(['task-fit', 'quality-evidence']);
  });
});

describe('planWorkload: latency gate with the expected p95', () => {
  it('expected p95 12 s > target 5 s → excluded by latency; the next step asks for a faster deployment', () => {
    const slow = buildOption({ expectedP95LatencyMs: 12_000, latencyBasis: 'capacity model at planned concurrency' });
    const plan = planWorkload(buildWorkload({ annotations: { latencyTargetP95Ms: 5000 }, evaluations: [passSelf] }), [slow], strong);
    expect(plan.optionsConsidered[0].excludedBy).toEqual(['latency']);
    expect(gate(plan, 'latency')).toEqual({
      gate: 'latency',
      status: 'fail',
      detail: 'expected p95 12000ms (capacity model at planned concurrency) > target 5000ms; today 900ms',
    });
    expect(plan.nextSteps.join(' ')).toContain('expected p95 12000ms > target 5000ms');
  });

  it('no estimate → n/a "no latency estimate", not excluded', () => {
    const plan = planWorkload(buildWorkload({ annotations: { latencyTargetP95Ms: 5000 }, evaluations: [passSelf] }), [buildOption({ expectedP95LatencyMs: undefined })], strong);
    expect(gate(plan, 'latency')).toMatchObject({ status: 'n/a' });
    expect(gate(plan, 'latency').detail).toContain('no latency estimate');
    expect(plan.recommendation).toBe('self_host');
  });
});

describe('planWorkload: replicas and GPUs per replica', () => {
  it.each<[string, Partial<CandidateOption['deployment']>, string]>([
    ['tensorParallel 4, fleet 8 GPUs', { gpu: 'L4', gpuCount: 8, replicas: 2, tensorParallel: 4, precision: 'fp8' }, '2 replicas × 4× L4 (fp8)'],
    ['only the fleet: 8 GPUs / 2 replicas = 4 per replica', { gpu: 'L4', gpuCount: 8, replicas: 2, precision: 'fp8' }, '2 replicas × 4× L4 (fp8)'],
    ['one replica of 1 GPU', { gpu: 'A10G', gpuCount: 1, replicas: 1, precision: 'bf16' }, '1 replica × 1× A10G (bf16)'],
  ])('%s → "%s"', (_n, deployment, text) => {
    const plan = planWorkload(buildWorkload({ evaluations: [passSelf] }), [buildOption({ deployment: deployment as CandidateOption['deployment'] })], strong);
    expect(plan.nextSteps[0]).toContain(`Provision ${text} for llama-3.1-8b`);
  });
});

describe('planWorkload: the README worked example (gpt-4o list prices vs Groq llama-3.1-8b-instant, litellm_main_mirror 2026-07-24)', () => {
  // gpt-4o: 2,000M × $2.50 + 100M × $10.00 = $6,000/month; Groq 8B: 2,000M × $0.05 + 100M × $0.08 = $108/month.
  const w = buildWorkload({ monthlySpendUsd: new Money(6000), monthlyInputTokens: 2_000_000_000, monthlyOutputTokens: 100_000_000 });
  const groq = buildOption({ kind: 'managed_open', modelId: 'llama-3.1-8b-instant', provider: 'Groq', monthlyCostUsd: new Money(108), oneOffMigrationCostUsd: new Money(2000), deployment: undefined, providerRegions: { provider: 'Groq', regions: [], conditions: null, sourceIds: ['groq_helsinki_cnbc'] } });

  it('internal data, no evaluation: evaluate Groq first, $6,000 − $108 = $5,892/month at stake; the $3,000 self-host waits', () => {
    const plan = planWorkload(w, [selfHost, groq], strong);
    expect(plan.recommendation).toBe('stay_closed');
    expect(plan.pendingEvaluation?.monthlySavingsUsd.toFixed()).toBe('5892');
    expect(plan.nextStep).toMatch(/^Run the evaluation: llama-3\.1-8b-instant via Groq \(managed_open\) vs gpt-4o/);
  });

  it('regulated + eu: Groq excluded (no proven region, not approved); the evaluated self-host goes ahead', () => {
    const plan = planWorkload(
      buildWorkload({ monthlySpendUsd: new Money(6000), annotations: { dataSensitivity: 'regulated', dataResidency: 'eu' }, evaluations: [passSelf] }),
      [selfHost, groq],
      strong,
    );
    const g = plan.optionsConsidered.find((o) => o.provider === 'Groq');
    expect(g?.excludedBy).toEqual(['data-control']);
    expect(plan.recommendation).toBe('self_host');
    const a = planWorkload(buildWorkload({ monthlySpendUsd: new Money(6000), annotations: { dataSensitivity: 'regulated', dataResidency: 'eu' } }), [groq], strong);
    expect(a.reasons.find((r) => r.gate === 'data-control')?.detail).toBe(
      'managed open API blocked for regulated data: Groq processes in no proven region, data must stay in eu [groq_helsinki_cnbc]; regulated data: Groq is not in approvedProcessors (none approved)',
    );
  });
});
