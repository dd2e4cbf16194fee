import { DependencyUnavailableError, unavailableDependency } from './unavailable.js';

// Shapes copied from what Prisma 6.19 (@prisma/adapter-pg), pg 8 and ioredis 6 threw against a real
// PostgreSQL 15 cluster and redis-server stopped, shut down or killed mid-request.
function err(props: Record<string, unknown>): Error {
  return Object.assign(new Error(String(props.message ?? '')), props);
}

const notReachable = { name: 'DriverAdapterError', message: 'DatabaseNotReachable', cause: { kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 35923 } };
const adminShutdownCause = { originalCode: '57P01', originalMessage: 'terminating connection due to administrator command', kind: 'postgres', code: '57P01', severity: 'FATAL', message: 'terminating connection due to administrator command' };
const shuttingDownCause = { originalCode: '57P03', originalMessage: 'the database system is shutting down', kind: 'postgres', code: '57P03', severity: 'FATAL', message: 'the database system is shutting down' };

describe('unavailableDependency', () => {
  it.each<[string, unknown]>([
    ['a Prisma model call on a stopped server (P1001, DatabaseNotReachable)', err({ name: 'PrismaClientKnownRequestError', code: 'P1001', message: "Can't reach database server at 127.0.0.1:35923", meta: { modelName: 'Organization', driverAdapterError: notReachable } })],
    ['$queryRaw on a stopped server (P2010 wrapping DatabaseNotReachable)', err({ name: 'PrismaClientKnownRequestError', code: 'P2010', message: 'Raw query failed. Code: `N/A`.', meta: { driverAdapterError: notReachable } })],
    ['$queryRaw in flight during a fast shutdown (P2010 wrapping 57P01)', err({ name: 'PrismaClientKnownRequestError', code: 'P2010', message: 'Raw query failed. Code: `57P01`.', meta: { driverAdapterError: { name: 'DriverAdapterError', message: adminShutdownCause.message, cause: adminShutdownCause } } })],
    ['a transaction begun while the server shuts down (bare DriverAdapterError, 57P03)', err({ name: 'DriverAdapterError', message: 'the database system is shutting down', cause: shuttingDownCause, clientVersion: '6.19.3' })],
    ['a pool client during a fast shutdown (pg DatabaseError 57P01)', err({ name: 'error', code: '57P01', severity: 'FATAL', message: 'terminating connection due to administrator command', routine: 'ProcessInterrupts' })],
    ['a pool client connecting to a stopped server (ECONNREFUSED)', err({ message: 'connect ECONNREFUSED 127.0.0.1:35923', errno: -111, code: 'ECONNREFUSED', syscall: 'connect', address: '127.0.0.1', port: 35923 })],
    ['localhost resolving to ::1 and 127.0.0.1, both refused (AggregateError)', Object.assign(new AggregateError([err({ code: 'ECONNREFUSED', syscall: 'connect' })], ''), { code: 'ECONNREFUSED' })],
    ['pg-pool waiting for a free connection too long', new Error('timeout exceeded when trying to connect')],
    ['pg connecting to a server that never answers', new Error('Connection terminated due to connection timeout')],
    ['a pool client whose server went away', new Error('Connection terminated unexpectedly')],
    ['Prisma waiting for a pool connection (P2024)', err({ name: 'PrismaClientKnownRequestError', code: 'P2024', message: 'Timed out fetching a new connection from the connection pool.' })],
    ['Prisma unable to start a transaction in time (P2028)', err({ name: 'PrismaClientKnownRequestError', code: 'P2028', message: 'Transaction API error: Unable to start a transaction in the given time.' })],
    ['Prisma failing to connect at all', err({ name: 'PrismaClientInitializationError', errorCode: 'P1001', message: "Can't reach database server" })],
    ['too many connections (53300 through the adapter)', err({ name: 'DriverAdapterError', message: 'TooManyConnections', cause: { kind: 'TooManyConnections', cause: 'sorry, too many clients already' } })],
    ['a connection closed under Prisma (P1017)', err({ name: 'PrismaClientKnownRequestError', code: 'P1017', message: 'Server has closed the connection.' })],
  ])('%s → database', (_, e) => {
    expect(unavailableDependency(e)).toBe('database');
  });

  it.each<[string, unknown]>([
    ['an ioredis command with Redis down and no offline queue', new Error("Stream isn't writeable and enableOfflineQueue options is false")],
    ['an ioredis command on a closed connection', new Error('Connection is closed.')],
    ['an ioredis command with no reply within commandTimeout', new Error('Command timed out')],
    ['ioredis giving up after its retries', err({ name: 'MaxRetriesPerRequestError', message: 'Reached the max retries per request limit (which is 1). Refer to "maxRetriesPerRequest" option for details.' })],
    ['the queue producer giving up on a Redis it never reached', new DependencyUnavailableError('redis', 'queue not ready')],
    ['an Error whose cause is a Redis failure', new Error('enqueue failed', { cause: new Error('Command timed out') })],
  ])('%s → redis', (_, e) => {
    expect(unavailableDependency(e)).toBe('redis');
  });

  it.each<[string, unknown]>([
    ['a unique violation (P2002)', err({ name: 'PrismaClientKnownRequestError', code: 'P2002', meta: { target: ['email'], driverAdapterError: { name: 'DriverAdapterError', cause: { kind: 'UniqueConstraintViolation' } } } })],
    ['a raw unique violation from a pool client', err({ name: 'error', code: '23505', severity: 'ERROR', message: 'duplicate key value violates unique constraint' })],
    ['a statement timeout (57014: the server is up, the query was too slow)', err({ name: 'error', code: '57014', severity: 'ERROR', message: 'canceling statement due to statement timeout' })],
    ['a closed interactive transaction (P2028 for another reason)', err({ name: 'PrismaClientKnownRequestError', code: 'P2028', message: 'Transaction already closed: A query cannot be executed on an expired transaction.' })],
    ['a numeric overflow through the adapter (kind postgres, 22003)', err({ name: 'DriverAdapterError', cause: { kind: 'postgres', code: '22003', severity: 'ERROR' } })],
    ['a programming error', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a string', 'Connection is closed.'],
    ['null', null],
    ['a self-referencing cause chain', (() => { const e = new Error('loop') as Error & { cause?: unknown }; e.cause = e; return e; })()],
  ])('%s → null', (_, e) => {
    expect(unavailableDependency(e)).toBeNull();
  });
});
