import { jest } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import pg from 'pg';
import { AnomaliesService } from '../src/anomalies/anomalies.service.js';
import { DEMO_EVALUATIONS, DEMO_WORKLOADS, demoTimeline, generateDemoBatches } from '../src/demo/generator.js';
import { bootApp, type TestApp } from './support/app.js';
import { ensureChromium, launchChromium, screenshot } from './support/browser.js';
import { TEST_DATABASE_URL } from './support/env.js';
import { createOrg, type TestOrg } from './support/factories.js';
import { waitFor } from './support/wait.js';

/*
 * The dashboard at /app in a real browser (Debian's headless Chromium driven by
 * playwright-core) against the real app on a real port, with a month of the
 * demo generator's usage: sign-in, the spend chart with the demo's injected
 * anomaly marked, the roadmap, the customers view, a workload's economics and
 * crossover chart, the way back and sign-out. Screenshots land in test-artifacts/.
 */

// The first run may install Chromium (apt) in beforeAll.
jest.setTimeout(10 * 60_000);

let t: TestApp;
let base: string;
let org: TestOrg;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
const slugs = DEMO_WORKLOADS.map((w) => w.slug).sort();
/** Money as the page shows it: $1,234.56. */
const MONEY = /^\$\d{1,3}(,\d{3})*\.\d{2}$/;

/** The demo's story is anchored at the seed's end: its injected anomaly (support-chat, one customer, ~6x) is 3 days before. */
const SEEDED_AT = new Date();
const INJECTED = demoTimeline(SEEDED_AT, 42).anomaly;
/** Tenant text is hostile: a customer whose name is markup must show as text. */
const HOSTILE_CUSTOMER = '<img src=x onerror="globalThis.pwned=1">&amp;';

/**
 * A month of the demo scenario (all 11 workloads, customers and the injected anomaly), annotated and with its
 * evaluations, so the plan has something to say; then the anomaly check the workers would run after the rollups.
 */
async function seed(o: TestOrg) {
  await t.http.patch('/v1/settings/assumptions').set(o.auth).send({ teamMaturity: 'strong' }).expect(200);
  await t.http.post('/v1/budgets').set(o.auth).send({ name: 'Monthly LLM spend', scope: {}, monthlyLimitUsd: '40000', thresholds: [50, 80, 100] }).expect(201);
  const batches = [...generateDemoBatches({ end: SEEDED_AT, months: 1, scale: 1, seed: 42 }, 1000)];
  // Last month's 15th, outside the anomaly check's 8 days: a $60 customer named with markup ($30 input + $30 output on gpt-4o).
  const mid = new Date(Date.UTC(SEEDED_AT.getUTCFullYear(), SEEDED_AT.getUTCMonth() - 1, 15, 12));
  batches.push([{ id: 'hostile-1', timestamp: mid.toISOString(), provider: 'openai', model: 'gpt-4o-2024-08-06', workload: 'support-chat', customer: HOSTILE_CUSTOMER, usage: { inputTokens: 12_000_000, outputTokens: 3_000_000 }, requests: 50 } as never]);
  let next = 0;
  await Promise.all(
    [0, 1, 2].map(async () => {
      while (next < batches.length) {
        const events = batches[next++];
        const res = await t.http.post('/v1/events').set(o.keyAuth).send({ events });
        expect(res.status).toBe(200);
      }
    }),
  );
  await waitFor(async () => (await t.http.get('/v1/admin/jobs').set(o.auth)).body.rollupBacklog?.dirtyHours === 0 || null, 300_000, 250); // minutes on a loaded 2-core machine
  for (const w of DEMO_WORKLOADS) await t.http.patch(`/v1/workloads/${w.slug}`).set(o.auth).send(w.annotations).expect(200);
  for (const { workload, ...evaluation } of DEMO_EVALUATIONS) await t.http.post(`/v1/workloads/${workload}/evaluations`).set(o.auth).send(evaluation).expect(201);
  // The workers check after rollups at most twice per 10 minutes; run the same idempotent check now.
  await t.app.get(AnomaliesService).detect(o.orgId, new Date(), { settled: true });
}

beforeAll(async () => {
  ensureChromium();
  t = await bootApp();
  await t.app.listen(0, '127.0.0.1');
  base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
  org = await createOrg(t, 'Dashboard');
  await seed(org);
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
}, 10 * 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

// Callbacks passed to page.evaluate/$eval run in the browser; this project compiles
// without the DOM lib, so they reach the page's globals as `(globalThis as any)`.

/** Draws anything? Counts the canvas's non-transparent pixels. */
async function paintedPixels(selector: string): Promise<number> {
  return page.$eval(selector, (canvas: any) => {
    const data: Uint8ClampedArray = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
    return n;
  });
}

async function legendLabels(chart: string): Promise<string[]> {
  return page.$$eval(`${chart} .u-legend .u-series .u-label`, (els) => els.map((e: any) => String(e.textContent ?? '').trim()));
}

describe('dashboard (/app) in headless Chromium', () => {
  it('serves the page and its assets with content types, and refuses anything else', async () => {
    const html = await t.http.get('/app').expect(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.headers['content-security-policy']).toContain("script-src 'self'");
    expect(html.text).toContain('/app/app.js');
    expect((await t.http.get('/app/app.js').expect(200)).headers['content-type']).toMatch(/^text\/javascript/);
    expect((await t.http.get('/app/app.css').expect(200)).headers['content-type']).toMatch(/^text\/css/);
    // app.js imports the pages from views/, one folder down.
    expect((await t.http.get('/app/views/overview.js').expect(200)).headers['content-type']).toMatch(/^text\/javascript/);
    const lib = await t.http.get('/app/vendor/uplot.js').expect(200);
    expect(lib.headers['content-type']).toMatch(/^text\/javascript/);
    expect(lib.text).toContain('uPlot');
    // The typed API client the page's api.js imports as ./vendor/openapi-fetch.js: its ESM build, no imports of its own.
    const client = await t.http.get('/app/vendor/openapi-fetch.js').expect(200);
    expect(client.headers['content-type']).toMatch(/^text\/javascript/);
    expect(client.text).toMatch(/export \{[^}]*createClient as default/);
    expect(client.text).not.toMatch(/^import /m);
    const etag = html.headers.etag;
    await t.http.get('/app').set('If-None-Match', etag).expect(304);
    await t.http.get('/app/').expect(200);
    for (const path of ['/app/..%2F..%2Fpackage.json', '/app/%2e%2e', '/app/..%2Fdashboard.controller.ts', '/app/.env', '/app/missing.js', '/app/vendor/..%2F..%2Fpackage.json', '/app/vendor/uPlot.cjs.js', '/app/views/..%2Fapp.js', '/app/views/%2e%2e', '/app/views/..%2F..%2Fdashboard.controller.ts', '/app/views/missing.js', '/app/views/.hidden.js', '/app/vendor/openapi-fetch.d.ts', '/app/vendor/index.mjs']) {
      await t.http.get(path).expect(404);
    }
  });

  it('refuses a wrong password with a message', async () => {
    await page.goto(`${base}/app`);
    await page.fill('#email', org.email);
    await page.fill('#password', 'not-the-right-password');
    await page.click('#sign-in');
    const error = page.locator('#login-error');
    await error.waitFor({ state: 'visible' });
    expect(await error.textContent()).toMatch(/invalid email or password/i);
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.length)).toBe(0);
    await screenshot(page, 'dashboard-login-error');
  });

  it('signs in and shows spend by workload, forecast, budgets and the roadmap', async () => {
    await page.fill('#password', org.password);
    await page.click('#sign-in');

    // Spend: a stacked chart that has drawn, with every workload in its legend.
    await page.waitForSelector('#spend-chart[data-ready="true"] canvas');
    const box = await page.locator('#spend-chart canvas').boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    expect(box?.height).toBeGreaterThan(150);
    expect(await paintedPixels('#spend-chart canvas')).toBeGreaterThan(5_000);
    expect(await legendLabels('#spend-chart')).toEqual(expect.arrayContaining(slugs));

    // KPIs are money, formatted.
    await page.waitForFunction(() => /^\$/.test((globalThis as any).document.querySelector('#kpi-spend .value')?.textContent ?? ''));
    expect(await page.textContent('#kpi-spend .value')).toMatch(MONEY);
    await page.waitForSelector('#forecast-chart[data-ready="true"] canvas');
    await page.waitForSelector('#budget-list [data-budget="Monthly LLM spend"]');

    // Roadmap: one row per workload, each with its recommendation badge and money columns.
    await page.waitForSelector('#roadmap-table tbody tr');
    const rows: { workload: string; badge: string; money: string[] }[] = await page.$$eval('#roadmap-table tbody tr', (trs) =>
      trs.map((tr: any) => ({
        workload: tr.dataset.workload,
        badge: tr.querySelector('.badge')?.getAttribute('data-recommendation'),
        money: [...tr.querySelectorAll('td.num')].map((td: any) => String(td.textContent ?? '').trim()),
      })),
    );
    expect(rows.map((r) => r.workload).sort()).toEqual(slugs);
    const plan = (await t.http.get('/v1/plan').set(org.auth).expect(200)).body.plan;
    for (const r of rows) {
      expect(r.badge).toBe(plan.workloads.find((w: { workload: string }) => w.workload === r.workload).recommendation);
      expect(r.money[0]).toMatch(MONEY);
    }
    // Self-hosting candidates read per replica ("2 replicas × 1× L4-24GB"), not the fleet's GPU total before the GPU name.
    for (const w of plan.workloads.filter((x: any) => x.candidate?.deployment)) {
      const d = w.candidate.deployment;
      const cell = await page.textContent(`#roadmap-table tr[data-workload="${w.workload}"] td:nth-child(3)`);
      expect(cell).toContain(`${d.replicas} replica${d.replicas === 1 ? '' : 's'} × ${d.gpusPerReplica ?? d.tensorParallel}× ${d.gpu}`);
    }
    // Shared fleets: one row per fleet after the roadmap table when something self-hosts, no table otherwise.
    expect(await page.$$eval('#fleets-table tbody tr', (trs) => trs.length)).toBe(plan.fleets?.fleets?.length ?? 0);
    // Phase 2 leads with the expected (probability-weighted) figure and names the unweighted one at stake.
    const phase2 = plan.phases.find((p: { id: string }) => p.id === 'phase-2');
    if (phase2) expect(await page.textContent('.phase[data-phase="phase-2"]')).toMatch(/at stake/);
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.length)).toBe(1);
    expect(await page.evaluate(() => (globalThis as any).localStorage.length)).toBe(0);
    await screenshot(page, 'dashboard-overview');

    // The period buttons reload the spend chart for the chosen window.
    await page.click('#spend .seg button[data-days="90"]');
    await page.waitForSelector('#spend-chart[data-ready="true"][aria-label$="last 90 days"] canvas');
    expect(await page.getAttribute('#spend .seg button.on', 'data-days')).toBe('90');
  });

  it('marks the injected anomaly on the spend chart, with its range in the tooltip, and lists it', async () => {
    const day = INJECTED.day.toISOString().slice(0, 10);
    const listed = (await t.http.get(`/v1/anomalies?from=${day}&to=${new Date(INJECTED.day.getTime() + 86_400_000).toISOString().slice(0, 10)}`).set(org.auth).expect(200)).body.data;
    const a = listed.find((x: any) => x.scope.kind === 'workload' && x.scope.value === INJECTED.workload);
    expect(a).toBeDefined();
    expect(a.direction).toBe('above');
    // The spike is about 6x a normal day: far above the top of the expected range.
    expect(Number(a.observedUsd)).toBeGreaterThan(4 * Number(a.expectedUsd));
    expect(Number(a.observedUsd)).toBeGreaterThan(Number(a.upperUsd));
    expect(a.topContributors.customers[0].customer).toBe(INJECTED.customer);

    // The overview (90 days selected above): a flag on that day, labelled with the scope, the range in its title.
    const flag = page.locator(`#spend-chart .day-marker[data-day="${day}"]`, { hasText: INJECTED.workload });
    await flag.waitFor({ state: 'visible' });
    expect((await flag.textContent())?.trim()).toBe(`▲ ${INJECTED.workload}`);
    const usd = (v: string) => `$${Number(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    expect(await flag.getAttribute('title')).toContain(`Workload ${INJECTED.workload} on `);
    expect(await flag.getAttribute('title')).toContain(`${usd(a.observedUsd)} observed vs ${usd(a.lowerUsd)} – ${usd(a.upperUsd)} expected (usually ${usd(a.expectedUsd)})`);
    // The flag sits over the spike day's x position, inside the plot.
    const chartBox = (await page.locator('#spend-chart .u-over').boundingBox())!;
    const flagBox = (await flag.boundingBox())!;
    expect(flagBox.x + flagBox.width / 2).toBeGreaterThan(chartBox.x);
    expect(flagBox.x + flagBox.width / 2).toBeLessThan(chartBox.x + chartBox.width);

    // Every anomaly of the period has a flag, and flags of neighbouring days never cover each other.
    const boxes = await page.$$eval('#spend-chart .day-marker', (els) => els.map((e: any) => e.getBoundingClientRect()).map((r: any) => ({ l: r.left, r: r.right, t: r.top, b: r.bottom })));
    expect(boxes.length).toBeGreaterThanOrEqual(listed.length);
    for (const [i, p] of boxes.entries()) for (const q of boxes.slice(i + 1)) expect(p.r <= q.l || q.r <= p.l || p.b <= q.t || q.b <= p.t).toBe(true);

    // The anomalies card lists it, with the customer behind it.
    await page.waitForSelector('#anomaly-list li');
    expect(await page.$$eval('#anomaly-list li', (lis) => lis.map((li: any) => `${li.dataset.scope} ${li.dataset.day}`))).toContain(`workload:${INJECTED.workload} ${day}`);
    expect(await page.textContent(`#anomaly-list li[data-scope="workload:${INJECTED.workload}"][data-day="${day}"]`)).toContain(`customer ${INJECTED.customer}`);
    expect(await page.textContent('#spend .chart-note')).toMatch(/spend anomal(y|ies) marked/);
    // Anomaly rows of GET /v1/alerts are not budget alerts: the budget card does not list them as such.
    expect(await page.$$eval('#alerts li', (lis) => lis.filter((li: any) => /undefined|Invalid/.test(li.textContent)).length)).toBe(0);
    await screenshot(page, 'dashboard-anomaly');
    expect(pageErrors).toEqual([]);
  });

  it('shows the customers view: the top customers of the month, their daily cost and unit economics per workload', async () => {
    await page.click('#nav a[href="#/customers"]');
    await page.waitForSelector('#customers-table tbody tr, #customers .empty');
    expect(await page.getAttribute('#nav a.active', 'href')).toBe('#/customers');
    // Last month is whole in the seeded data (this month may be a few hours old).
    const prev = new Date(Date.UTC(SEEDED_AT.getUTCFullYear(), SEEDED_AT.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
    await page.click(`.seg button[data-month="${prev}"]`);
    await page.waitForSelector(`#customer-chart[data-ready="true"][aria-label$="${prev.slice(0, 4)}"] canvas`);
    const report = (await t.http.get(`/v1/reports/customers?month=${prev}&limit=25`).set(org.auth).expect(200)).body;
    expect(report.rows.length).toBe(25);
    expect(report.totals.customers).toBeGreaterThan(200);

    const rows: { customer: string; cells: string[]; html: string }[] = await page.$$eval('#customers-table tbody tr', (trs) =>
      trs.map((tr: any) => ({ customer: tr.dataset.customer, cells: [...tr.querySelectorAll('td')].map((td: any) => String(td.textContent ?? '').trim()), html: tr.innerHTML })),
    );
    // The same ranking as the API, money as money, shares as percentages.
    expect(rows.map((r) => r.customer)).toEqual(report.rows.map((c: any) => c.customer));
    const usd = (v: string) => `$${Number(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    expect(rows[0].cells[1]).toBe(report.rows[0].customer);
    expect(rows[0].cells[2]).toBe(usd(report.rows[0].costUsd));
    expect(rows[0].cells[3]).toBe(Number(report.rows[0].requests).toLocaleString('en-US'));
    expect(rows[0].cells[4]).toBe(usd(report.rows[0].costPer1kRequestsUsd));
    for (const r of rows) expect(r.cells[2]).toMatch(MONEY);
    // Hostile text is text: the markup customer's name reads as typed and adds no element.
    const hostile = rows.find((r) => r.customer === HOSTILE_CUSTOMER);
    expect(hostile?.cells[1]).toBe(HOSTILE_CUSTOMER);
    expect(hostile?.html).not.toContain('<img');
    expect(await page.evaluate(() => (globalThis as any).pwned)).toBeUndefined();

    // Headline: the top-10 share of the API, and the biggest customer.
    expect(await page.textContent('#kpi-top10 .value')).toBe(`${Number(report.totals.top10SharePercent).toFixed(1).replace(/\.0+$/, '')}%`);
    expect(await page.textContent('#kpi-biggest .value')).toBe(report.rows[0].customer);

    // The daily chart draws the top 5 customers, one line each.
    expect((await legendLabels('#customer-chart')).filter((l) => l !== 'Day')).toEqual(report.rows.slice(0, 5).map((c: any) => c.customer));
    expect(await paintedPixels('#customer-chart canvas')).toBeGreaterThan(2_000);

    // Unit economics: a row per workload; customer-facing ones have active customers, internal ones none.
    await page.waitForSelector('#unit-economics-table tbody tr');
    const units: Record<string, string[]> = Object.fromEntries(
      await page.$$eval('#unit-economics-table tbody tr', (trs) => trs.map((tr: any) => [tr.dataset.workload, [...tr.querySelectorAll('td')].map((td: any) => String(td.textContent ?? '').trim())])),
    );
    expect(Number(units['support-chat'][5].replace(/,/g, ''))).toBeGreaterThan(100);
    expect(units['code-assistant'][5]).toBe('—');
    expect(units['support-chat'][3]).toMatch(/^\$0\.\d+/);
    await screenshot(page, 'dashboard-customers');
    expect(pageErrors).toEqual([]);

    await page.click('#nav a[href="#/"]');
    await page.waitForSelector('#roadmap-table tbody tr');
  });

  it("opens a workload: its economics, options table and crossover chart", async () => {
    // invoice-extraction is the demo's migration candidate (an evaluated open model).
    await page.click('#roadmap-table a.workload-link:text-is("invoice-extraction")');
    await page.waitForSelector('#workload-title');
    expect(page.url()).toContain('#/workloads/invoice-extraction');
    await page.waitForSelector('#recommendation .badge');
    // The next step (and the evaluation to run, when one is pending) is shown above the figures.
    const wp = (await t.http.get('/v1/workloads/invoice-extraction/plan').set(org.auth).expect(200)).body;
    if (wp.nextStep) expect(await page.textContent('#recommendation [data-role="next-step"]')).toContain(wp.nextStep);
    if (wp.pendingEvaluation?.action) expect(await page.textContent('#recommendation [data-role="pending-evaluation"]')).toContain(wp.pendingEvaluation.action);
    if (wp.fleet) expect(await page.textContent('#recommendation [data-role="fleet"]')).toContain(wp.fleet.text);

    await page.waitForSelector('#options-table tbody tr');
    const options: string[][] = await page.$$eval('#options-table tbody tr', (trs) => trs.map((tr: any) => [...tr.querySelectorAll('td')].map((td: any) => String(td.textContent ?? '').trim())));
    expect(options.length).toBeGreaterThan(0);
    expect(options[0][8]).toMatch(MONEY); // TCO / month

    await page.waitForSelector('#crossover-chart[data-ready="true"] canvas', { timeout: 20_000 });
    const box = await page.locator('#crossover-chart canvas').boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    expect(await paintedPixels('#crossover-chart canvas')).toBeGreaterThan(2_000);
    const legend = await legendLabels('#crossover-chart');
    expect(legend.some((l) => l.startsWith('API'))).toBe(true);
    expect(legend.some((l) => l.startsWith('Self-host'))).toBe(true);
    expect(await page.textContent('#crossover-note')).toMatch(/crossover|cheaper than the API/i);

    // Usage, alternatives and sensitivity come from the same economics response.
    expect(await page.textContent('#usage .facts')).toMatch(/Spend \/ month\s*\$/);
    await page.waitForSelector('#managed-open-table tbody tr');
    await page.waitForSelector('#sensitivity tbody tr');
    await screenshot(page, 'dashboard-workload');
    expect(pageErrors).toEqual([]);
  });

  it('shows the reconciliation: metered vs billed per provider and day, coverage and the causes', async () => {
    // What a connector sync would store: yesterday's OpenAI bill for gpt-4o (the demo meters gpt-4o daily).
    const db = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    try {
      const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      const c = await db.query(`INSERT INTO connectors (org_id, provider, name, key_id, sealed, last_synced_at) VALUES ($1, 'openai', 'OpenAI', 'test', '\\x00'::bytea, now()) RETURNING id`, [org.orgId]);
      await db.query(`INSERT INTO provider_cost_lines (org_id, connector_id, day, line_key, provider, model, cost_type, token_type, amount_usd) VALUES ($1, $2, $3::date, 'l1', 'openai', 'gpt-4o', 'tokens', 'input', '12.5')`, [org.orgId, c.rows[0].id, day]);
      await db.query(`INSERT INTO provider_usage_lines (org_id, connector_id, bucket_start, bucket_width, line_key, provider, model, input_tokens) VALUES ($1, $2, $3::timestamptz, '1d', 'u1', 'openai', 'gpt-4o', 5000000)`, [org.orgId, c.rows[0].id, `${day}T00:00:00Z`]);
    } finally {
      await db.end();
    }
    await page.click('#nav a[href="#/reconciliation"]');
    await page.waitForSelector('#recon-rows tbody tr');
    await page.waitForSelector('#recon-chart-canvas[data-ready="true"]');
    expect(await page.getAttribute('#nav a.active', 'href')).toBe('#/reconciliation');
    const cells = await page.$$eval('#recon-rows tbody tr[data-provider="openai"] td', (tds) => tds.map((td) => td.textContent ?? ''));
    expect(cells[3]).toMatch(MONEY);
    expect(await page.textContent('#recon-connector-list')).toContain('OpenAI (openai): last synced');
    // Only providers with a connector are compared: the demo's Google and self-hosted spend has no bill to meet.
    expect(new Set(await page.$$eval('#recon-rows tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-provider'))))).toEqual(new Set(['openai']));
    await screenshot(page, 'dashboard-reconciliation');
    expect(pageErrors).toEqual([]);
    await page.goBack();
  });

  it('goes back to the roadmap and signs out', async () => {
    await page.click('.crumbs a');
    await page.waitForSelector('#roadmap-table tbody tr');
    expect(page.url()).toMatch(/#\/roadmap$/);
    expect(await page.getAttribute('#nav a.active', 'href')).toBe('#/roadmap');

    await page.click('#sign-out');
    await page.waitForSelector('#login-form');
    expect(await page.isHidden('#nav')).toBe(true);
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.length)).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
