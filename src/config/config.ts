import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

export const ROLES = ['api', 'worker', 'all'] as const;
export type AppRole = (typeof ROLES)[number];

/** One seed node of REDIS_CLUSTER_NODES: `host:port`, optionally as a redis(s):// URL with credentials. */
const CLUSTER_NODE = String.raw`(?:rediss?://(?:[^\s,@/]*@)?)?(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):\d{1,5}(?:/\d*)?`;

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : /^(1|true|yes|on)$/i.test(String(value)));

/** The environment as the app accepts it: every variable with its rule and default. */
export class EnvSchema {
  @IsIn(ROLES as unknown as string[]) ROLE: AppRole = 'all';
  /**
   * API processes ROLE=api runs through node:cluster (one port, a primary that restarts and drains them). 1: this
   * process serves, no primary. Only ROLE=api: with `all` every fork would also run every queue processor.
   */
  @Transform(toInt) @IsInt() @Min(1) @Max(64) API_WORKERS = 1;
  @IsIn(['development', 'test', 'production']) NODE_ENV: 'development' | 'test' | 'production' = 'development';
  @Transform(toInt) @IsInt() @Min(0) @Max(65535) PORT = 3000;
  @Transform(toInt) @IsInt() @Min(0) @Max(65535) WORKER_HEALTH_PORT = 3001;
  @IsString() HOST = '0.0.0.0';
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgresql:// URL' })
  DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/crossover';
  /** Postgres role the app's queries run as (SET ROLE on connect); RLS applies to it. Empty: the login role itself. */
  @IsString() @Matches(/^[a-z_][a-z0-9_]*$|^$/, { message: 'DATABASE_APP_ROLE must be a plain role name or empty' })
  DATABASE_APP_ROLE = 'crossover_app';
  @Transform(toInt) @IsInt() @Min(1) @Max(200) DATABASE_POOL_SIZE = 10;
  @IsUrl({ protocols: ['redis', 'rediss'], require_tld: false, require_protocol: true }, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'REDIS_PREFIX must be 1-64 letters, digits, dot, dash or underscore' })
  REDIS_PREFIX = 'crossover';
  /**
   * Seed nodes of a Redis Cluster, comma-separated `host:port` (or `redis://` / `rediss://` URLs, which carry the
   * credentials and TLS of every node). Set: every Redis connection is an ioredis Cluster and REDIS_URL must be unset.
   */
  @IsOptional()
  @Matches(new RegExp(`^${CLUSTER_NODE}(,${CLUSTER_NODE}){0,49}$`), { message: 'REDIS_CLUSTER_NODES must be comma-separated host:port entries (or redis:// URLs)' })
  REDIS_CLUSTER_NODES?: string;
  @IsString() @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET = 'dev-only-secret-change-me-in-production-0123456789';
  @Transform(toInt) @IsInt() @Min(60) JWT_TTL_SECONDS = 3600;
  /** Shown in API keys: cx_<env>_... */
  @Matches(/^[a-z0-9]{2,8}$/, { message: 'KEY_ENV must be 2-8 lowercase letters or digits' }) KEY_ENV = 'live';
  @Transform(toBool) MIGRATE_ON_START = false;
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL = 'info';
  /** Longest a single SQL statement may run (ms): a runaway query frees its pooled connection instead of stalling every org. */
  @Transform(toInt) @IsInt() @Min(1000) @Max(3_600_000) DATABASE_STATEMENT_TIMEOUT_MS = 120_000;
  /** Bearer token Prometheus sends to GET /metrics; unset: open in development/test, not served in production. */
  @IsOptional() @IsString() @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' }) METRICS_TOKEN?: string;
  /** Shortest gap a digest schedule may have (s): each digest rebuilds the plan and sends webhooks. Tests lower it. */
  @Transform(toInt) @IsInt() @Min(1) @Max(604_800) DIGEST_MIN_INTERVAL_SECONDS = 3600;
  /**
   * How long an org's past must go without a rollup before its days are judged for anomalies: a backfill or a late
   * batch in progress would otherwise have its days not yet posted judged as drops (and recorded for good).
   */
  @Transform(toInt) @IsInt() @Min(0) @Max(86_400) ANOMALY_QUIET_SECONDS = 300;
  /** How often the worker re-upserts every job scheduler (s): after a Redis flush, sweeps and nightly jobs resume within this. */
  @Transform(toInt) @IsInt() @Min(1) @Max(3600) SCHEDULE_RECONCILE_SECONDS = 60;
  /** How long a running job's lock lives, and how often workers look for jobs whose worker died (ms): a killed worker's jobs resume within about twice this. */
  @Transform(toInt) @IsInt() @Min(1000) @Max(600_000) QUEUE_LOCK_MS = 30_000;
  /** Requests in flight per API process before the next is refused with 503 + Retry-After (load shedding); health and metrics never count. */
  @Transform(toInt) @IsInt() @Min(1) @Max(100_000) MAX_INFLIGHT_REQUESTS = 32;
  @Transform(toInt) @IsInt() @Min(1) RATE_LIMIT_PER_MINUTE = 600;
  @Transform(toInt) @IsInt() @Min(1) RATE_LIMIT_IP_PER_MINUTE = 1200;
  /** The budget decision route (GET /v1/budgets/decision), per key and per IP, on counters of its own: 2,000/s. */
  @Transform(toInt) @IsInt() @Min(1) RATE_LIMIT_DECIDE_PER_MINUTE = 120_000;
  @Transform(toInt) @IsInt() @Min(1) LOGIN_MAX_FAILURES = 5;
  @IsOptional() @IsString() PUBLIC_URL?: string;
  /**
   * Proxies whose X-Forwarded-For is believed (Fastify's trustProxy): unset = none, the socket's address is the
   * client; a hop count ("1"), or addresses/CIDRs ("10.0.0.0/8,127.0.0.1"). Never "true": anyone could then pick
   * their own IP and step around per-IP limits.
   */
  @IsOptional() @Matches(/^(\d{1,2}|[0-9A-Fa-f.:/]{2,49}(,[0-9A-Fa-f.:/]{2,49}){0,19})$/, { message: 'TRUST_PROXY must be a hop count or a comma-separated list of proxy addresses/CIDRs' })
  TRUST_PROXY?: string;
  /** Comma-separated hosts webhooks may reach even on private addresses (an operator's internal receivers, tests). */
  @Matches(/^[A-Za-z0-9.:_\-\[\]]{1,253}(,[A-Za-z0-9.:_\-\[\]]{1,253}){0,49}$/, { message: 'WEBHOOK_ALLOW_HOSTS must be a comma-separated list of host names or IP addresses' })
  @IsOptional()
  WEBHOOK_ALLOW_HOSTS?: string;
  /**
   * Keys that seal connector credentials (AES-256-GCM): `id:base64` entries, comma-separated, each key 32 bytes.
   * The first seals new credentials; every entry can open (rotation: put the new key first, re-seal, drop the old).
   * Unset: a development-only key (refused in production).
   */
  @IsOptional() @Matches(/^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]{43,44}(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]{43,44}){0,9}$/, {
    message: 'CONNECTOR_ENCRYPTION_KEY must be id:base64 entries (32-byte keys), comma-separated',
  })
  CONNECTOR_ENCRYPTION_KEY?: string;
  /** Whether a connector may name its own baseUrl (tests, corporate proxies); off by default. */
  @Transform(toBool) CONNECTOR_ALLOW_BASE_URL = false;
}

export interface AppConfig {
  role: AppRole;
  /** API processes under a node:cluster primary (ROLE=api only); 1 = no primary. */
  apiWorkers: number;
  env: EnvSchema['NODE_ENV'];
  http: { host: string; port: number; workerHealthPort: number; publicUrl: string; trustProxy: number | string[] | false };
  database: { url: string; appRole: string | null; poolSize: number; migrateOnStart: boolean; statementTimeoutMs: number };
  /**
   * `prefix` starts every key of our own (RedisService.key); `queuePrefix` is BullMQ's: on a cluster it is the
   * hash tag `{<prefix>}`, so every key of a queue (which BullMQ's Lua scripts use together) is in one slot.
   * `url` is REDIS_URL, or the first seed node on a cluster (for messages only).
   */
  redis: { url: string; prefix: string; queuePrefix: string; cluster: RedisClusterConfig | null; scheduleReconcileSeconds: number; queueLockMs: number };
  auth: { jwtSecret: string; jwtTtlSeconds: number; keyEnv: string; loginMaxFailures: number };
  rateLimit: { perMinute: number; ipPerMinute: number; decidePerMinute: number; maxInflight: number };
  digests: { minIntervalSeconds: number };
  anomalies: { quietSeconds: number };
  /** GET /metrics: 'open' (development/test without a token), 'token' (Bearer METRICS_TOKEN), 'off' (production without a token). */
  metrics: { access: 'open' | 'token' | 'off'; token: string | null };
  /** Outgoing webhooks: hosts exempt from the private-address check, and https required (production). */
  webhooks: { allowHosts: string[]; requireHttps: boolean };
  /** Provider connectors: sealing keys (first seals; all open) and whether a connector may set its baseUrl. */
  connectors: { keys: { id: string; key: Buffer }[]; allowBaseUrl: boolean };
  logLevel: string;
}

/** A Redis Cluster as REDIS_CLUSTER_NODES gives it: the seeds (ioredis discovers the rest), and what every node shares. */
export interface RedisClusterConfig {
  nodes: { host: string; port: number }[];
  username?: string;
  password?: string;
  tls: boolean;
}

export class ConfigError extends Error {}

/**
 * REDIS_CLUSTER_NODES, once its shape is valid. One ioredis Cluster has one set of node options, so every seed
 * must name the same scheme and credentials; a cluster has only database 0.
 */
function redisCluster(value: string | undefined, redisUrlSet: boolean): RedisClusterConfig | null {
  if (value === undefined) return null;
  if (redisUrlSet) throw new ConfigError('Invalid configuration: set REDIS_URL or REDIS_CLUSTER_NODES, not both (a cluster is reached through its nodes)');
  const urls = value.split(',').map((entry) => {
    try {
      return new URL(entry.includes('://') ? entry : `redis://${entry}`);
    } catch {
      throw new ConfigError(`Invalid configuration: REDIS_CLUSTER_NODES entry ${JSON.stringify(entry.replace(/\/\/[^@/]*@/, '//***@'))} is not a valid host:port`);
    }
  });
  const shared = (u: URL) => `${u.protocol}//${u.username}:${u.password}`;
  if (urls.some((u) => shared(u) !== shared(urls[0]!))) throw new ConfigError('Invalid configuration: REDIS_CLUSTER_NODES entries must all use the same scheme and credentials');
  if (urls.some((u) => u.pathname !== '' && u.pathname !== '/' && u.pathname !== '/0')) throw new ConfigError('Invalid configuration: REDIS_CLUSTER_NODES cannot select a database (a Redis Cluster has only database 0)');
  const nodes = urls.map((u) => ({ host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 6379) }));
  const bad = nodes.find((n) => n.port < 1 || n.port > 65535);
  if (bad) throw new ConfigError(`Invalid configuration: REDIS_CLUSTER_NODES port ${bad.port} of ${bad.host} is out of range`);
  const first = urls[0]!;
  return {
    nodes,
    ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
    ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
    tls: first.protocol === 'rediss:',
  };
}

/** Secrets that appear in this repository (the development default, the old compose fallback): never valid in production. */
const PUBLISHED_SECRETS: readonly string[] = [
  'dev-only-secret-change-me-in-production-0123456789',
  'change-me-to-a-long-random-secret-of-32-chars',
  'local-compose-only-secret-not-for-production-0000',
];

/** The development-only sealing key (published here, so refused in production by loadConfig). */
const DEV_CONNECTOR_KEY = 'dev:' + Buffer.alloc(32, 'crossover-dev-connector-key-0000').toString('base64');

function connectorKeys(value: string | undefined): { id: string; key: Buffer }[] {
  const keys = (value ?? DEV_CONNECTOR_KEY).split(',').map((entry) => {
    const [id, b64] = entry.split(':') as [string, string];
    return { id, key: Buffer.from(b64, 'base64') };
  });
  const bad = keys.find((k) => k.key.length !== 32);
  if (bad) throw new ConfigError(`Invalid configuration: CONNECTOR_ENCRYPTION_KEY entry ${bad.id} must decode to 32 bytes, got ${bad.key.length}`);
  if (new Set(keys.map((k) => k.id)).size !== keys.length) throw new ConfigError('Invalid configuration: CONNECTOR_ENCRYPTION_KEY ids must be distinct');
  return keys;
}

/** Validates the environment once; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const known = Object.keys(new EnvSchema());
  const picked: Record<string, string> = {};
  for (const key of [...known, 'PUBLIC_URL', 'WEBHOOK_ALLOW_HOSTS', 'TRUST_PROXY', 'METRICS_TOKEN', 'CONNECTOR_ENCRYPTION_KEY', 'REDIS_CLUSTER_NODES']) if (env[key] !== undefined && env[key] !== '') picked[key] = env[key] as string;
  // An explicitly empty DATABASE_APP_ROLE means "no SET ROLE".
  if (env.DATABASE_APP_ROLE === '') picked.DATABASE_APP_ROLE = '';
  const parsed = plainToInstance(EnvSchema, picked, { exposeDefaultValues: true });
  const errors = validateSync(parsed, { skipMissingProperties: false });
  if (parsed.NODE_ENV === 'production' && !picked.JWT_SECRET) {
    throw new ConfigError('Invalid configuration: JWT_SECRET must be set in production');
  }
  if (parsed.NODE_ENV === 'production' && PUBLISHED_SECRETS.includes(parsed.JWT_SECRET)) {
    throw new ConfigError('Invalid configuration: JWT_SECRET is a value published in this repository; set a random secret of at least 32 characters');
  }
  if (parsed.NODE_ENV === 'production' && env.DATABASE_APP_ROLE === '') {
    // An empty role means every statement runs as the login role, which row-level security may not bind: tenant isolation off.
    throw new ConfigError('Invalid configuration: DATABASE_APP_ROLE must name the row-level-security role in production (empty disables tenant isolation)');
  }
  if (parsed.NODE_ENV === 'production' && !picked.CONNECTOR_ENCRYPTION_KEY) {
    throw new ConfigError('Invalid configuration: CONNECTOR_ENCRYPTION_KEY must be set in production (connector credentials are sealed with it)');
  }
  if (parsed.NODE_ENV === 'production' && picked.CONNECTOR_ENCRYPTION_KEY?.split(',').some((e) => e.split(':')[1] === DEV_CONNECTOR_KEY.split(':')[1])) {
    throw new ConfigError('Invalid configuration: CONNECTOR_ENCRYPTION_KEY holds the development key published in this repository; generate one with `openssl rand -base64 32`');
  }
  if (errors.length) {
    const lines = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')} (got ${JSON.stringify(picked[e.property] ?? null)})`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const cluster = redisCluster(parsed.REDIS_CLUSTER_NODES, picked.REDIS_URL !== undefined);
  if (parsed.API_WORKERS > 1 && parsed.ROLE !== 'api') {
    // Forks of `all` would each run every queue processor and schedule pass, so rollups would compete with ingest in
    // every process and the worker count would silently follow the HTTP count: run ROLE=worker processes apart instead.
    throw new ConfigError(`Invalid configuration: API_WORKERS=${parsed.API_WORKERS} needs ROLE=api (got ROLE=${parsed.ROLE}); run ROLE=worker processes apart`);
  }
  return {
    role: parsed.ROLE,
    apiWorkers: parsed.API_WORKERS,
    env: parsed.NODE_ENV,
    http: {
      host: parsed.HOST,
      port: parsed.PORT,
      workerHealthPort: parsed.WORKER_HEALTH_PORT,
      publicUrl: parsed.PUBLIC_URL ?? `http://127.0.0.1:${parsed.PORT}`,
      trustProxy: parsed.TRUST_PROXY === undefined ? false : /^\d+$/.test(parsed.TRUST_PROXY) ? Number(parsed.TRUST_PROXY) : parsed.TRUST_PROXY.split(','),
    },
    database: {
      url: parsed.DATABASE_URL,
      appRole: parsed.DATABASE_APP_ROLE || null,
      poolSize: parsed.DATABASE_POOL_SIZE,
      migrateOnStart: parsed.MIGRATE_ON_START,
      statementTimeoutMs: parsed.DATABASE_STATEMENT_TIMEOUT_MS,
    },
    redis: {
      url: cluster ? `${cluster.tls ? 'rediss' : 'redis'}://${cluster.nodes[0]!.host}:${cluster.nodes[0]!.port}` : parsed.REDIS_URL,
      prefix: parsed.REDIS_PREFIX,
      // Single node: the prefix as it always was, so queues of existing deployments are found after an upgrade.
      queuePrefix: cluster ? `{${parsed.REDIS_PREFIX}}` : parsed.REDIS_PREFIX,
      cluster,
      scheduleReconcileSeconds: parsed.SCHEDULE_RECONCILE_SECONDS,
      queueLockMs: parsed.QUEUE_LOCK_MS,
    },
    auth: {
      jwtSecret: parsed.JWT_SECRET,
      jwtTtlSeconds: parsed.JWT_TTL_SECONDS,
      keyEnv: parsed.KEY_ENV,
      loginMaxFailures: parsed.LOGIN_MAX_FAILURES,
    },
    rateLimit: { perMinute: parsed.RATE_LIMIT_PER_MINUTE, ipPerMinute: parsed.RATE_LIMIT_IP_PER_MINUTE, decidePerMinute: parsed.RATE_LIMIT_DECIDE_PER_MINUTE, maxInflight: parsed.MAX_INFLIGHT_REQUESTS },
    digests: { minIntervalSeconds: parsed.DIGEST_MIN_INTERVAL_SECONDS },
    anomalies: { quietSeconds: parsed.ANOMALY_QUIET_SECONDS },
    metrics: { access: parsed.METRICS_TOKEN ? 'token' : parsed.NODE_ENV === 'production' ? 'off' : 'open', token: parsed.METRICS_TOKEN ?? null },
    webhooks: {
      allowHosts: (parsed.WEBHOOK_ALLOW_HOSTS ?? '').split(',').map((h) => h.trim().replace(/^\[|\]$/g, '').toLowerCase()).filter((h) => h !== ''),
      requireHttps: parsed.NODE_ENV === 'production',
    },
    connectors: { keys: connectorKeys(parsed.CONNECTOR_ENCRYPTION_KEY), allowBaseUrl: parsed.CONNECTOR_ALLOW_BASE_URL },
    logLevel: parsed.LOG_LEVEL,
  };
}

/** Injection token for the validated AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
