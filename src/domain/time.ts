/** Milliseconds in an hour. */
export const HOUR_MS = 3_600_000;
/** Milliseconds in a UTC day (86,400 s; no leap seconds in epoch time). */
export const DAY_MS = 86_400_000;
