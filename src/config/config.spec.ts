import { ConfigError, loadConfig } from './config.js';

const PROD_KEY = `k1:${Buffer.alloc(32, 3).toString('base64')}`;

describe('loadConfig', () => {
  it('gives local defaults for the services on 127.0.0.1 when nothing is set', () => {
    const c = loadConfig({});
    expect(c.role).toBe('all');
    expect(c.http.port).toBe(3000);
    expect(c.database.url).toBe('postgresql://postgres@127.0.0.1:5432/crossover');
    // Single node: the queue prefix is the plain prefix, as before clusters were supported (no orphaned queues).
    expect(c.redis).toEqual({ url: 'redis://127.0.0.1:6379', prefix: 'crossover', queuePrefix: 'crossover', cluster: null, scheduleReconcileSeconds: 60, queueLockMs: 30_000 });
    expect(c.database.appRole).toBe('crossover_app');
    expect(c.rateLimit.maxInflight).toBe(32);
  });

  it('parses numbers and booleans from strings', () => {
    const c = loadConfig({ PORT: '8080', MIGRATE_ON_START: 'true', ROLE: 'worker', REDIS_PREFIX: 'cx-test' });
    expect(c.http.port).toBe(8080);
    expect(c.database.migrateOnStart).toBe(true);
    expect(c.role).toBe('worker');
    expect(c.redis.prefix).toBe('cx-test');
  });

  it.each([
    ['ROLE', 'scheduler'],
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['REDIS_URL', 'localhost:6379'],
    ['JWT_SECRET', 'short'],
    ['REDIS_PREFIX', 'has space'],
  ])('rejects %s=%s and names the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}:`));
  });

  it('lists every bad variable at once', () => {
    try {
      loadConfig({ PORT: 'x', ROLE: 'y' });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(String(e)).toMatch(/PORT:/);
      expect(String(e)).toMatch(/ROLE:/);
    }
  });

  it.each(['dev-only-secret-change-me-in-production-0123456789', 'change-me-to-a-long-random-secret-of-32-chars'])(
    'refuses to start in production with the published secret %s',
    (secret) => {
      expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret })).toThrow(/JWT_SECRET is a value published in this repository/);
    },
  );

  it('refuses to start in production with an empty DATABASE_APP_ROLE (tenant isolation off); allows it in development', () => {
    const secret = 'a'.repeat(40);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, DATABASE_APP_ROLE: '' })).toThrow(/DATABASE_APP_ROLE must name/);
    expect(loadConfig({ NODE_ENV: 'development', DATABASE_APP_ROLE: '' }).database.appRole).toBeNull();
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, CONNECTOR_ENCRYPTION_KEY: PROD_KEY }).database.appRole).toBe('crossover_app');
  });

  it('connector credentials: production refuses a missing or published sealing key; keys must be 32 bytes with distinct ids; the first seals', () => {
    const secret = 'a'.repeat(40);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret })).toThrow(/CONNECTOR_ENCRYPTION_KEY must be set in production/);
    const dev = loadConfig({}).connectors.keys[0];
    expect(dev.key).toHaveLength(32);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, CONNECTOR_ENCRYPTION_KEY: `k1:${dev.key.toString('base64')}` })).toThrow(/development key published/);
    expect(() => loadConfig({ CONNECTOR_ENCRYPTION_KEY: `k1:${Buffer.alloc(16).toString('base64')}` })).toThrow(/CONNECTOR_ENCRYPTION_KEY/);
    expect(() => loadConfig({ CONNECTOR_ENCRYPTION_KEY: `${PROD_KEY},${PROD_KEY}` })).toThrow(/ids must be distinct/);
    const rotated = loadConfig({ CONNECTOR_ENCRYPTION_KEY: `k2:${Buffer.alloc(32, 7).toString('base64')},${PROD_KEY}` }).connectors;
    expect(rotated.keys.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(rotated.allowBaseUrl).toBe(false);
    expect(loadConfig({ CONNECTOR_ALLOW_BASE_URL: 'true' }).connectors.allowBaseUrl).toBe(true);
  });

  it('REDIS_CLUSTER_NODES: seeds as host:port or redis(s):// URLs; the queue prefix becomes the hash tag {prefix}', () => {
    const c = loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000,10.0.0.2:7001', REDIS_PREFIX: 'cx' });
    expect(c.redis).toMatchObject({ prefix: 'cx', queuePrefix: '{cx}', url: 'redis://10.0.0.1:7000', cluster: { nodes: [{ host: '10.0.0.1', port: 7000 }, { host: '10.0.0.2', port: 7001 }], tls: false } });
    const tls = loadConfig({ REDIS_CLUSTER_NODES: 'rediss://app:p%40ss@redis-a.internal:6380,rediss://app:p%40ss@[fd00::2]:6380' }).redis.cluster;
    expect(tls).toEqual({ nodes: [{ host: 'redis-a.internal', port: 6380 }, { host: 'fd00::2', port: 6380 }], username: 'app', password: 'p@ss', tls: true });
  });

  it.each([
    ['a shape that is not host:port', { REDIS_CLUSTER_NODES: 'redis-a' }, /REDIS_CLUSTER_NODES: REDIS_CLUSTER_NODES must be comma-separated host:port/],
    ['REDIS_URL set as well', { REDIS_CLUSTER_NODES: '10.0.0.1:7000', REDIS_URL: 'redis://10.0.0.1:7000' }, /set REDIS_URL or REDIS_CLUSTER_NODES, not both/],
    ['seeds with different credentials', { REDIS_CLUSTER_NODES: 'redis://:a@h1:7000,redis://:b@h2:7000' }, /REDIS_CLUSTER_NODES entries must all use the same scheme and credentials/],
    ['a database other than 0', { REDIS_CLUSTER_NODES: 'redis://h1:7000/2' }, /REDIS_CLUSTER_NODES cannot select a database/],
    ['a port out of range', { REDIS_CLUSTER_NODES: 'h1:70000' }, /REDIS_CLUSTER_NODES entry "h1:70000" is not a valid host:port/],
    ['port 0', { REDIS_CLUSTER_NODES: 'h1:0' }, /REDIS_CLUSTER_NODES port 0 of h1 is out of range/],
  ])('REDIS_CLUSTER_NODES refuses %s, naming the variable', (_, env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('refuses to start in production with the development JWT secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET must be set/);
  });

  it('API_WORKERS: 1 by default, N processes only for ROLE=api', () => {
    expect(loadConfig({}).apiWorkers).toBe(1);
    expect(loadConfig({ ROLE: 'api', API_WORKERS: '4' }).apiWorkers).toBe(4);
    expect(() => loadConfig({ ROLE: 'all', API_WORKERS: '2' })).toThrow(/API_WORKERS=2 needs ROLE=api/);
    expect(() => loadConfig({ ROLE: 'api', API_WORKERS: '0' })).toThrow(/API_WORKERS/);
  });

  it('QUEUE_LOCK_MS sets how soon the jobs of a dead worker are taken up, and refuses under a second', () => {
    expect(loadConfig({}).redis.queueLockMs).toBe(30_000);
    expect(loadConfig({ QUEUE_LOCK_MS: '3000' }).redis.queueLockMs).toBe(3000);
    expect(() => loadConfig({ QUEUE_LOCK_MS: '10' })).toThrow(/QUEUE_LOCK_MS/);
  });

  it('an empty DATABASE_APP_ROLE turns SET ROLE off', () => {
    expect(loadConfig({ DATABASE_APP_ROLE: '' }).database.appRole).toBeNull();
  });
});
