import { ParseUUIDPipe } from '@nestjs/common';

/** Workload, project and environment slugs: what ingest registers and every filter accepts. */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9._-]{0,127}$/;
export const SLUG_MESSAGE = 'must be a slug: 1-128 lowercase letters, digits, dot, dash or underscore, starting with a letter or digit';

// PostgreSQL text refuses NUL, and jsonb refuses an unpaired UTF-16 surrogate (JSON.stringify writes it as \udXXX).
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when PostgreSQL can store the string as text and inside jsonb: no NUL, no unpaired surrogate. */
export function isStorableText(v: string): boolean {
  return !UNSTORABLE.test(v);
}

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
