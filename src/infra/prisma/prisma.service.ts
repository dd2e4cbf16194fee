import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { APP_CONFIG, type AppConfig } from '../../config/config.js';
import { PrismaClient, type Prisma } from '../../generated/prisma/client.js';

export type Tx = Prisma.TransactionClient;

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
    // The role is a startup parameter of every connection, so no statement
    // can ever run as the login role (which, locally, is a superuser).
    const pool = new pg.Pool({ connectionString: config.database.url, max: config.database.poolSize, ...(role ? { options: `-c role=${role}` } : {}) });
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
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.org_id', $1, true)`, [orgId]);
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  // Disconnect only after the HTTP server has drained and workers have
  // stopped (application shutdown runs after both), never in onModuleDestroy.
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
    await this.pool.end().catch(() => undefined);
  }
}
