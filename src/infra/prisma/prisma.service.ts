import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { PrismaClient, type Prisma } from '../../generated/prisma/client.js';

export type Tx = Prisma.TransactionClient;

/**
 * Longest a query waits for a pooled connection, or for a new connection's handshake (ms).
 * pg-pool applies the same bound to both; 5 s is far above a healthy handshake on a LAN
 * (a few ms) and keeps a request well under a client's usual 30 s timeout.
 */
export const POOL_ACQUIRE_TIMEOUT_MS = 5_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `BEGIN` and the org scope in one round trip (the simple query protocol runs both statements of one string;
 * parameters would need the extended protocol, one statement per message). The org id is inlined, so anything
 * but a UUID is refused here: it never reaches SQL text.
 */
export function beginAsTenant(orgId: string): string {
  if (!UUID.test(orgId)) throw new Error(`not an org id: ${JSON.stringify(orgId.slice(0, 40))}`);
  return `BEGIN; SELECT set_config('app.org_id', '${orgId}', true)`;
}

/**
 * The one Prisma client of the process, over a pg pool whose connections run
 * as the app role that row-level security applies to.
 *
 * Tenant data is only reached through `tenant(orgId, fn)`: one transaction
 * that first sets `app.org_id`, so RLS confines every statement in it to that
 * org even if a repository forgot its own `org_id` filter.
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  private readonly logger = new Logger(PrismaService.name);
  readonly pool: pg.Pool;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const role = config.database.appRole;
    // Startup parameters of every connection, after any the URL sets (the last -c wins):
    // - the role, so no statement can ever run as the login role (locally a superuser);
    // - UTC, so hour buckets (date_trunc on timestamptz) never follow a server's or role's time zone;
    // - a statement timeout, so one runaway query cannot hold a pooled connection for ever.
    // (pg lets a URL's own `options` replace the config's, so they are moved out of the URL and merged.)
    const url = new URL(config.database.url);
    const urlOptions = url.searchParams.get('options');
    url.searchParams.delete('options');
    const options = [urlOptions, '-c TimeZone=UTC', `-c statement_timeout=${config.database.statementTimeoutMs}`, role ? `-c role=${role}` : null].filter(Boolean).join(' ');
    const pool = new pg.Pool({
      connectionString: url.toString(),
      max: config.database.poolSize,
      options,
      // Without a bound, a request waits for ever for a pool slot (all connections busy) or for a
      // server that accepts TCP but never answers; then the API answers 503 + Retry-After instead.
      connectionTimeoutMillis: POOL_ACQUIRE_TIMEOUT_MS,
      // A peer that vanished (network cut, host gone) is detected by TCP keepalive instead of
      // leaving a checked-out connection waiting on a socket that will never answer.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    pool.on('error', (err) => this.logger.error(`idle pg client error: ${err.message}`));
    super({ adapter: new PrismaPg(pool) });
    this.pool = pool;
  }

  /** Runs `fn` in a transaction scoped to `orgId` (RLS + the caller's own filters). */
  tenant<T>(orgId: string, fn: (tx: Tx) => Promise<T>, options?: { timeout?: number; maxWait?: number }): Promise<T> {
    return this.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT set_config('app.org_id', ${orgId}, true)`;
        return fn(tx);
      },
      { timeout: options?.timeout ?? 30_000, maxWait: options?.maxWait ?? 10_000 },
    );
  }

  /**
   * The same scope on a raw pg client, for hot paths (bulk inserts with unnest
   * or COPY) where Prisma's per-statement overhead matters.
   */
  async tenantPg<T>(orgId: string, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.retried(() => this.tenantPgOnce(orgId, fn));
  }

  /**
   * One statement in the org's scope, its whole transaction in ONE round trip: `BEGIN; set_config; <sql>; COMMIT`
   * sent as one simple query (the hot insert of single events, where each round trip's socket writes cost more
   * CPU than the statement). The simple protocol takes no parameters: every value must be inlined by the caller
   * as a safe literal (a validated UUID, a dollar-quoted document). Returns the statement's rows.
   */
  async tenantStatement<R extends pg.QueryResultRow>(orgId: string, sql: string): Promise<R[]> {
    return this.retried(() =>
      this.onClient(async (client) => {
        // Results: BEGIN, set_config, the statement, COMMIT. An error aborts the rest of the string and leaves the
        // transaction failed; onClient rolls it back.
        const results = (await client.query(`${beginAsTenant(orgId)}; ${sql}; COMMIT`)) as unknown as pg.QueryResult<R>[];
        return results[2].rows;
      }),
    );
  }

  /** A deadlock victim (40P01) or serialization failure (40001) is rolled back whole: run it again (3 tries). */
  private async retried<T>(run: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (attempt >= 3 || (code !== '40P01' && code !== '40001')) throw err;
        this.logger.warn(`retrying transaction after ${code} (attempt ${attempt})`);
      }
    }
  }

  /**
   * Every row of `sql` in the org's scope, `batch` rows at a time through a server-side cursor: an export of any
   * size holds one connection and one batch in memory. `onRows` may wait (a client reading slowly) and the next
   * FETCH waits with it. Returns how many rows were read.
   */
  async tenantCursor<R>(orgId: string, sql: string, params: unknown[], onRows: (rows: R[]) => Promise<void>, batch: number): Promise<number> {
    return this.tenantPg(orgId, async (c) => {
      await c.query(`DECLARE tenant_cursor NO SCROLL CURSOR FOR ${sql}`, params);
      let total = 0;
      for (;;) {
        const { rows } = await c.query(`FETCH ${batch} FROM tenant_cursor`);
        if (rows.length === 0) return total;
        total += rows.length;
        await onRows(rows as R[]);
      }
    });
  }

  private tenantPgOnce<T>(orgId: string, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.onClient(async (client) => {
      await client.query(beginAsTenant(orgId));
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    });
  }

  /** A pooled connection for `fn`, which opens and commits its own transaction: rolled back on failure, destroyed when broken. */
  private async onClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A connection that dies while checked out emits 'error'; without a
    // listener that would crash the process. The query in flight rejects too,
    // which is what the caller sees.
    const onError = (err: Error) => this.logger.warn(`pg connection lost in a transaction: ${err.message}`);
    client.on('error', onError);
    let broken: Error | undefined;
    try {
      return await fn(client);
    } catch (err) {
      broken = err as Error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.off('error', onError);
      // Passing the error destroys the connection instead of returning it to the pool.
      client.release(broken && (broken as { code?: string }).code === undefined ? broken : undefined);
    }
  }

  // Disconnect only after the HTTP server has drained and workers have
  // stopped (application shutdown runs after both), never in onModuleDestroy.
  /** One round trip to PostgreSQL (readiness). */
  async ping(): Promise<void> {
    await this.$queryRaw`SELECT 1`;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
    await this.pool.end().catch(() => undefined);
  }
}
