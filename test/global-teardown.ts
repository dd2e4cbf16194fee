import pg from 'pg';
import { Redis } from 'ioredis';

/** Drops this run's database and the Redis keys its apps created (prefix cxtest-*). */
export default async function globalTeardown(): Promise<void> {
  const name = process.env.CROSSOVER_TEST_DATABASE_NAME;
  if (name) {
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres' });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => admin.end());
  }
  const redis = new Redis(process.env.CROSSOVER_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `cxtest-${process.pid}-*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    /* Redis gone: nothing to clean */
  } finally {
    redis.disconnect();
  }
}
