import { DAY_MS } from '../time.js';
import { formatDay } from './format.js';

/** The prefix of an on-demand digest's period ("manual-<ISO instant>"). */
export const MANUAL_PERIOD_PREFIX = 'manual-';

/**
 * A digest's human title, from its period (the idempotency key): a scheduled slot covers the 7 days before it,
 * so the slot of Monday 30 Nov 2026 08:00 is "Week of 23 Nov 2026" (the first day, in the org's time zone);
 * a manual build "manual-2026-12-01T04:34:30.628Z" is "On demand, 1 Dec 2026". Any other period is shown as is.
 */
export function digestTitle(period: string, timeZone: string): string {
  if (period.startsWith(MANUAL_PERIOD_PREFIX)) {
    const at = new Date(period.slice(MANUAL_PERIOD_PREFIX.length));
    return Number.isNaN(at.getTime()) ? period : `On demand, ${formatDay(at, timeZone)}`;
  }
  const slot = new Date(period);
  if (Number.isNaN(slot.getTime())) return period;
  return `Week of ${formatDay(new Date(slot.getTime() - 7 * DAY_MS), timeZone)}`;
}
