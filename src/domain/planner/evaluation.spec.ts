import { buildEvaluation } from '../../../test/builders/planner.js';
import { assessEvidence, checkMetric, pickEvaluation } from './evaluation.js';
import { resolvePlannerSettings } from './settings.js';
import type { EvidenceStatus, WorkloadEvaluation } from './types.js';

const settings = resolvePlannerSettings();

describe('checkMetric (tolerance 0.02)', () => {
  it.each<[string, number | null, number | null, boolean, number | null]>([
    ['0.93 vs 0.94: threshold 0.92, passes', 0.93, 0.94, true, 0.92],
    ['0.91 vs 0.93: exactly at threshold 0.91 (no float error), passes', 0.91, 0.93, true, 0.91],
    ['0.90 vs 0.93: below threshold 0.91, fails', 0.9, 0.93, false, 0.91],
    ['candidate missing fails', null, 0.93, false, 0.91],
    ['baseline missing fails, no threshold', 0.93, null, false, null],
  ])('%s', (_n, candidate, baseline, pass, threshold) => {
    const m = checkMetric('accuracy', candidate, baseline, 0.02);
    expect(m.pass).toBe(pass);
    expect(m.threshold).toBe(threshold);
  });

  it('delta is exact: 0.93 − 0.94 = −0.01', () => {
    expect(checkMetric('accuracy', 0.93, 0.94, 0.02).delta).toBe(-0.01);
  });
});

describe('assessEvidence', () => {
  const current = ['gpt-4o'];
  it.each<[string, WorkloadEvaluation[], EvidenceStatus, string[]]>([
    ['no evaluation → none', [], 'none', ['evaluation']],
    ['accuracy 0.93 vs 0.94 on 500 samples → passed', [buildEvaluation('m')], 'passed', []],
    [
      'accuracy 0.85 vs 0.94 (threshold 0.92) → failed',
      [buildEvaluation('m', { metrics: { candidate: { accuracy: 0.85 }, baseline: { accuracy: 0.94 } } })],
      'failed',
      [],
    ],
    ['accuracy 0.93 vs 0.94 on 150 < 200 samples → inconclusive', [buildEvaluation('m', { sampleSize: 150 })], 'inconclusive', ['sample size 150 < 200']],
    [
      'accuracy missing from candidate → inconclusive',
      [buildEvaluation('m', { metrics: { candidate: { f1: 0.9 }, baseline: { accuracy: 0.94 } } })],
      'inconclusive',
      ["metric 'accuracy'"],
    ],
    [
      'fail beats a small sample: 0.80 vs 0.94 on 50 samples → failed',
      [buildEvaluation('m', { sampleSize: 50, metrics: { candidate: { accuracy: 0.8 }, baseline: { accuracy: 0.94 } } })],
      'failed',
      ['sample size 50 < 200'],
    ],
    ['an evaluation of another model does not count → none', [buildEvaluation('other-model')], 'none', ['evaluation']],
  ])('%s', (_n, evaluations, status, missing) => {
    const v = assessEvidence(evaluations, 'm', current, settings);
    expect(v.status).toBe(status);
    expect(v.missing).toEqual(missing);
  });

  it('reports per-metric numbers for every required metric (accuracy 0.930 vs 0.940, f1 0.880 vs 0.880)', () => {
    const s = resolvePlannerSettings({ requiredMetrics: ['accuracy', 'f1'] });
    const v = assessEvidence(
      [buildEvaluation('m', { metrics: { candidate: { accuracy: 0.93, f1: 0.88 }, baseline: { accuracy: 0.94, f1: 0.88 } } })],
      'm',
      current,
      s,
    );
    expect(v.status).toBe('passed');
    expect(v.metrics.map((m) => [m.metric, m.candidate, m.baseline, m.pass])).toEqual([
      ['accuracy', 0.93, 0.94, true],
      ['f1', 0.88, 0.88, true],
    ]);
    expect(v.detail).toContain('accuracy 0.93 vs 0.94 (-0.01, threshold 0.92) pass');
    expect(v.detail).toContain('on 500 samples');
  });

  it('model ids match case-insensitively ("Llama-3.1-8B" ≡ "llama-3.1-8b")', () => {
    expect(assessEvidence([buildEvaluation('Llama-3.1-8B')], 'llama-3.1-8b', current, settings).status).toBe('passed');
  });

  it('catalog scores are indicative only: no evaluation + mmlu 0.68 → still none, detail names the score', () => {
    const v = assessEvidence([], 'm', current, settings, [{ key: 'mmlu', value: 0.68, source: 'llama31_card' }]);
    expect(v.status).toBe('none');
    expect(v.detail).toContain('mmlu 0.68 (llama31_card) are indicative only');
  });

  it('the org evaluation takes precedence over catalog scores', () => {
    const v = assessEvidence([buildEvaluation('m')], 'm', current, settings, [{ key: 'mmlu', value: 0.2, source: 'x' }]);
    expect(v.status).toBe('passed');
    expect(v.detail).toContain('org evaluation takes precedence over catalog scores mmlu 0.2');
  });
});

describe('pickEvaluation', () => {
  it('the most recent evaluation wins (2026-03 fail beats 2026-01 pass)', () => {
    const old = buildEvaluation('m', { createdAt: '2026-01-01' });
    const recent = buildEvaluation('m', { createdAt: new Date('2026-03-01'), metrics: { candidate: { accuracy: 0.5 }, baseline: { accuracy: 0.9 } } });
    expect(pickEvaluation([old, recent], 'm', ['gpt-4o'])).toBe(recent);
  });

  it('an evaluation against a current model beats a newer one against another baseline', () => {
    const onCurrent = buildEvaluation('m', { createdAt: '2026-01-01' });
    const otherBaseline = buildEvaluation('m', { baselineModel: 'claude-3-opus', createdAt: '2026-05-01' });
    expect(pickEvaluation([otherBaseline, onCurrent], 'm', ['gpt-4o'])).toBe(onCurrent);
  });

  it('malformed entries are skipped, undated ones rank oldest', () => {
    const undated = buildEvaluation('m', { createdAt: 'not a date' });
    const dated = buildEvaluation('m', { createdAt: '2025-01-01' });
    expect(pickEvaluation([null as never, undated, dated], 'm', ['gpt-4o'])).toBe(dated);
    expect(pickEvaluation(undefined, 'm', [])).toBeNull();
  });
});
