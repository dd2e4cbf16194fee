/**
 * Recognises, by shape, the errors a request sees when PostgreSQL or Redis is
 * unreachable, shutting down or not answering, so that one filter can answer
 * 503 + Retry-After instead of 500. Shapes, not classes: common imports no
 * infrastructure (dependency-cruiser), and the same failure reaches us as a
 * Prisma error, a raw driver-adapter error or a raw pg/ioredis error
 * depending on the path (ORM, $queryRaw, a pg pool client, BullMQ).
 *
 * Shapes observed against a real cluster stopped mid-request (test/security/faults-*.e2e-spec.ts):
 * - Prisma model calls: PrismaClientKnownRequestError P1001 with meta.driverAdapterError.cause.kind "DatabaseNotReachable";
 * - $queryRaw: P2010 wrapping the same driverAdapterError, or a cause of kind "postgres" with code 57P01 (fast shutdown);
 * - a transaction opened while the server shuts down: a bare DriverAdapterError whose cause has code 57P03;
 * - pg pool clients (hot paths): DatabaseError with code 57P01/57P03, or a socket Error (ECONNREFUSED, syscall connect);
 * - ioredis with no offline queue: "Stream isn't writeable and enableOfflineQueue options is false".
 */

export type Dependency = 'database' | 'redis';

/** Thrown by infrastructure when a dependency did not answer in time; the filter maps it like the others. */
export class DependencyUnavailableError extends Error {
  constructor(
    readonly dependency: Dependency,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DependencyUnavailableError';
  }
}

/** SQLSTATEs meaning "the server is going away, not there yet, or full", never "your statement is wrong". */
const PG_UNAVAILABLE_CODES = new Set([
  '57P01', // admin_shutdown (fast/smart stop while connected)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down, recovery)
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08004', // sqlserver_rejected_establishment_of_sqlconnection
  '08006', // connection_failure
  '53300', // too_many_connections
]);

/** Prisma error codes for an unreachable server, a lost connection, a pool or connect timeout, too many connections. */
const PRISMA_UNAVAILABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037']);

/** Kinds of @prisma/adapter-pg's converted driver errors that mean the server is not usable. */
const ADAPTER_UNAVAILABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);

/** Node socket errors when a TCP peer refuses, resets or never answers. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** Messages of pg and pg-pool errors that carry no code. */
const PG_MESSAGES = [
  /^Connection terminated( unexpectedly| due to connection timeout)?$/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
];

/** Messages of ioredis errors when its connection is down or a command got no reply in time. */
const REDIS_MESSAGES = [/^Stream isn't writeable and enableOfflineQueue options is false$/, /^Connection is closed\.?$/, /^Command timed out$/, /^Reached the max retries per request limit/];

type Shape = { name?: unknown; code?: unknown; message?: unknown; syscall?: unknown; severity?: unknown; kind?: unknown; cause?: unknown; meta?: unknown; errors?: unknown; dependency?: unknown };

/**
 * Which dependency an error says is unavailable: 'database', 'redis', or null for anything else
 * (a constraint violation, a bug, a statement timeout). Looks through `cause`, Prisma's
 * `meta.driverAdapterError` and AggregateError's `errors`, a few levels deep.
 *
 * A bare socket error (ECONNREFUSED...) is reported as 'database': on request paths such errors come
 * from pg pool clients, while ioredis rejects commands with its own messages and the queue producer
 * wraps its own failures in DependencyUnavailableError('redis').
 */
export function unavailableDependency(e: unknown, depth = 0): Dependency | null {
  if (!e || typeof e !== 'object' || depth > 5) return null;
  const x = e as Shape;
  const name = typeof x.name === 'string' ? x.name : '';
  const code = typeof x.code === 'string' ? x.code : '';
  const message = typeof x.message === 'string' ? x.message : '';

  if (name === 'DependencyUnavailableError' && (x.dependency === 'database' || x.dependency === 'redis')) return x.dependency;
  if (name === 'MaxRetriesPerRequestError' || REDIS_MESSAGES.some((r) => r.test(message))) return 'redis';

  if (name === 'PrismaClientInitializationError') return 'database';
  if (name.startsWith('PrismaClient')) {
    if (PRISMA_UNAVAILABLE_CODES.has(code)) return 'database';
    // P2028 is any interactive-transaction API error; only "could not start one in time" is about the pool.
    if (code === 'P2028' && /Unable to start a transaction in the given time/i.test(message)) return 'database';
  }
  // A converted driver error (DriverAdapterError.cause, or the object in meta.driverAdapterError.cause).
  if (typeof x.kind === 'string') {
    if (ADAPTER_UNAVAILABLE_KINDS.has(x.kind)) return 'database';
    if (x.kind === 'postgres' && PG_UNAVAILABLE_CODES.has(code)) return 'database';
  }
  // A raw pg DatabaseError (it has a severity) from a pool client.
  if (typeof x.severity === 'string' && PG_UNAVAILABLE_CODES.has(code)) return 'database';
  if (SOCKET_CODES.has(code) && (typeof x.syscall === 'string' || name === 'AggregateError')) return 'database';
  if (PG_MESSAGES.some((r) => r.test(message))) return 'database';

  const meta = x.meta as { driverAdapterError?: unknown } | undefined;
  const inner = [x.cause, meta && typeof meta === 'object' ? meta.driverAdapterError : undefined, ...(Array.isArray(x.errors) ? x.errors.slice(0, 5) : [])];
  for (const i of inner) {
    const found = unavailableDependency(i, depth + 1);
    if (found) return found;
  }
  return null;
}
