import { DEFAULT_PLANNER_SETTINGS, resolvePlannerSettings } from './settings.js';
import type { PlannerSettingsInput } from './types.js';

describe('resolvePlannerSettings', () => {
  it('defaults: team none, self-host floor $1000, managed floor $250, payback 12 months, accuracy within 0.02 on ≥200 samples, cv ≤ 0.5', () => {
    const s = resolvePlannerSettings();
    expect(s.teamMaturity).toBe('none');
    expect(s.selfHostSavingsFloorUsd.toFixed()).toBe('1000');
    expect(s.managedSavingsFloorUsd.toFixed()).toBe('250');
    expect(s.maxBreakEvenMonths).toBe(12);
    expect(s.requiredMetrics).toEqual(['accuracy']);
    expect(s.evaluationTolerance).toBe(0.02);
    expect(s.minEvaluationSampleSize).toBe(200);
    expect(s.stabilityMaxCv).toBe(0.5);
  });

  it.each<[string, PlannerSettingsInput, Partial<Record<string, unknown>>]>([
    ['strong team, floors "2500" and 50 are taken as USD', { teamMaturity: 'strong', selfHostSavingsFloorUsd: '2500', managedSavingsFloorUsd: 50 }, { teamMaturity: 'strong', self: '2500', managed: '50' }],
    ['unknown maturity "expert" falls back to none', { teamMaturity: 'expert' as never }, { teamMaturity: 'none' }],
    ['negative floor -5 falls back to $1000', { selfHostSavingsFloorUsd: -5 }, { self: '1000' }],
    ['garbage floor "abc" falls back to $250', { managedSavingsFloorUsd: 'abc' }, { managed: '250' }],
    ['NaN tolerance falls back to 0.02', { evaluationTolerance: NaN }, { tol: 0.02 }],
    ['metrics [" f1 ", "", "f1"] → ["f1"]', { requiredMetrics: [' f1 ', '', 'f1'] }, { metrics: ['f1'] }],
    ['empty metrics [] fall back to ["accuracy"]', { requiredMetrics: [] }, { metrics: ['accuracy'] }],
    ['sample size 150.2 rounds up to 151', { minEvaluationSampleSize: 150.2 }, { sample: 151 }],
  ])('%s', (_name, input, expected) => {
    const s = resolvePlannerSettings(input);
    if ('teamMaturity' in expected) expect(s.teamMaturity).toBe(expected.teamMaturity);
    if ('self' in expected) expect(s.selfHostSavingsFloorUsd.toFixed()).toBe(expected.self);
    if ('managed' in expected) expect(s.managedSavingsFloorUsd.toFixed()).toBe(expected.managed);
    if ('tol' in expected) expect(s.evaluationTolerance).toBe(expected.tol);
    if ('metrics' in expected) expect(s.requiredMetrics).toEqual(expected.metrics);
    if ('sample' in expected) expect(s.minEvaluationSampleSize).toBe(expected.sample);
  });

  it('is idempotent and does not share the defaults array', () => {
    const s = resolvePlannerSettings(resolvePlannerSettings({ teamMaturity: 'some' }));
    expect(s.teamMaturity).toBe('some');
    s.requiredMetrics.push('f1');
    expect(DEFAULT_PLANNER_SETTINGS.requiredMetrics).toEqual(['accuracy']);
  });

  it('null input → defaults', () => {
    expect(resolvePlannerSettings(null).teamMaturity).toBe('none');
  });
});

describe('planner settings: approved processors, pass probability, API validation', () => {
  it('defaults: no approved processors, pass probability 0.5', async () => {
    const { resolvePlannerSettings } = await import('./settings.js');
    const s = resolvePlannerSettings({});
    expect(s.approvedProcessors).toEqual([]);
    expect(s.evaluationPassProbability).toBe(0.5);
  });

  it('approvedProcessors trimmed and de-duplicated; a probability outside 0..1 falls back to 0.5', async () => {
    const { resolvePlannerSettings } = await import('./settings.js');
    const s = resolvePlannerSettings({ approvedProcessors: [' OpenAI ', 'OpenAI', '', 3 as never], evaluationPassProbability: 1.5 });
    expect(s.approvedProcessors).toEqual(['OpenAI']);
    expect(s.evaluationPassProbability).toBe(0.5);
  });

  it('plannerSettingsIssues names every bad field and accepts a good body', async () => {
    const { plannerSettingsIssues } = await import('./settings.js');
    expect(plannerSettingsIssues({ approvedProcessors: ['OpenAI'], evaluationPassProbability: 0.6, managedSavingsFloorUsd: '500' })).toEqual([]);
    const bad = plannerSettingsIssues({ approvedProcessors: 'OpenAI', evaluationPassProbability: 2, maxBreakEvenMonths: -1, selfHostSavingsFloorUsd: 'x', teamMaturity: 'strong', colour: 'red' });
    expect(bad.map((b) => b.field).sort()).toEqual(['approvedProcessors', 'colour', 'evaluationPassProbability', 'maxBreakEvenMonths', 'selfHostSavingsFloorUsd', 'teamMaturity']);
    expect(plannerSettingsIssues([])).toEqual([{ field: 'body', message: 'must be an object of planner settings' }]);
  });
});
