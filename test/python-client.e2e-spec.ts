import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { bootApp, type TestApp } from './support/app.js';
import { createOrg, type TestOrg } from './support/factories.js';
import { waitFor } from './support/wait.js';

// "A client in another language, generated from /docs/json, gives typed answers": the Python client is
// generated from the live document (scripts/python-client.mjs), the README's example runs against the
// live app, and a body that breaks the schema is refused by the generated classes. Children run
// asynchronously: the app they call answers from this process.
const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const hasPython = spawnSync('python3', ['--version']).status === 0;
const suite = hasPython ? describe : describe.skip;
if (!hasPython) console.warn('test/python-client: python3 is not installed; the generated Python client is not tested');

suite('a typed Python client generated from /docs/json', () => {
  let t: TestApp;
  let base: string;
  let out: string;
  beforeAll(async () => {
    t = await bootApp();
    await t.app.listen(0, '127.0.0.1');
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    out = mkdtempSync(path.join(tmpdir(), 'crossover-python-'));
    await run(process.execPath, [path.join(ROOT, 'scripts/python-client.mjs'), `${base}/docs/json`, out], { cwd: ROOT });
  }, 120_000); // quicktype over ~340 schemas: 2 s alone, far more on a loaded machine
  afterAll(async () => {
    if (out) rmSync(out, { recursive: true, force: true });
    await t.close();
  });

  const python = (args: string[], env: Record<string, string> = {}, input?: string) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile('python3', args, { cwd: ROOT, env: { ...process.env, PYTHONPATH: out, PYTHONDONTWRITEBYTECODE: '1', ...env } }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
      if (input !== undefined) child.stdin!.end(input);
    });

  async function orgWithSpend(): Promise<TestOrg> {
    const org = await createOrg(t, 'Python client');
    const ev = (workload: string, inputTokens: number, outputTokens: number) => ({
      id: `ev-${randomBytes(8).toString('hex')}`,
      timestamp: new Date().toISOString(),
      provider: 'openai',
      model: 'gpt-4o',
      workload,
      usage: { inputTokens, outputTokens },
    });
    await t.http
      .post('/v1/events')
      .set(org.keyAuth)
      .send({ events: [ev('support-chat', 12_000, 800), ev('support-chat', 3_000, 200), ev('code-assistant', 40_000, 5_000)] })
      .expect(200);
    await t.http.post('/v1/budgets').set(org.auth).send({ name: 'support-chat', scope: { workload: 'support-chat' }, limitUsd: '50', thresholds: [80, 100] }).expect(201);
    await t.http.post('/v1/budgets').set(org.auth).send({ name: 'code-assistant', scope: { workload: 'code-assistant' }, limitUsd: '0.5', thresholds: [100] }).expect(201);
    // The spend report reads the rollups: wait until every hour posted to is rolled up.
    await waitFor(async () => ((await t.http.get('/v1/admin/jobs').set(org.auth)).body.rollupBacklog?.dirtyHours === 0 ? true : null), 30_000);
    return org;
  }

  it('examples/python/spend_by_workload.py prints, from typed attributes, the spend and budgets the API holds', async () => {
    const org = await orgWithSpend();
    const res = await python(['examples/python/spend_by_workload.py'], { CROSSOVER_URL: base, CROSSOVER_TOKEN: org.adminKey });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const lines = res.stdout.trimEnd().split('\n');

    // The window the example chose (this UTC month), asked of the API directly.
    const [, from, to] = /^Spend by workload from (\S+) to (\S+)$/.exec(lines[0])!;
    const report = (await t.http.get('/v1/reports/spend').query({ from, to, granularity: 'month', groupBy: 'workload' }).set(org.keyAuth).expect(200)).body;
    const budgets = (await t.http.get('/v1/budgets').set(org.keyAuth).expect(200)).body;

    // Money is printed as the API's decimal string, verbatim; numbers are compared as numbers.
    const parsed = (l: string, re: RegExp) => re.exec(l)?.slice(1) ?? [`unparsed: ${l}`];
    const budgetsAt = lines.indexOf('Budgets');
    const printedRows = lines.slice(1, budgetsAt).map((l) => parsed(l, /^ {2}(\S+) +(\S+) USD +(\S+) requests$/)).map(([w, cost, n]) => [w, cost, Number(n)]);
    expect(printedRows).toEqual([
      ...report.rows.map((r: { workload: string; costUsd: string; requests: number }) => [r.workload, r.costUsd, r.requests]),
      ['total', report.totals.costUsd, report.totals.requests],
    ]);
    // What was posted: 2 support-chat requests, 1 code-assistant, each priced (a non-zero cost).
    expect(printedRows.map(([w, cost, n]) => [w, n, Number(cost) > 0])).toEqual(
      expect.arrayContaining([
        ['support-chat', 2, true],
        ['code-assistant', 1, true],
        ['total', 3, true],
      ]),
    );

    const printedBudgets = lines.slice(budgetsAt + 1).map((l) => parsed(l, /^ {2}(\S+) +(\S+) of (\S+) USD \((\S+)% used\)$/)).map(([name, spent, limit, used]) => [name, spent, limit, Number(used)]);
    expect(printedBudgets).toEqual(
      budgets.data.map((b: { name: string; spentUsd: string; limitUsd: string; usedPercent: number }) => [b.name, b.spentUsd, b.limitUsd, b.usedPercent]),
    );
    expect(printedBudgets.map(([name]) => name).sort()).toEqual(['code-assistant', 'support-chat']);
    // A budget's spend is its workload's spend this month.
    for (const [name, spent] of printedBudgets) expect(spent).toBe(printedRows.find(([w]) => w === name)?.[1]);
  });

  it('the generated classes refuse an answer without a required field or with a field of the wrong type; errors are typed too', async () => {
    const org = await createOrg(t, 'Python typed');
    await t.http.post('/v1/budgets').set(org.auth).send({ name: 'Org monthly', limitUsd: '1735.95', thresholds: [80] }).expect(201);
    const body = (await t.http.get('/v1/budgets').set(org.keyAuth).expect(200)).body;
    // The field removed below must be one the document calls required and not nullable, or the test proves nothing.
    const doc = (await t.http.get('/docs/json').expect(200)).body;
    const deref = (s: { $ref?: string }) => (s.$ref ? doc.components.schemas[s.$ref.split('/').pop()!] : s);
    const item = deref(deref(doc.paths['/v1/budgets'].get.responses['200'].content['application/json'].schema).properties.data.items);
    expect(item.required).toContain('spentUsd');
    expect(item.properties.spentUsd.nullable).not.toBe(true);

    const parse = [
      '-c',
      'import json, sys\nfrom crossover_client import RESPONSE_TYPES\npage = RESPONSE_TYPES["budgets_list"].from_dict(json.load(sys.stdin))\nb = page.data[0]\nprint(type(page).__name__, type(b).__name__, repr(b.spent_usd), repr(b.limit_usd))',
    ];
    const ok = await python(parse, {}, JSON.stringify(body));
    expect(ok.stderr).toBe('');
    expect(ok.stdout.trim()).toMatch(/^\w+Page \w*BudgetDto '0' '1735\.95'$/i);

    const { spentUsd: _dropped, ...withoutSpent } = body.data[0];
    const missing = await python(parse, {}, JSON.stringify({ ...body, data: [withoutSpent] }));
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/AssertionError|TypeError|ValueError|KeyError/);

    const wrongType = await python(parse, {}, JSON.stringify({ ...body, data: [{ ...body.data[0], spentUsd: 12.5 }] }));
    expect(wrongType.code).not.toBe(0);
    expect(wrongType.stderr).toMatch(/AssertionError|TypeError|ValueError/);

    const denied = await python(
      ['-c', 'import sys\nfrom crossover_client import ApiError, CrossoverClient\ntry:\n    CrossoverClient(sys.argv[1], "cx_not_a_key").budgets_list()\nexcept ApiError as e:\n    print(e.status, type(e.error.code).__name__, e.error.code.value, bool(e.error.request_id))', base],
    );
    expect(denied.stderr).toBe('');
    expect(denied.stdout.trim()).toBe('401 ErrorCode unauthenticated True');
  });
});
