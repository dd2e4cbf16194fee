import { Money } from '../src/domain/money.js';
import { bootApp, type TestApp } from './support/app.js';
import { createOrg, type TestOrg } from './support/factories.js';
import { waitFor } from './support/wait.js';

/*
 * GET /v1/exports/focus against the FOCUS 1.2 column rules (FOCUS_Spec tag v1.2,
 * specification/columns/*.md and specification/attributes/*.md), with events posted
 * through the API and rolled up by the real worker.
 *
 * Hand-worked figures (catalog list prices, USD per 1M tokens):
 *   gpt-4o 2.50 input / 1.25 cached / 10 output (reasoning billed as output):
 *     1,000 input (400 cached) + 300 output (100 reasoning)
 *     = 600 x 2.5 + 400 x 1.25 + 200 x 10 + 100 x 10 = 1500 + 500 + 2000 + 1000 = $0.005
 *   claude-sonnet-4.5 3 input / 0.30 cached / 3.75 cache write / 15 output:
 *     2,000 input (500 cached, 1,000 cache writes) + 400 output
 *     = 500 x 3 + 500 x 0.3 + 1000 x 3.75 + 400 x 15 = 1500 + 150 + 3750 + 6000 = $0.0114
 *   gpt-4o-mini 0.15 input / 0.60 output: 1,000 + 1,000 = 150 + 600 = $0.00075 computed;
 *     the caller reported $0.25 (costUsd), split 150:600 -> input $0.05, output $0.2 with costBasis=provider.
 *   An unknown model: unpriced, $0, flagged.
 * Computed total 0.005 + 0.0114 + 0.00075 = $0.01715; provider basis 0.005 + 0.0114 + 0.25 = $0.2664.
 */

const DAY = '2026-11-03';
const TS = `${DAY}T10:00:00.000Z`;
// Unknown model names keep their spelling, lower-cased by the resolver.
const EVIL_MODEL = '=hyperlink("http://evil.example","a,b")';

const COLUMNS = [
  'BilledCost', 'BillingAccountId', 'BillingAccountName', 'BillingCurrency', 'BillingPeriodEnd', 'BillingPeriodStart', 'ChargeCategory', 'ChargeClass',
  'ChargeDescription', 'ChargeFrequency', 'ChargePeriodEnd', 'ChargePeriodStart', 'ConsumedQuantity', 'ConsumedUnit', 'ContractedCost', 'EffectiveCost',
  'InvoiceIssuerName', 'ListCost', 'PricingQuantity', 'PricingUnit', 'ProviderName', 'PublisherName', 'ServiceCategory', 'ServiceName', 'ServiceSubcategory',
  'SkuId', 'SkuMeter', 'SkuPriceDetails', 'SkuPriceId', 'SubAccountId', 'SubAccountName', 'Tags',
  'x_CostBasis', 'x_Environment', 'x_ServiceTier', 'x_TokenClass', 'x_Unpriced', 'x_Workload',
];
/** Columns FOCUS 1.2 marks Mandatory (Feature level) and whose "Allows nulls" is False. */
const MANDATORY_NOT_NULL = [
  'BilledCost', 'BillingAccountId', 'BillingCurrency', 'BillingPeriodEnd', 'BillingPeriodStart', 'ChargeCategory', 'ChargePeriodEnd', 'ChargePeriodStart',
  'ContractedCost', 'EffectiveCost', 'InvoiceIssuerName', 'ListCost', 'ProviderName', 'PublisherName', 'ServiceCategory', 'ServiceName',
];
/** Mandatory columns that allow nulls: still present. */
const MANDATORY_NULLABLE = ['BillingAccountName', 'ChargeClass', 'ChargeDescription', 'PricingQuantity', 'PricingUnit'];
const DECIMAL_COLUMNS = ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost', 'PricingQuantity', 'ConsumedQuantity'];
/** Numeric Format: integer or decimal, optional leading minus, no plus sign, commas, units or currency symbols (E notation allowed, negative exponent signed only). */
const NUMERIC = /^-?\d+(\.\d+)?(E-?\d+)?$/;
/** Date/Time Format: UTC, extended ISO 8601 'YYYY-MM-DDTHH:mm:ssZ'. */
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const SERVICE_CATEGORIES = ['AI and Machine Learning', 'Analytics', 'Business Applications', 'Compute', 'Databases', 'Developer Tools', 'Multicloud', 'Identity', 'Integration', 'Internet of Things', 'Management and Governance', 'Media', 'Migration', 'Mobile', 'Networking', 'Security', 'Storage', 'Web', 'Other'];
const CHARGE_CATEGORIES = ['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment'];
const CHARGE_FREQUENCIES = ['One-Time', 'Recurring', 'Usage-Based'];
const TOKEN_CLASSES = ['input', 'input_audio', 'input_image', 'input_video', 'cached_input', 'cached_input_audio', 'cache_write_5m', 'cache_write_1h', 'output', 'output_audio', 'reasoning'];

type Row = Record<string, string | boolean | null>;

/** RFC 4180 parser (quoted cells, doubled quotes, commas and newlines inside quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\n') row.push(cell), rows.push(row), (row = []), (cell = '');
    else cell += ch;
  }
  if (cell !== '' || row.length) row.push(cell), rows.push(row);
  return rows;
}

/** Every FOCUS rule the export claims, checked on one row; returns the broken ones. */
function brokenRules(r: Row): string[] {
  const broken: string[] = [];
  const fail = (rule: string) => broken.push(`${rule} (row ${r.SkuPriceId} ${r.ChargePeriodStart})`);
  for (const c of COLUMNS) if (!(c in r)) fail(`${c} present`);
  for (const c of [...MANDATORY_NOT_NULL, ...MANDATORY_NULLABLE]) if (!(c in r)) fail(`mandatory ${c} present`);
  for (const c of MANDATORY_NOT_NULL) if (r[c] === null || r[c] === '') fail(`${c} MUST NOT be null`);
  for (const c of Object.keys(r)) if (r[c] === '') fail(`${c}: null, never an empty string (Null Handling)`);
  for (const c of Object.keys(r)) if (!COLUMNS.slice(0, 32).includes(c) && !c.startsWith('x_')) fail(`${c}: custom columns carry the x_ prefix`);
  for (const c of DECIMAL_COLUMNS) if (typeof r[c] !== 'string' || !NUMERIC.test(r[c] as string)) fail(`${c} Numeric Format, got ${String(r[c])}`);
  for (const c of ['ChargePeriodStart', 'ChargePeriodEnd', 'BillingPeriodStart', 'BillingPeriodEnd']) if (!DATETIME.test(String(r[c]))) fail(`${c} Date/Time Format`);
  const start = new Date(r.ChargePeriodStart as string).getTime();
  const end = new Date(r.ChargePeriodEnd as string).getTime();
  if (end - start !== 86_400_000) fail('ChargePeriodEnd = ChargePeriodStart + 1 day (exclusive end of a daily charge)');
  if (new Date(start).getUTCHours() !== 0) fail('ChargePeriodStart at UTC midnight');
  const bps = new Date(r.BillingPeriodStart as string);
  const bpe = new Date(r.BillingPeriodEnd as string);
  if (bps.getUTCDate() !== 1 || bpe.getTime() !== Date.UTC(bps.getUTCFullYear(), bps.getUTCMonth() + 1, 1)) fail('billing period is the calendar month [start, next month)');
  if (!(bps.getTime() <= start && end <= bpe.getTime())) fail('charge period inside the billing period');
  if (!CHARGE_CATEGORIES.includes(r.ChargeCategory as string) || r.ChargeCategory !== 'Usage') fail('ChargeCategory allowed value (Usage)');
  if (r.ChargeClass !== null && r.ChargeClass !== 'Correction') fail('ChargeClass null or Correction');
  if (!CHARGE_FREQUENCIES.includes(r.ChargeFrequency as string)) fail('ChargeFrequency allowed value');
  if (!SERVICE_CATEGORIES.includes(r.ServiceCategory as string) || r.ServiceCategory !== 'AI and Machine Learning') fail('ServiceCategory AI and Machine Learning');
  if (r.ServiceSubcategory !== 'Generative AI') fail('ServiceSubcategory Generative AI (a child of AI and Machine Learning)');
  if (!/^[A-Z]{3}$/.test(String(r.BillingCurrency)) || r.BillingCurrency !== 'USD') fail('BillingCurrency ISO 4217 USD');
  // Usage rows: ConsumedQuantity/Unit, PricingQuantity/Unit, SkuId, SkuPriceId MUST NOT be null.
  for (const c of ['ConsumedQuantity', 'ConsumedUnit', 'PricingQuantity', 'PricingUnit', 'SkuId', 'SkuPriceId']) if (r[c] === null) fail(`${c} not null on Usage rows`);
  if (!/^\d+$/.test(String(r.ConsumedQuantity))) fail('ConsumedQuantity is a whole token count');
  if (r.ConsumedUnit !== 'Tokens') fail('ConsumedUnit Tokens (never requests)');
  if (!new Money(r.PricingQuantity as string).mul(1_000_000).equals(r.ConsumedQuantity as string)) fail('PricingQuantity = tokens / 1,000,000');
  if (r.PricingUnit !== '1000000 Tokens') fail('PricingUnit "<whole number> <plural units>"');
  if (r.SkuMeter === null) fail('SkuMeter SHOULD NOT be null when SkuId is set');
  if (!String(r.SkuPriceId).startsWith(`${r.SkuId}:`)) fail('SkuPriceId has one parent SkuId');
  if (r.SkuPriceId !== `${r.SkuId}:${r.x_TokenClass}:${r.x_ServiceTier}`) fail('SkuPriceId = model + token class + tier');
  if ((r.SubAccountId === null) !== (r.SubAccountName === null)) fail('SubAccountName null exactly when SubAccountId is');
  for (const c of ['Tags', 'SkuPriceDetails']) {
    const v = JSON.parse(String(r[c])) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => x !== null && typeof x === 'object')) fail(`${c} Key-Value Format: a JSON object of scalars`);
  }
  if (!new Money(r.EffectiveCost as string).equals(r.BilledCost as string)) fail('EffectiveCost = BilledCost (nothing to amortise)');
  if (!new Money(r.ContractedCost as string).equals(r.BilledCost as string)) fail('ContractedCost = BilledCost (negotiated prices are what is billed)');
  if (!TOKEN_CLASSES.includes(r.x_TokenClass as string)) fail('x_TokenClass known');
  if (typeof r.x_Unpriced !== 'boolean' && r.x_Unpriced !== 'true' && r.x_Unpriced !== 'false') fail('x_Unpriced boolean');
  return broken;
}

let t: TestApp;
let a: TestOrg;
let b: TestOrg;

async function exportJson(org: TestOrg, query = `from=${DAY}&to=2026-11-04`): Promise<{ rows: Row[]; nextCursor: string | null; costBasis: string }> {
  const res = await t.http.get(`/v1/exports/focus?${query}`).set(org.auth).set('Accept', 'application/json').expect(200);
  return res.body;
}

const sum = (rows: Row[], col = 'BilledCost') => rows.reduce((s, r) => s.plus(r[col] as string), new Money(0));

beforeAll(async () => {
  t = await bootApp();
  [a, b] = await Promise.all([createOrg(t, 'Focus A'), createOrg(t, 'Focus B')]);
  const events = [
    { id: 'f-1', timestamp: TS, provider: 'openai', model: 'gpt-4o', workload: 'chat', project: 'web', usage: { inputTokens: 1000, cachedInputTokens: 400, outputTokens: 300, reasoningTokens: 100 } },
    { id: 'f-2', timestamp: TS, provider: 'anthropic', model: 'claude-sonnet-4.5', workload: 'summarise', usage: { inputTokens: 2000, cachedInputTokens: 500, cacheWriteTokens: 1000, outputTokens: 400 } },
    { id: 'f-3', timestamp: TS, provider: 'openai', model: 'gpt-4o-mini', workload: 'chat', project: 'web', costUsd: '0.25', usage: { inputTokens: 1000, outputTokens: 1000 } },
    { id: 'f-4', timestamp: TS, provider: 'self-hosted', model: EVIL_MODEL, workload: 'chat', usage: { inputTokens: 70, outputTokens: 30 } },
  ];
  await t.http.post('/v1/events').set(a.keyAuth).send({ events }).expect((r) => expect(r.status).toBeLessThan(300));
  await t.http
    .post('/v1/events')
    .set(b.keyAuth)
    .send({ events: [{ id: 'b-1', timestamp: TS, provider: 'openai', model: 'gpt-4o', workload: 'secret-b', usage: { inputTokens: 5000, outputTokens: 5000 } }] })
    .expect((r) => expect(r.status).toBeLessThan(300));
  // Rolled up: every expected class row is there with the hand-worked total.
  await waitFor(async () => {
    const { rows } = await exportJson(a);
    return rows.length === 12 && sum(rows).equals('0.01715');
  }, 30_000);
  await waitFor(async () => (await exportJson(b)).rows.length === 2, 30_000);
});
afterAll(async () => {
  await t?.close();
});

describe('FOCUS export', () => {
  it('splits each rollup into token-class rows with the hand-worked costs, summing exactly to the metered cost', async () => {
    const { rows } = await exportJson(a);
    const pick = (r: Row) => [r.SkuId, r.x_TokenClass, r.ConsumedQuantity, r.BilledCost, r.ListCost];
    expect(rows.length).toBe(12);
    // Exact figures per class.
    const get = (sku: string, cls: string) => rows.find((r) => r.SkuId === sku && r.x_TokenClass === cls)!;
    expect(pick(get('gpt-4o', 'input'))).toEqual(['gpt-4o', 'input', '600', '0.0015', '0.0015']);
    expect(pick(get('gpt-4o', 'cached_input'))).toEqual(['gpt-4o', 'cached_input', '400', '0.0005', '0.0005']);
    expect(pick(get('gpt-4o', 'output'))).toEqual(['gpt-4o', 'output', '200', '0.002', '0.002']);
    expect(pick(get('gpt-4o', 'reasoning'))).toEqual(['gpt-4o', 'reasoning', '100', '0.001', '0.001']);
    expect(pick(get('claude-sonnet-4.5', 'input'))).toEqual(['claude-sonnet-4.5', 'input', '500', '0.0015', '0.0015']);
    expect(pick(get('claude-sonnet-4.5', 'cached_input'))).toEqual(['claude-sonnet-4.5', 'cached_input', '500', '0.00015', '0.00015']);
    expect(pick(get('claude-sonnet-4.5', 'cache_write_5m'))).toEqual(['claude-sonnet-4.5', 'cache_write_5m', '1000', '0.00375', '0.00375']);
    expect(pick(get('claude-sonnet-4.5', 'output'))).toEqual(['claude-sonnet-4.5', 'output', '400', '0.006', '0.006']);
    expect(pick(get('gpt-4o-mini', 'input'))).toEqual(['gpt-4o-mini', 'input', '1000', '0.00015', '0.00015']);
    expect(pick(get('gpt-4o-mini', 'output'))).toEqual(['gpt-4o-mini', 'output', '1000', '0.0006', '0.0006']);
    // Unpriced: real token quantities, zero cost, flagged; never an invented price.
    const evil = rows.filter((r) => r.SkuId === EVIL_MODEL);
    expect(evil.map((r) => [r.x_TokenClass, r.ConsumedQuantity, r.BilledCost, r.ListCost, r.x_Unpriced])).toEqual([['input', '70', '0', '0', true], ['output', '30', '0', '0', true]]);
    expect(rows.filter((r) => r.SkuId !== EVIL_MODEL).every((r) => r.x_Unpriced === false)).toBe(true);
    // Per rollup, the classes sum exactly to its metered cost.
    expect(sum(rows.filter((r) => r.SkuId === 'gpt-4o')).toFixed()).toBe('0.005');
    expect(sum(rows.filter((r) => r.SkuId === 'claude-sonnet-4.5')).toFixed()).toBe('0.0114');
    expect(sum(rows).toFixed()).toBe('0.01715');
    // Token volumes are the real quantities: 1,300 + 2,400 + 2,000 + 100 tokens.
    expect(rows.reduce((s, r) => s + Number(r.ConsumedQuantity), 0)).toBe(5800);
  });

  it('every row passes the FOCUS 1.2 column rules (presence, types, nullability, allowed values, periods, units)', async () => {
    const { rows } = await exportJson(a);
    expect(rows.length).toBe(12);
    expect(rows.flatMap(brokenRules)).toEqual([]);
    const chat = rows.find((r) => r.SkuId === 'gpt-4o' && r.x_TokenClass === 'input')!;
    expect(chat).toMatchObject({
      ChargePeriodStart: '2026-11-03T00:00:00Z', ChargePeriodEnd: '2026-11-04T00:00:00Z',
      BillingPeriodStart: '2026-11-01T00:00:00Z', BillingPeriodEnd: '2026-12-01T00:00:00Z',
      ProviderName: 'OpenAI', PublisherName: 'OpenAI', InvoiceIssuerName: 'OpenAI', ServiceName: 'OpenAI API',
      BillingAccountId: a.orgId, SubAccountId: 'web', SubAccountName: 'web', x_Workload: 'chat', x_Environment: 'production', x_ServiceTier: 'default', x_CostBasis: 'computed',
      PricingQuantity: '0.0006', SkuPriceId: 'gpt-4o:input:default',
    });
    expect(JSON.parse(chat.Tags as string)).toEqual({ workload: 'chat', environment: 'production', project: 'web' });
    expect(rows.find((r) => r.SkuId === 'claude-sonnet-4.5')).toMatchObject({ ProviderName: 'Anthropic', SubAccountId: null, SubAccountName: null });
  });

  it('BilledCost over the range equals the spend report total for the same range', async () => {
    const from = '2026-11-01';
    const to = '2026-12-01';
    const { rows } = await exportJson(a, `from=${from}&to=${to}&limit=500`);
    const spend = await t.http.get(`/v1/reports/spend?from=${from}T00:00:00Z&to=${to}T00:00:00Z`).set(a.auth).expect(200);
    expect(sum(rows).equals(spend.body.totals.costUsd)).toBe(true);
    expect(sum(rows).toFixed()).toBe('0.01715');
  });

  it('CSV (the default) carries the same rows, FOCUS columns first then x_ columns, with formula-looking text escaped', async () => {
    const res = await t.http.get(`/v1/exports/focus?from=${DAY}&to=2026-11-04`).set(a.auth).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...lines] = parseCsv(res.text);
    expect(header).toEqual(COLUMNS);
    expect(lines.length).toBe(12);
    const csvRows: Row[] = lines.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i] === '' ? null : cells[i]])));
    expect(csvRows.flatMap(brokenRules)).toEqual([]);
    expect(sum(csvRows).toFixed()).toBe('0.01715');
    // A model name a spreadsheet would run as a formula is quoted and prefixed with ' (OWASP CSV injection).
    const evil = csvRows.filter((r) => r.x_Unpriced === 'true');
    expect(evil.map((r) => r.SkuId)).toEqual([`'${EVIL_MODEL}`, `'${EVIL_MODEL}`]);
    expect(res.text).toContain(`"'=hyperlink(""http://evil.example"",""a,b"")"`);
    const { rows: jsonRows } = await exportJson(a);
    const key = (r: Row) => `${r.SkuPriceId}|${r.x_Workload}`;
    expect(csvRows.map((r) => [key(r), r.BilledCost]).sort()).toEqual(
      jsonRows.map((r) => [key(r).replace(/^=/, "'="), r.BilledCost]).sort(),
    );
  });

  it('costBasis=provider splits the provider-reported cost the same way: $0.25 on gpt-4o-mini -> input $0.05, output $0.2; total $0.2664', async () => {
    const { rows, costBasis } = await exportJson(a, `from=${DAY}&to=2026-11-04&costBasis=provider`);
    expect(costBasis).toBe('provider');
    const mini = rows.filter((r) => r.SkuId === 'gpt-4o-mini');
    expect(mini.map((r) => [r.x_TokenClass, r.BilledCost, r.ListCost, r.x_CostBasis])).toEqual([
      ['input', '0.05', '0.00015', 'provider'],
      ['output', '0.2', '0.0006', 'provider'],
    ]);
    expect(sum(rows).toFixed()).toBe('0.2664');
    expect(rows.flatMap(brokenRules)).toEqual([]);
  });

  it('JSON pages by rollup rows with a cursor and loses nothing', async () => {
    const first = await exportJson(a, `from=${DAY}&to=2026-11-04&limit=2`);
    expect(first.nextCursor).not.toBeNull();
    const rest = await exportJson(a, `from=${DAY}&to=2026-11-04&limit=2&cursor=${first.nextCursor}`);
    expect(rest.nextCursor).toBeNull();
    expect(sum([...first.rows, ...rest.rows]).toFixed()).toBe('0.01715');
    expect(first.rows.length + rest.rows.length).toBe(12);
  });

  it('another org never sees this org\'s rows, in JSON or CSV', async () => {
    const { rows } = await exportJson(b);
    expect(rows.map((r) => r.x_Workload)).toEqual(['secret-b', 'secret-b']);
    expect(rows.every((r) => r.BillingAccountId === b.orgId)).toBe(true);
    const csv = await t.http.get(`/v1/exports/focus?from=${DAY}&to=2026-11-04`).set(b.auth).expect(200);
    expect(csv.text).not.toContain('chat');
    expect(csv.text).not.toContain(a.orgId);
    const mine = await exportJson(a);
    expect(mine.rows.some((r) => r.x_Workload === 'secret-b')).toBe(false);
  });

  it.each([
    ['from=2026-13-01&to=2026-12-01', 'from'],
    ['from=2026-02-30&to=2026-03-05', 'from'],
    ['from=2026-11-03T00:00:00Z', 'from'],
    ['from=2026-11-05&to=2026-11-05', 'to'],
    ['from=2026-11-05&to=2026-11-01', 'to'],
    ['from=2025-01-01&to=2026-01-03', 'to'],
    [`from=${DAY}&costBasis=invoice`, 'costBasis'],
    [`from=${DAY}&format=xml`, 'format'],
    [`from=${DAY}&limit=0`, 'limit'],
    [`from=${DAY}&cursor=not-a-cursor&format=json`, 'cursor'],
  ])('400 naming the field for %s', async (query, field) => {
    const res = await t.http.get(`/v1/exports/focus?${query}`).set(a.auth).expect(400);
    expect(JSON.stringify(res.body.error)).toContain(field);
  });

  it('an unauthenticated request is refused', async () => {
    await t.http.get(`/v1/exports/focus?from=${DAY}&to=2026-11-04`).expect(401);
  });
});
