import { addDays } from './provider-lines.js';

/** Days the daily schedule re-reads, today excluded (days): providers settle late usage within a day or two. */
export const DAILY_REREAD_DAYS = 3;
/** A day is final once a daily sync has re-read it this many days after it ended (days). */
export const FINAL_AFTER_DAYS = 2;

/**
 * The UTC days [from, to) a scheduled sync reads (YYYY-MM-DD, `to` exclusive):
 * - daily: the last DAILY_REREAD_DAYS whole days; on success the connector's final_before becomes to - FINAL_AFTER_DAYS;
 * - hourly: from the first day not yet final (at most FINAL_AFTER_DAYS back, yesterday when nothing is final yet) through today.
 */
export function scheduledRange(mode: 'daily' | 'hourly', today: string, finalBefore: string | null): { from: string; to: string } {
  if (mode === 'daily') return { from: addDays(today, -DAILY_REREAD_DAYS), to: today };
  const earliest = addDays(today, -FINAL_AFTER_DAYS);
  const from = finalBefore ?? addDays(today, -1);
  return { from: from < earliest ? earliest : from > today ? today : from, to: addDays(today, 1) };
}

/** final_before after a successful daily run of [from, to) (days before it are final). */
export function finalBeforeAfterDaily(to: string): string {
  return addDays(to, -FINAL_AFTER_DAYS);
}
