import { ConfigError, loadConfig } from './config.js';

const PROD_KEY = `k1:${Buffer.alloc(32, 3).toString('base64')}`;

describe('loadConfig', () => {
  it('gives local defaults for the services on 127.0.0.1 when nothing is set', () => {
    const c = loadConfig({});
    expect(c.role).toBe('all');
    expect(c.http.port).toBe(3000);
    expect(c.database.url).toBe('postgresql://postgres@127.0.0.1:5432/crossover');
    expect(c.redis).toEqual({ url: 'redis://127.0.0.1:6379', prefix: 'crossover', scheduleReconcileSeconds: 60 });
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

  it('refuses to start in production with the development JWT secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET must be set/);
  });

  it('an empty DATABASE_APP_ROLE turns SET ROLE off', () => {
    expect(loadConfig({ DATABASE_APP_ROLE: '' }).database.appRole).toBeNull();
  });
});
