import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { InvalidError } from './errors.js';
import { isStorableText } from './formats.js';

export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100, example: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page\'s nextCursor', example: 'eyJ0cyI6IjIwMjYtMTEtMzBUMTI6MDA6MDAuMDAwWiIsImlkIjoiYjJmIn0' })
  @IsOptional() @IsString() @MaxLength(500) cursor?: string;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** Cursors are opaque to clients: base64url JSON of whatever the repository sorts by. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Cursor keys that hold a timestamp (ISO string): checked to parse, since the repository compares them as timestamptz. */
const TIME_KEYS = /^(ts|at|.*At)$/;
/** Cursor keys that hold a row offset: a non-negative integer, as SQL OFFSET needs. */
const OFFSET_KEYS = /^(o|offset)$/;
// 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z in ms epoch: the range PostgreSQL's timestamptz accepts as input here.
const FIRST_TIMESTAMP_MS = -62_135_596_800_000;
const END_TIMESTAMP_MS = 253_402_300_800_000;

/**
 * The value inside a cursor, or 400 when it is not one this API could have
 * written: not base64url JSON, not a flat object of strings and finite
 * numbers, text PostgreSQL refuses (NUL, unpaired surrogates), or a
 * timestamp key that is no date.
 */
export function decodeCursor<T>(cursor: string | undefined, field = 'cursor'): T | undefined {
  if (!cursor) return undefined;
  const invalid = () => new InvalidError(`Invalid request: ${field}`, [{ field, message: 'is not a cursor returned by this API' }]);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalid();
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'number' ? !Number.isFinite(v) : typeof v !== 'string' || !isStorableText(v)) throw invalid();
    if (TIME_KEYS.test(k) && (typeof v !== 'string' || !isStoredTimestamp(v))) throw invalid();
    if (OFFSET_KEYS.test(k) && (!Number.isSafeInteger(v) || (v as number) < 0)) throw invalid();
  }
  return value as T;
}

/** True for a date-time string that parses to a time PostgreSQL's timestamptz holds (year 1 to 9999). */
function isStoredTimestamp(v: string): boolean {
  const ms = new Date(v).getTime();
  return Number.isFinite(ms) && ms >= FIRST_TIMESTAMP_MS && ms < END_TIMESTAMP_MS;
}

/** Builds a page from `limit + 1` fetched rows: the extra row only says whether more exist. */
export function toPage<T>(rows: T[], limit: number, cursorOf: (last: T) => unknown): Page<T> {
  const data = rows.slice(0, limit);
  return { data, nextCursor: rows.length > limit ? encodeCursor(cursorOf(data[data.length - 1])) : null };
}
