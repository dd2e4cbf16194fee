import { finalBeforeAfterDaily, scheduledRange } from './schedule.js';

describe('scheduledRange', () => {
  const today = '2026-12-01';
  it('daily re-reads the last 3 whole days: [2026-11-28, 2026-12-01); afterwards days before 2026-11-29 are final', () => {
    expect(scheduledRange('daily', today, null)).toEqual({ from: '2026-11-28', to: '2026-12-01' });
    expect(finalBeforeAfterDaily('2026-12-01')).toBe('2026-11-29');
  });
  it.each([
    [null, '2026-11-30'],
    ['2026-11-29', '2026-11-29'],
    ['2026-11-01', '2026-11-29'],
    ['2026-12-01', '2026-12-01'],
    ['2026-12-05', '2026-12-01'],
  ])('hourly with final_before %s reads from %s through today (to 2026-12-02)', (finalBefore, from) => {
    expect(scheduledRange('hourly', today, finalBefore)).toEqual({ from, to: '2026-12-02' });
  });
});
