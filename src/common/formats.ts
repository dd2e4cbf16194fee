import { ParseUUIDPipe } from '@nestjs/common';

/** Workload, project and environment slugs: what ingest registers and every filter accepts. */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9._-]{0,127}$/;
export const SLUG_MESSAGE = 'must be a slug: 1-128 lowercase letters, digits, dot, dash or underscore, starting with a letter or digit';

/** True for an IANA time zone name that this runtime knows (Europe/Paris, UTC, ...). */
export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Path ids: anything that is not a UUID cannot name a resource, so it is 404 like another org's id. */
export const uuid404 = new ParseUUIDPipe({ errorHttpStatusCode: 404 });
