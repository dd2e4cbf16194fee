import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Redis } from 'ioredis';
import { Money } from '../../src/domain/money.js';
import { verifySignature } from '../../src/common/standard-webhooks.js';
import { bootApp, type TestApp } from '../support/app.js';
import { startRedisCluster, type RedisClusterHandle } from '../support/clusters.js';
import { TEST_DATABASE_URL } from '../support/env.js';
import { createOrg, type TestOrg } from '../support/factories.js';
import { startReceiver } from '../support/receiver.js';
import { waitFor } from '../support/wait.js';

/**
 * The whole app on a 3-master Redis Cluster that this suite starts on free loopback ports and throws away:
 * ingest, the rollup jobs behind the spend report, a scheduled digest and its webhook all go through BullMQ on
 * the cluster; every queue key sits in the one slot of the hash tag `{<REDIS_PREFIX>}` (BullMQ's Lua scripts
 * touch many keys of a queue at once, which a cluster only allows within one slot), and the rate-limit and
 * sign-in counters (a script, MGET and MULTI) work there too instead of failing open.
 */

let cluster: RedisClusterHandle;
let t: TestApp;
let db: pg.Client;

beforeAll(async () => {
  cluster = await startRedisCluster(3);
  // REDIS_URL emptied: bootApp passes the shared test Redis, and the config refuses both at once.
  // (Killing every node and starting them again is not tested here: in 1 run of 8 the app's close then outlived
  // its hook, with the cause not found; fail-fast producers on a lost Redis are tested on one node, faults-redis.)
  t = await bootApp({ REDIS_URL: '', REDIS_CLUSTER_NODES: cluster.nodes });
  db = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
}, 120_000);

afterAll(async () => {
  try {
    await db?.end();
    await t?.close();
  } finally {
    await cluster?.destroy();
  }
}, 60_000);

const HOUR = 3_600_000;
const MODELS = [
  ['openai', 'gpt-4o'],
  ['anthropic', 'claude-sonnet-4.5'],
  ['google', 'gemini-2.5-flash'],
] as const;

function events(n: number) {
  const seed = randomBytes(5).toString('hex');
  const start = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
  return Array.from({ length: n }, (_, i) => {
    const [provider, model] = MODELS[i % MODELS.length]!;
    return {
      id: `cluster-${seed}-${i}`,
      timestamp: new Date(start + ((i * 7_919_000) % (3 * HOUR))).toISOString(),
      provider,
      model,
      workload: `wl-${i % 4}`,
      usage: { inputTokens: 100 + ((i * 37) % 5000), outputTokens: 10 + ((i * 13) % 900) },
    };
  });
}

/** Every key of every master, with the slot Redis itself computes for it. */
async function keysBySlot(): Promise<{ key: string; slot: number; node: number }[]> {
  const out: { key: string; slot: number; node: number }[] = [];
  for (const [node, m] of cluster.masters().entries()) {
    for (const key of await scanAll(m)) out.push({ key, slot: Number(await m.cluster('KEYSLOT', key)), node });
  }
  return out;
}

async function scanAll(m: Redis): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await m.scan(cursor, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

async function reportTotals(org: TestOrg) {
  const res = await t.http.get('/v1/reports/spend?from=2026-01-01T00:00:00Z&to=2030-01-01T00:00:00Z').set(org.keyAuth).expect(200);
  return res.body.totals as { costUsd: string; requests: number; inputTokens: number; outputTokens: number };
}

describe('on a 3-master Redis Cluster', () => {
  it('ingest, rollups, a scheduled digest and its signed webhook all run, with figures exact and every queue key in the slot of {prefix}', async () => {
    expect(t.config.redis.queuePrefix).toBe(`{${t.config.redis.prefix}}`);
    const receiver = await startReceiver();
    try {
      const org = await createOrg(t, 'Cluster');
      const hook = await t.http.post('/v1/webhooks').set(org.auth).send({ url: receiver.url, events: ['digest.created'] }).expect(201);

      const batch = events(300);
      const first = await t.http.post('/v1/events').set(org.keyAuth).send({ events: batch.slice(0, 150) }).expect(200);
      const second = await t.http.post('/v1/events').set(org.keyAuth).send({ events: batch.slice(150) }).expect(200);
      expect(first.body.accepted + second.body.accepted).toBe(300);
      // Posted again: duplicates, and the totals below still count each event once.
      await t.http.post('/v1/events').set(org.keyAuth).send({ events: batch.slice(0, 150) }).expect(200);

      const raw = (
        await db.query(
          `SELECT coalesce(trim_scale(sum(cost_usd)), 0)::text AS cost, count(*)::int AS requests, sum(input_tokens)::float8 AS input, sum(output_tokens)::float8 AS output
             FROM usage_events WHERE org_id = $1`,
          [org.orgId],
        )
      ).rows[0] as { cost: string; requests: number; input: number; output: number };
      expect(raw.requests).toBe(300);
      expect(raw.input).toBe(batch.reduce((s, e) => s + e.usage.inputTokens, 0));
      expect(new Money(raw.cost).greaterThan(0)).toBe(true);
      // The report reads only the rollups, which only the workers' jobs (through the cluster) write.
      const rep = await waitFor(async () => {
        const r = await reportTotals(org);
        return r.requests === raw.requests && new Money(r.costUsd).equals(raw.cost) ? r : null;
      }, 30_000);
      expect(rep.inputTokens).toBe(raw.input);
      expect(rep.outputTokens).toBe(raw.output);

      // A job scheduler on the cluster fires the digest; the worker builds it and the webhook queue delivers it.
      await t.http.put('/v1/digests/schedule').set(org.auth).send({ cron: '*/2 * * * * *', timezone: 'UTC', enabled: true }).expect(200);
      const list = await waitFor(async () => {
        const r = await t.http.get('/v1/digests').set(org.keyAuth).expect(200);
        return r.body.data.length >= 1 ? (r.body.data as { id: string }[]) : null;
      }, 30_000);
      await t.http.put('/v1/digests/schedule').set(org.auth).send({ cron: '0 8 * * 1', timezone: 'UTC', enabled: false }).expect(200);
      const digest = await t.http.get(`/v1/digests/${list[0]!.id}`).set(org.keyAuth).expect(200);
      // All 300 events are within the digest's last 7 days.
      expect(new Money(digest.body.spend.thisPeriodUsd).equals(raw.cost)).toBe(true);
      await waitFor(async () => receiver.received.length >= 1 || null, 30_000);
      const delivered = receiver.received[0]!;
      expect(verifySignature(hook.body.secret, delivered.headers, Buffer.from(delivered.body))).toBeNull();
      expect(JSON.parse(delivered.body)).toMatchObject({ type: 'digest.created', data: { digestId: list[0]!.id } });

      const prefix = t.config.redis.prefix;
      const tagSlot = Number(await cluster.masters()[0]!.cluster('KEYSLOT', `{${prefix}}`));
      const all = await keysBySlot();
      const queueKeys = all.filter((k) => k.key.startsWith(`{${prefix}}:`));
      for (const q of ['metering', 'digests', 'webhooks']) expect(queueKeys.some((k) => k.key.startsWith(`{${prefix}}:${q}:`))).toBe(true);
      expect(new Set(queueKeys.map((k) => k.slot))).toEqual(new Set([tagSlot]));
      expect(new Set(queueKeys.map((k) => k.node)).size).toBe(1);
      // Nothing of this app outside its two namespaces: `{prefix}:` (queues) and `prefix:{group}` (RedisService.key).
      const ours = all.filter((k) => k.key.includes(prefix));
      expect(ours.filter((k) => !k.key.startsWith(`{${prefix}}:`) && !k.key.startsWith(`${prefix}:{`))).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('rate limits count on the cluster (one key per script call), spread over the masters by counter', async () => {
    const org = await createOrg(t, 'Limits');
    const a = await t.http.get('/v1/digests').set(org.keyAuth).expect(200);
    const b = await t.http.get('/v1/digests').set(org.keyAuth).expect(200);
    // Had Redis failed, the guard would let the request through without these headers.
    expect(Number(a.headers['x-ratelimit-limit'])).toBe(t.config.rateLimit.perMinute);
    expect(Number(b.headers['x-ratelimit-remaining'])).toBe(Number(a.headers['x-ratelimit-remaining']) - 1);
    const counters = (await keysBySlot()).filter((k) => k.key.startsWith(`${t.config.redis.prefix}:{rl:`));
    expect(counters.length).toBeGreaterThanOrEqual(2);
    // Each counter is its own hash tag: not all in one slot.
    expect(new Set(counters.map((k) => k.slot)).size).toBeGreaterThan(1);
  });

  it('sign-in throttling (MGET and MULTI over two counters) works on the cluster: the sixth attempt is refused with 429', async () => {
    const org = await createOrg(t, 'Throttle');
    for (let i = 0; i < t.config.auth.loginMaxFailures; i++) await t.http.post('/v1/login').send({ email: org.email, password: 'wrong-password-123' }).expect(401);
    const refused = await t.http.post('/v1/login').send({ email: org.email, password: org.password }).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const counters = (await keysBySlot()).filter((k) => k.key.startsWith(`${t.config.redis.prefix}:{login-fail}:`));
    expect(counters.map((k) => k.key)).toContain(`${t.config.redis.prefix}:{login-fail}:email:${org.email.toLowerCase()}`);
    expect(new Set(counters.map((k) => k.slot)).size).toBe(1);
  });
});
