import { CronExpressionParser } from 'cron-parser';

/** Runs looked at to find a schedule's shortest gap: enough to see every minute/hour pattern within a day and a week's weekdays. */
const SAMPLE_RUNS = 200;

export type CronCheck = { ok: true; minGapSeconds: number } | { ok: false; reason: string };

/**
 * Whether a digest cron (5 fields, or 6 with seconds first) in `timezone` parses and never fires more often
 * than every `minIntervalSeconds` (s): the shortest gap between the next runs from `from`.
 */
export function checkDigestCron(cron: string, timezone: string, minIntervalSeconds: number, from = new Date()): CronCheck {
  let runs: number[];
  try {
    const it = CronExpressionParser.parse(cron, { tz: timezone, currentDate: from });
    runs = [];
    for (let i = 0; i < SAMPLE_RUNS && it.hasNext(); i++) runs.push(it.next().getTime());
  } catch (e) {
    return { ok: false, reason: `cron does not parse: ${(e as Error).message}` };
  }
  if (runs.length === 0) return { ok: false, reason: 'cron never fires' };
  let minGap = Number.POSITIVE_INFINITY;
  for (let i = 1; i < runs.length; i++) minGap = Math.min(minGap, (runs[i]! - runs[i - 1]!) / 1000);
  if (minGap < minIntervalSeconds) {
    return { ok: false, reason: `cron fires every ${minGap} s at times; digests may run at most once every ${minIntervalSeconds} s` };
  }
  return { ok: true, minGapSeconds: minGap };
}
