import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ATTRIBUTION_CAP, OTHER_VALUE } from '../src/metering/attribution.js';
import { Money } from '../src/domain/money.js';
import { ReportsService } from '../src/reports/reports.service.js';
import { RetentionService } from '../src/retention/retention.service.js';
import { bootApp, type TestApp } from './support/app.js';
import { TEST_DATABASE_URL } from './support/env.js';
import { createOrg, type TestOrg } from './support/factories.js';
import { waitFor } from './support/wait.js';

let t: TestApp;
let db: pg.Client;
beforeAll(async () => {
  t = await bootApp();
  db = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
});
afterAll(async () => {
  await db.end();
  await t.close();
});

const uid = () => randomBytes(5).toString('hex');

/**
 * Every event runs on one model with an org price of $1 per 1M input tokens and $2 per 1M output tokens, so an
 * event's cost is (input + 2 x output) / 1,000,000 USD: 1,000,000 input tokens = $1.
 */
async function pricedOrg(name: string): Promise<TestOrg> {
  const org = await createOrg(t, name);
  await t.http
    .post('/v1/catalog/overrides')
    .set(org.keyAuth)
    .send({ kind: 'custom', provider: 'self-hosted', modelId: 'acme-llm', inputPerMTok: '1', outputPerMTok: '2', effectiveFrom: '2026-01-01T00:00:00Z' })
    .expect(201);
  return org;
}

interface Ev {
  timestamp: string;
  input?: number;
  output?: number;
  requests?: number;
  workload?: string;
  customer?: string;
  endUser?: string;
  tags?: Record<string, string>;
  latencyMs?: number;
  status?: 'ok' | 'error';
}

function event(e: Ev) {
  return {
    id: `ev-${uid()}`,
    timestamp: e.timestamp,
    provider: 'self-hosted',
    model: 'acme-llm',
    workload: e.workload ?? 'chat',
    usage: { inputTokens: e.input ?? 0, outputTokens: e.output ?? 0 },
    ...(e.requests ? { requests: e.requests } : {}),
    ...(e.customer ? { customer: e.customer } : {}),
    ...(e.endUser ? { endUser: e.endUser } : {}),
    ...(e.tags ? { tags: e.tags } : {}),
    ...(e.latencyMs !== undefined ? { latencyMs: e.latencyMs } : {}),
    ...(e.status ? { status: e.status } : {}),
  };
}

async function post(org: TestOrg, events: Ev[]) {
  for (let i = 0; i < events.length; i += 1000) {
    await t.http.post('/v1/events').set(org.keyAuth).send({ events: events.slice(i, i + 1000).map(event) }).expect(200);
  }
}

/** Waits until the org has no hour waiting for its rollup (every event posted is in the rollups). */
async function rolledUp(org: TestOrg) {
  await waitFor(async () => {
    const r = await db.query('SELECT count(*)::int AS n FROM dirty_buckets WHERE org_id = $1', [org.orgId]);
    return r.rows[0].n === 0;
  }, 30_000);
}

const get = (org: TestOrg, path: string) => t.http.get(path).set(org.keyAuth);

/*
 * The org, by hand (all workload "chat" but the last; costs from the $1/M input, $2/M output price):
 *
 * October 2026
 *   acme    10-12 09:00  2,000,000 in               $2     1,000 requests
 *   globex  10-14 09:00  4,000,000 in               $4       200 requests
 * November 2026
 *   acme    11-10 10:30  1,000,000 in               $1     1,000 requests  endUser u-1  tag team=search
 *   acme    11-10 11:10  1,000,000 out              $2     1,000 requests  endUser u-2  tag team=search
 *   acme    11-20 09:00    500,000 in               $0.5     500 requests  endUser u-1
 *   globex  11-15 12:00  2,000,000 in               $2       400 requests                tag team=ads
 *   initech 11-03 08:00    250,000 in               $0.25    100 requests
 *   tail-01..tail-10 11-25 08:00  10,000 in each    $0.01      1 request each
 *   (none)  11-05 08:00  1,250,000 in, "batch"      $1.25      1 request
 *
 * November customers: acme $3.5 / 2,500 req, globex $2 / 400, initech $0.25 / 100, ten tails $0.01 / 1.
 *   Customers' total $5.85; the month's spend $7.10 (with the $1.25 no customer named).
 *   cost per 1k requests: acme 3.5/2,500 x 1,000 = $1.4; globex $5; initech $2.5; a tail $10.
 *   vs October: acme (3.5 - 2)/2 = +75%; globex (2 - 4)/4 = -50%; initech null (no October spend).
 *   shares of $5.85: acme 59.83%, globex 34.19%, initech 4.27%.
 *   top 10 = acme, globex, initech and the 7 first tails (ties by name): 5.75 + 0.07 = 5.82 -> 5.82/5.85 = 99.49%.
 *   attributed share: 5.85 / 7.10 = 82.39%.
 */
const ORG_EVENTS: Ev[] = [
  { timestamp: '2026-10-12T09:00:00Z', input: 2_000_000, requests: 1000, customer: 'acme' },
  { timestamp: '2026-10-14T09:00:00Z', input: 4_000_000, requests: 200, customer: 'globex' },
  { timestamp: '2026-11-10T10:30:00Z', input: 1_000_000, requests: 1000, customer: 'acme', endUser: 'u-1', tags: { team: 'search' } },
  { timestamp: '2026-11-10T11:10:00Z', output: 1_000_000, requests: 1000, customer: 'acme', endUser: 'u-2', tags: { team: 'search' } },
  { timestamp: '2026-11-20T09:00:00Z', input: 500_000, requests: 500, customer: 'acme', endUser: 'u-1' },
  { timestamp: '2026-11-15T12:00:00Z', input: 2_000_000, requests: 400, customer: 'globex', tags: { team: 'ads' } },
  { timestamp: '2026-11-03T08:00:00Z', input: 250_000, requests: 100, customer: 'initech' },
  ...Array.from({ length: 10 }, (_, i) => ({ timestamp: '2026-11-25T08:00:00Z', input: 10_000, customer: `tail-${String(i + 1).padStart(2, '0')}` })),
  { timestamp: '2026-11-05T08:00:00Z', input: 1_250_000, workload: 'batch' },
];

describe('customers, end users and tags as report dimensions', () => {
  let org: TestOrg;
  let other: TestOrg;
  beforeAll(async () => {
    org = await pricedOrg('Attributed');
    other = await pricedOrg('Neighbour');
    await post(org, ORG_EVENTS);
    // Another org names the same customer: it must never show in the first org's figures.
    await post(other, [{ timestamp: '2026-11-10T10:45:00Z', input: 9_000_000, requests: 9, customer: 'acme' }]);
    await Promise.all([rolledUp(org), rolledUp(other)]);
  });

  it('ranks November customers by cost: cost per 1k requests, change vs October, shares, top-10 and attributed share', async () => {
    const res = await get(org, '/v1/reports/customers?month=2026-11').expect(200);
    expect(res.body.rows.slice(0, 4)).toEqual([
      { customer: 'acme', costUsd: '3.5', requests: 2500, costPer1kRequestsUsd: '1.4', previousMonthCostUsd: '2', changePercent: 75, sharePercent: 59.83 },
      { customer: 'globex', costUsd: '2', requests: 400, costPer1kRequestsUsd: '5', previousMonthCostUsd: '4', changePercent: -50, sharePercent: 34.19 },
      { customer: 'initech', costUsd: '0.25', requests: 100, costPer1kRequestsUsd: '2.5', previousMonthCostUsd: '0', changePercent: null, sharePercent: 4.27 },
      { customer: 'tail-01', costUsd: '0.01', requests: 1, costPer1kRequestsUsd: '10', previousMonthCostUsd: '0', changePercent: null, sharePercent: 0.17 },
    ]);
    expect(res.body.rows.map((r: { customer: string }) => r.customer).slice(3)).toEqual(Array.from({ length: 10 }, (_, i) => `tail-${String(i + 1).padStart(2, '0')}`));
    expect(res.body.totals).toEqual({
      customers: 13,
      costUsd: '5.85',
      requests: 3010,
      otherCostUsd: '0',
      totalCostUsd: '7.1',
      top10SharePercent: 99.49,
      attributedSharePercent: 82.39,
    });
    expect(res.body.attribution).toMatchObject({ cap: ATTRIBUTION_CAP, otherValue: OTHER_VALUE });
    expect(res.body).toMatchObject({ month: '2026-11', comparedWith: { from: '2026-10-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' }, nextCursor: null });

    // While November is in progress (now 15 Nov 11:30, read up to the hour that holds it) it is compared with the
    // same stretch of October: acme $3 (10 Nov) vs $2 (12 Oct) = +50%; initech $0.25 vs nothing. Globex's 15 Nov 12:00
    // is not read yet. Spend so far $3.25 of $4.50 (with the $1.25 batch of 5 Nov) named a customer: 72.22%.
    const midMonth = await t.app.get(ReportsService).customers(org.orgId, { month: '2026-11' }, new Date('2026-11-15T11:30:00Z'));
    expect(midMonth.comparedWith).toEqual({ from: '2026-10-01T00:00:00.000Z', to: '2026-10-15T11:30:00.000Z' });
    expect(midMonth.rows.map((r) => [r.customer, r.costUsd, r.previousMonthCostUsd, r.changePercent])).toEqual([
      ['acme', '3', '2', 50],
      ['initech', '0.25', '0', null],
    ]);
    expect(midMonth.totals).toMatchObject({ customers: 2, costUsd: '3.25', totalCostUsd: '4.5', attributedSharePercent: 72.22 });

    // Pages of 2 walk the same ranking.
    const first = await get(org, '/v1/reports/customers?month=2026-11&limit=2').expect(200);
    expect(first.body.rows.map((r: { customer: string }) => r.customer)).toEqual(['acme', 'globex']);
    const second = await get(org, `/v1/reports/customers?month=2026-11&limit=2&cursor=${first.body.nextCursor}`).expect(200);
    expect(second.body.rows.map((r: { customer: string }) => r.customer)).toEqual(['initech', 'tail-01']);

    // The workload filter applies to both sides: the "batch" spend named no customer, so "chat" is 5.85 of 5.85.
    const chat = await get(org, '/v1/reports/customers?month=2026-11&workload=chat').expect(200);
    expect(chat.body.totals).toMatchObject({ costUsd: '5.85', totalCostUsd: '5.85', attributedSharePercent: 100 });

    const csv = await get(org, '/v1/reports/customers?month=2026-11&format=csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('customer,costUsd,requests,costPer1kRequestsUsd,previousMonthCostUsd,changePercent,sharePercent');
    expect(lines.slice(1, 4)).toEqual(['acme,3.5,2500,1.4,2,75,59.83', 'globex,2,400,5,4,-50,34.19', 'initech,0.25,100,2.5,0,,4.27']);
    expect(lines).toHaveLength(14);
  });

  it('groupBy=customer by month (JSON and CSV) equals the raw events row by row', async () => {
    const res = await get(org, '/v1/reports/spend?from=2026-10-01T00:00:00Z&to=2026-12-01T00:00:00Z&granularity=month&groupBy=customer').expect(200);
    expect(res.body).toMatchObject({ source: 'attribution', metrics: ['costUsd', 'requests', 'inputTokens', 'outputTokens'], attribution: { dimension: 'customer', cap: ATTRIBUTION_CAP, otherValue: OTHER_VALUE } });
    expect(res.body.rows.slice(0, 4)).toEqual([
      { period: '2026-10-01T00:00:00.000Z', customer: 'globex', costUsd: '4', requests: 200, inputTokens: 4_000_000, outputTokens: 0 },
      { period: '2026-10-01T00:00:00.000Z', customer: 'acme', costUsd: '2', requests: 1000, inputTokens: 2_000_000, outputTokens: 0 },
      { period: '2026-11-01T00:00:00.000Z', customer: 'acme', costUsd: '3.5', requests: 2500, inputTokens: 1_500_000, outputTokens: 1_000_000 },
      { period: '2026-11-01T00:00:00.000Z', customer: 'globex', costUsd: '2', requests: 400, inputTokens: 2_000_000, outputTokens: 0 },
    ]);
    // No metric the attribution rollups do not hold is emitted as a zero.
    expect(Object.keys(res.body.totals).sort()).toEqual(['costUsd', 'inputTokens', 'outputTokens', 'requests']);
    // Totals: every event that named a customer, $6 in October + $5.85 in November.
    expect(res.body.totals).toMatchObject({ costUsd: '11.85', requests: 4210 });

    const raw = await db.query(
      `SELECT to_char(date_trunc('month', ts AT TIME ZONE 'UTC'), 'YYYY-MM') AS month, customer, trim_scale(sum(cost_usd))::text AS cost, sum(requests)::int AS requests
         FROM usage_events WHERE org_id = $1 AND customer IS NOT NULL GROUP BY 1, 2 ORDER BY 1, sum(cost_usd) DESC, 2`,
      [org.orgId],
    );
    const shown = res.body.rows.map((r: { period: string; customer: string; costUsd: string; requests: number }) => [r.period.slice(0, 7), r.customer, r.costUsd, r.requests]);
    expect(shown).toEqual(raw.rows.map((r) => [r.month, r.customer, r.cost, r.requests]));

    const csv = await get(org, '/v1/reports/spend?from=2026-10-01T00:00:00Z&to=2026-12-01T00:00:00Z&granularity=month&groupBy=customer&format=csv').expect(200);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('period,customer,costUsd,requests,inputTokens,outputTokens');
    expect(lines.slice(1, 4)).toEqual(['2026-10-01T00:00:00.000Z,globex,4,200,4000000,0', '2026-10-01T00:00:00.000Z,acme,2,1000,2000000,0', '2026-11-01T00:00:00.000Z,acme,3.5,2500,1500000,1000000']);
    expect(lines).toHaveLength(1 + raw.rowCount!);
  });

  it('a window with ragged hours reads them from the hourly rows: 10 Nov 11:00 to 20 Nov 10:00 is acme $2 + $0.5 and globex $2', async () => {
    const res = await get(org, '/v1/reports/spend?from=2026-11-10T11:00:00Z&to=2026-11-20T10:00:00Z&granularity=month&groupBy=customer').expect(200);
    expect(res.body.rows.map((r: { customer: string; costUsd: string }) => [r.customer, r.costUsd])).toEqual([
      ['acme', '2.5'],
      ['globex', '2'],
    ]);
    // Hours across the 11:00 boundary, filtered on one customer.
    const hourly = await get(org, '/v1/reports/spend?from=2026-11-10T00:00:00Z&to=2026-11-11T00:00:00Z&granularity=hour&customer=acme&groupBy=workload').expect(200);
    expect(hourly.body.rows).toEqual([
      { period: '2026-11-10T10:00:00.000Z', workload: 'chat', costUsd: '1', requests: 1000, inputTokens: 1_000_000, outputTokens: 0 },
      { period: '2026-11-10T11:00:00.000Z', workload: 'chat', costUsd: '2', requests: 1000, inputTokens: 0, outputTokens: 1_000_000 },
    ]);
  });

  it('end users and tags are dimensions too (tag filter as key=value)', async () => {
    const q = 'from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z&granularity=month';
    const users = await get(org, `/v1/reports/spend?${q}&groupBy=endUser`).expect(200);
    expect(users.body.rows.map((r: { endUser: string; costUsd: string }) => [r.endUser, r.costUsd])).toEqual([
      ['u-2', '2'],
      ['u-1', '1.5'],
    ]);
    const tags = await get(org, `/v1/reports/spend?${q}&groupBy=tag`).expect(200);
    expect(tags.body.rows.map((r: { tag: string; costUsd: string }) => [r.tag, r.costUsd])).toEqual([
      ['team=search', '3'],
      ['team=ads', '2'],
    ]);
    const search = await get(org, `/v1/reports/spend?${q}&tag=${encodeURIComponent('team=search')}`).expect(200);
    expect(search.body.totals).toMatchObject({ costUsd: '3', requests: 2000 });
  });

  it('refuses combinations the attribution rollups cannot answer, naming the field', async () => {
    const q = 'from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z';
    const cases: [string, string][] = [
      [`${q}&groupBy=customer,model`, 'groupBy'],
      [`${q}&groupBy=customer&environment=production`, 'environment'],
      [`${q}&customer=acme&serviceTier=batch`, 'serviceTier'],
      [`${q}&customer=acme&endUser=u-1`, 'endUser'],
      [`${q}&tag=team`, 'tag'],
      [`${q}&customer=${'x'.repeat(257)}`, 'customer'],
    ];
    for (const [query, field] of cases) {
      const res = await get(org, `/v1/reports/spend?${query}`).expect(400);
      expect(JSON.stringify(res.body.error)).toContain(field);
    }
  });

  it('unit economics per workload and month: cost per request, per 1k tokens and per active customer', async () => {
    const res = await get(org, '/v1/reports/unit-economics?from=2026-10-01T00:00:00Z&to=2026-12-01T00:00:00Z&granularity=month').expect(200);
    // October chat: $6, 1,200 requests, 6M tokens, 2 customers. November chat: $5.85, 3,010 requests, 4.85M tokens,
    // 13 customers (5.85/3,010 = 0.0019435... -> 0.001944; 5.85/4,850 = 0.0012061... -> 0.001206; 5.85/13 = 0.45).
    // November batch: $1.25, 1 request, 1.25M tokens, no customer.
    expect(res.body.rows).toEqual([
      { period: '2026-10-01T00:00:00.000Z', workload: 'chat', costUsd: '6', requests: 1200, tokens: 6_000_000, activeCustomers: 2, costPerRequestUsd: '0.005', costPer1kTokensUsd: '0.001', costPerActiveCustomerUsd: '3' },
      { period: '2026-11-01T00:00:00.000Z', workload: 'chat', costUsd: '5.85', requests: 3010, tokens: 4_850_000, activeCustomers: 13, costPerRequestUsd: '0.001944', costPer1kTokensUsd: '0.001206', costPerActiveCustomerUsd: '0.45' },
      { period: '2026-11-01T00:00:00.000Z', workload: 'batch', costUsd: '1.25', requests: 1, tokens: 1_250_000, activeCustomers: 0, costPerRequestUsd: '1.25', costPer1kTokensUsd: '0.001', costPerActiveCustomerUsd: null },
    ]);
    expect(res.body.activeCustomers).toMatchObject({ cap: ATTRIBUTION_CAP, otherValue: OTHER_VALUE });
  });

  it('exposes attributed spend to other modules, widened to whole hours', async () => {
    const reports = t.app.get(ReportsService);
    // 10:30 to 11:30 reads the hours 10:00 and 11:00: acme's $1 and $2.
    expect(await reports.attributedSpendFor(org.orgId, new Date('2026-11-10T10:30:00Z'), new Date('2026-11-10T11:30:00Z'), { dim: 'customer', value: 'acme' })).toBe('3');
    expect(await reports.attributedSpendFor(org.orgId, new Date('2026-11-01T00:00:00Z'), new Date('2026-12-01T00:00:00Z'), { dim: 'tag', value: 'team=search', workload: 'chat' })).toBe('3');
    expect(await reports.attributedSpendFor(org.orgId, new Date('2026-11-01T00:00:00Z'), new Date('2026-12-01T00:00:00Z'), { dim: 'customer', value: 'nobody' })).toBe('0');
    const by = await reports.attributedBy(org.orgId, 'customer', new Date('2026-10-01T00:00:00Z'), new Date('2026-11-01T00:00:00Z'));
    expect(by).toEqual([
      { value: 'globex', costUsd: '4', requests: 200 },
      { value: 'acme', costUsd: '2', requests: 1000 },
    ]);
  });

  it("another org never sees these customers, and its own 'acme' is its own", async () => {
    const res = await get(other, '/v1/reports/customers?month=2026-11').expect(200);
    expect(res.body.rows).toEqual([{ customer: 'acme', costUsd: '9', requests: 9, costPer1kRequestsUsd: '1000', previousMonthCostUsd: '0', changePercent: null, sharePercent: 100 }]);
    const spend = await get(other, '/v1/reports/spend?from=2026-10-01T00:00:00Z&to=2026-12-01T00:00:00Z&granularity=month&groupBy=customer').expect(200);
    expect(spend.body.rows.map((r: { customer: string; costUsd: string }) => [r.customer, r.costUsd])).toEqual([['acme', '9']]);
    // And the first org's acme is still $1 + $2 on 10 Nov.
    const mine = await get(org, '/v1/reports/spend?from=2026-11-10T00:00:00Z&to=2026-11-11T00:00:00Z&granularity=day&customer=acme').expect(200);
    expect(mine.body.totals.costUsd).toBe('3');
  });

  it('attribution rollups stay when raw events are purged by retention', async () => {
    // 30 days before 2027-01-15 is 2026-12-16: every event of the org goes.
    const purged = await t.app.get(RetentionService).purge(org.orgId, 30, new Date('2027-01-15T12:00:00Z'));
    expect(purged.deleted).toBe(ORG_EVENTS.length);
    const res = await get(org, '/v1/reports/customers?month=2026-11').expect(200);
    expect(res.body.totals).toMatchObject({ customers: 13, costUsd: '5.85', totalCostUsd: '7.1' });
  });
});

describe('the cap on distinct values', () => {
  /*
   * Hour H1 (2026-11-18 10:00): 1,005 customers c-0000..c-1004, c-i costing $0.001 x (i + 1) (1,000 x (i + 1) input
   * tokens), except c-0005 at $0.005 like c-0004 (a tie, broken by name: c-0004 stays). The hour keeps the 1,000
   * costliest; c-0000..c-0003 ($0.001 + ... + $0.004 = $0.010) and c-0005 ($0.005) go to (other): $0.015, 5 requests.
   * Hour H2 (11:00): c-0000 at $2 (named in H2), z-1 at $0.0005 and z-2 at $0.0007.
   * The day: named values are the 1,000 of H1, c-0000 and z-1, z-2 = 1,003; the 3 cheapest fold: z-1, z-2 and c-0004
   * ($0.005; c-0006 is $0.007). (other) = $0.015 + $0.0005 + $0.0007 + $0.005 = $0.0212, 8 requests; c-0000 keeps
   * its $2 of H2 only (its $0.001 of H1 stays in (other)).
   */
  it(`keeps ${ATTRIBUTION_CAP} customers per hour and per day and sums the rest into ${OTHER_VALUE}`, async () => {
    const org = await pricedOrg('Long tail');
    const h1: Ev[] = Array.from({ length: 1005 }, (_, i) => ({
      timestamp: '2026-11-18T10:15:00Z',
      input: 1000 * (i === 5 ? 5 : i + 1),
      customer: `c-${String(i).padStart(4, '0')}`,
    }));
    const h2: Ev[] = [
      { timestamp: '2026-11-18T11:15:00Z', input: 2_000_000, customer: 'c-0000' },
      { timestamp: '2026-11-18T11:15:00Z', input: 500, customer: 'z-1' },
      { timestamp: '2026-11-18T11:15:00Z', input: 700, customer: 'z-2' },
    ];
    await post(org, [...h1, ...h2]);
    await rolledUp(org);

    const hourRows = await db.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE value = $2)::int AS other FROM usage_rollups_attribution_hourly WHERE org_id = $1 AND hour = '2026-11-18T10:00:00Z' AND dim = 'customer'`,
      [org.orgId, OTHER_VALUE],
    );
    expect(hourRows.rows[0]).toEqual({ n: 1001, other: 1 });

    const csv = async (query: string) => {
      const res = await get(org, `/v1/reports/spend?${query}&groupBy=customer&format=csv`).expect(200);
      const lines = res.text.trim().split('\n').slice(1).map((l) => l.split(','));
      return new Map(lines.map(([, customer, cost, requests]) => [customer, { cost, requests: Number(requests) }]));
    };
    const hour = await csv('from=2026-11-18T10:00:00Z&to=2026-11-18T11:00:00Z&granularity=hour');
    expect(hour.size).toBe(ATTRIBUTION_CAP + 1);
    expect(hour.get(OTHER_VALUE)).toEqual({ cost: '0.015', requests: 5 });
    expect(hour.has('c-0004')).toBe(true);
    expect(hour.has('c-0005')).toBe(false);

    const day = await csv('from=2026-11-18T00:00:00Z&to=2026-11-19T00:00:00Z&granularity=day');
    expect(day.size).toBe(ATTRIBUTION_CAP + 1);
    expect(day.get(OTHER_VALUE)).toEqual({ cost: '0.0212', requests: 8 });
    expect(day.get('c-0000')).toEqual({ cost: '2', requests: 1 });
    expect(['z-1', 'z-2', 'c-0004'].some((c) => day.has(c))).toBe(false);

    // Nothing is lost to the cap: the day's rows sum to the raw events.
    const raw = await db.query(`SELECT trim_scale(sum(cost_usd))::text AS cost FROM usage_events WHERE org_id = $1`, [org.orgId]);
    const sum = [...day.values()].reduce((s, r) => s.plus(r.cost), new Money(0));
    expect(sum.toFixed()).toBe(raw.rows[0].cost);
  });
});

describe('the main rollups are unchanged by attribution', () => {
  it('the same events with and without customers, end users and tags give the same spend and latency reports', async () => {
    // 3 events in one hour: $1 + $0.5 + $0.25, 3 requests, 1 error, latencies 100, 300 and 2,000 ms (mean 800).
    const base: Ev[] = [
      { timestamp: '2026-11-12T14:05:00Z', input: 1_000_000, latencyMs: 100 },
      { timestamp: '2026-11-12T14:20:00Z', input: 500_000, latencyMs: 300, status: 'error' },
      { timestamp: '2026-11-12T14:40:00Z', input: 250_000, latencyMs: 2000, workload: 'batch' },
    ];
    const plain = await pricedOrg('Plain');
    const named = await pricedOrg('Named');
    await post(plain, base);
    await post(named, base.map((e, i) => ({ ...e, customer: `k-${i}`, endUser: 'u', tags: { team: 'x', tier: String(i) } })));
    await Promise.all([rolledUp(plain), rolledUp(named)]);
    const q = 'from=2026-11-12T00:00:00Z&to=2026-11-13T00:00:00Z';
    const reports = async (org: TestOrg) => ({
      spend: (await get(org, `/v1/reports/spend?${q}&granularity=hour&groupBy=workload,model,environment`).expect(200)).body,
      latency: (await get(org, `/v1/reports/latency?${q}`).expect(200)).body,
    });
    const [a, b] = [await reports(plain), await reports(named)];
    expect(b).toEqual(a);
    expect(a.spend.totals).toMatchObject({ costUsd: '1.75', requests: 3, errors: 1 });
    expect(a.latency.rows).toEqual([
      // Histogram buckets (ms): 100 in (50, 100], 300 in (250, 500], 2,000 in (1,000, 2,500].
      expect.objectContaining({ workload: 'batch', requests: 1, meanMs: 2000, p50Ms: 2500, p95Ms: 2500 }),
      expect.objectContaining({ workload: 'chat', requests: 2, errorRate: 0.5, meanMs: 200, p50Ms: 100, p95Ms: 500 }),
    ]);
    // Only the org that named them has attribution rows, one per value and workload: 3 customers, the end user in
    // both workloads, team=x in both and tier=0, 1, 2.
    const rows = async (org: TestOrg) =>
      (await db.query(`SELECT dim, count(*)::int AS n FROM usage_rollups_attribution_daily WHERE org_id = $1 GROUP BY dim ORDER BY dim`, [org.orgId])).rows;
    expect(await rows(plain)).toEqual([]);
    expect(await rows(named)).toEqual([
      { dim: 'customer', n: 3 },
      { dim: 'end_user', n: 2 },
      { dim: 'tag', n: 5 },
    ]);
  });
});
