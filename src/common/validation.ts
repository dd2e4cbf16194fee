import { ValidateIf } from 'class-validator';
import { BadRequestException, ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { NotFoundError, type FieldError } from './errors.js';
import { isStorableText } from './formats.js';

/** Deepest nesting a DTO body may have; class-transformer recurses per level and overflows the stack a few thousand levels down. */
export const MAX_INPUT_DEPTH = 32;

/**
 * Optional, but null is checked like any other value: unlike @IsOptional, which
 * lets null through to services that only expect a value or nothing.
 */
export function IsNotNullWhenPresent(): PropertyDecorator {
  return ValidateIf((_o, v) => v !== undefined);
}

/** Flattens class-validator's tree into `field: message` pairs with dotted/indexed paths. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const path = parent ? (/^\d+$/.test(e.property) ? `${parent}[${e.property}]` : `${parent}.${e.property}`) : e.property;
    for (const message of Object.values(e.constraints ?? {})) {
      out.push({ field: path, message: message.replace(/^property (\S+) should not exist$/, 'unknown field') });
    }
    if (e.children?.length) out.push(...flattenValidationErrors(e.children, path));
  }
  return out;
}

const fieldPath = (parent: string, key: string | number) => (typeof key === 'number' ? `${parent}[${key}]` : parent ? `${parent}.${key}` : key);

/**
 * For bodies a route validates itself (settings patches read as `unknown`): the same 400 the
 * validation pipe gives typed bodies when a string PostgreSQL cannot store, or hostile nesting, is in it.
 */
export function refuseUnsafeBody(body: unknown): void {
  const bad = unsafeInput(body);
  if (bad) throw new BadRequestException({ code: 'validation_failed', message: `Invalid request: ${bad.field}`, details: [bad] });
}

/**
 * The first reason PostgreSQL or the transformer would fail on `value`: a
 * string or key with NUL or an unpaired surrogate, or nesting deeper than
 * MAX_INPUT_DEPTH. Fields are named from `root` (`scope.project`, or
 * `events[2]`), or from the top-level keys when `root` is empty (a whole body
 * or query, then called `label`). Iterative, so a hostile depth cannot overflow the stack here.
 */
export function unsafeInput(value: unknown, root = '', label = 'body'): FieldError | null {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: value, path: root, depth: 0 }];
  while (stack.length) {
    const { v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (!isStorableText(v)) return { field: path || label, message: 'must not contain NUL characters or unpaired surrogates' };
    } else if (v && typeof v === 'object') {
      if (depth >= MAX_INPUT_DEPTH) return { field: path || label, message: `is nested deeper than ${MAX_INPUT_DEPTH} levels` };
      const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
      for (const [k, x] of entries) {
        const child = fieldPath(path, k);
        if (typeof k === 'string' && !isStorableText(k)) return { field: path || label, message: 'field names must not contain NUL characters or unpaired surrogates' };
        stack.push({ v: x, path: child, depth: depth + 1 });
      }
    }
  }
  return null;
}

/**
 * Refuses what no DTO can hold before class-transformer and class-validator
 * see it (they would overflow on depth, and validator.js throws on unpaired
 * surrogates): 400 naming the field for bodies and queries, 404 for path
 * parameters (such an id or slug names nothing). Untyped bodies (`unknown`,
 * the ingest routes) are left to their own per-item validation, so one bad
 * event still never sinks its batch.
 */
class GuardedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const typed = !!metadata.metatype && metadata.metatype !== Object;
    if (metadata.type === 'param' && typeof value === 'string' && !isStorableText(value)) {
      throw new NotFoundError(`No resource is named ${JSON.stringify(value.replace(/[\u0000\uD800-\uDFFF]/g, '\uFFFD'))}`);
    }
    if ((metadata.type === 'body' || metadata.type === 'query') && typed) {
      const bad = unsafeInput(value, metadata.data ?? '', metadata.type);
      if (bad) throw new BadRequestException({ code: 'validation_failed', message: `Invalid request: ${bad.field}`, details: [bad] });
    }
    return super.transform(value, metadata);
  }
}

/** Whitelisting, unknown fields rejected, every bad field listed in `details`. */
export function createValidationPipe(): ValidationPipe {
  return new GuardedValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => {
      const details = flattenValidationErrors(errors);
      return new BadRequestException({
        code: 'validation_failed',
        message: `Invalid request: ${details.map((d) => d.field).join(', ')}`,
        details,
      });
    },
  });
}
