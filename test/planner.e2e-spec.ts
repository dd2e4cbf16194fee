import { randomBytes } from 'node:crypto';
import { bootApp, type TestApp } from './support/app.js';
import { createMember, createOrg, type TestOrg } from './support/factories.js';
import { waitFor } from './support/wait.js';

let t: TestApp;
beforeAll(async () => {
  t = await bootApp();
});
afterAll(async () => t.close());

const HOUR = 3_600_000;
const uid = () => randomBytes(6).toString('hex');

/** 28 days of hourly usage for one workload. */
async function ingest(org: TestOrg, workload: string, model: string, provider: string, perHour: { inputTokens: number; outputTokens: number }) {
  const now = Math.floor(Date.now() / HOUR) * HOUR;
  const events = Array.from({ length: 28 * 24 }, (_, i) => ({
    id: `${workload}-${uid()}-${i}`,
    timestamp: new Date(now - (28 * 24 - i) * HOUR + 60_000).toISOString(),
    provider,
    model,
    workload,
    requests: 1000,
    latencyMs: 400,
    usage: perHour,
  }));
  await t.http.post('/v1/events').set(org.keyAuth).send({ events }).expect(200);
}

// 28 days x 24 hours to roll up per workload: on a loaded CI machine that takes minutes, not seconds.
const SETTLE_MS = 240_000;
const SEEDED_TEST_MS = 2 * SETTLE_MS + 60_000;

async function settled(org: TestOrg) {
  await waitFor(async () => (await t.http.get('/v1/admin/jobs').set(org.auth)).body.rollupBacklog.dirtyHours === 0 || null, SETTLE_MS);
}

const planOf = (body: { plan: { workloads: { workload: string }[] } }, slug: string) => body.plan.workloads.find((w) => w.workload === slug) as Record<string, any>;

describe('migration plan', () => {
  it('a seeded org: low spend stays closed; a high-volume classification workload moves once annotated and evaluated; the snapshot follows its inputs', async () => {
    const org = await createOrg(t);
    await t.http.patch('/v1/settings/assumptions').set(org.auth).send({ teamMaturity: 'strong' }).expect(200);
    // ~$0.40/month: stays closed whatever else.
    await ingest(org, 'tiny-faq', 'gpt-4o-mini', 'openai', { inputTokens: 1_000, outputTokens: 100 });
    // 200M input + 5M output tokens an hour on gpt-4o: about $380k a month.
    await ingest(org, 'ticket-classifier', 'gpt-4o', 'openai', { inputTokens: 200_000_000, outputTokens: 5_000_000 });
    await settled(org);

    const first = await t.http.get('/v1/plan').set(org.keyAuth).expect(200);
    expect(first.body.recomputed).toBe(true);
    expect(planOf(first.body, 'tiny-faq').recommendation).toBe('stay_closed');
    const before = planOf(first.body, 'ticket-classifier');
    expect(Number(before.currentMonthlyCostUsd)).toBeGreaterThan(300_000);
    expect(before.reasons.map((r: { gate: string }) => r.gate)).toEqual(expect.arrayContaining(['value', 'quality-evidence']));
    expect(first.body.plan.phases.map((p: { id: string }) => p.id)).toEqual(['phase-1', 'phase-2', 'stay-closed']);
    expect(first.body.plan.cumulativeSavings.months).toHaveLength(12);

    // The economics behind the verdict, from the same usage (USD as decimal strings).
    const econ = (await t.http.get('/v1/workloads/ticket-classifier/economics').set(org.keyAuth).expect(200)).body;
    expect(econ).toMatchObject({ workload: 'ticket-classifier', windowDays: 28, usage: { monthlySpendUsd: expect.stringMatching(/^\d+(\.\d+)?$/) } });
    expect(Number(econ.usage.monthlySpendUsd)).toBeGreaterThan(300_000);

    // Served from the snapshot while nothing changed.
    const cached = await t.http.get('/v1/plan').set(org.keyAuth).expect(200);
    expect(cached.body).toMatchObject({ recomputed: false, asOf: first.body.asOf });

    // Annotating recomputes automatically; no evidence yet → at most a pilot, with the evaluation to run next.
    await t.http.patch('/v1/workloads/ticket-classifier').set(org.auth).send({ taskCategory: 'classification', qualityRequirement: 'good-enough', dataSensitivity: 'internal' }).expect(200);
    const annotated = await t.http.get('/v1/workloads/ticket-classifier/plan').set(org.keyAuth).expect(200);
    expect(annotated.body.recomputed).toBe(true);
    expect(['pilot_self_host', 'stay_closed']).toContain(annotated.body.recommendation);
    expect(annotated.body.nextSteps.join(' ')).toMatch(/evaluat/i);

    // A passing evaluation of a small open model makes it a migration with savings and a break-even.
    await t.http
      .post('/v1/workloads/ticket-classifier/evaluations')
      .set(org.auth)
      .send({ candidateModel: 'llama-3.1-8b-instruct', baselineModel: 'gpt-4o', sampleSize: 500, metrics: { candidate: { accuracy: 0.95 }, baseline: { accuracy: 0.96 } } })
      .expect(201);
    const evaluated = await t.http.get('/v1/workloads/ticket-classifier/plan').set(org.keyAuth).expect(200);
    expect(['self_host', 'managed_open']).toContain(evaluated.body.recommendation);
    expect(evaluated.body.candidate.modelId).toMatch(/llama-3\.1-8b/i);
    expect(Number(evaluated.body.monthlySavingsUsd)).toBeGreaterThan(100_000);
    expect(evaluated.body.breakEvenMonths).toBeLessThan(1);
    expect(evaluated.body.confidence).not.toBe('low');
    const listed = await t.http.get('/v1/workloads/ticket-classifier/evaluations').set(org.keyAuth).expect(200);
    expect(listed.body.data).toHaveLength(1);
  }, SEEDED_TEST_MS);

  it('regulated EU data: US/unsourced managed APIs are blocked, self-hosting is not; approving a processor in the planner settings lets an EU-capable one through; providers listed once', async () => {
    const org = await createOrg(t);
    await t.http.patch('/v1/settings/assumptions').set(org.auth).send({ teamMaturity: 'strong' }).expect(200);
    await ingest(org, 'invoices', 'gpt-4o', 'openai', { inputTokens: 200_000_000, outputTokens: 5_000_000 });
    // A second regulated EU workload of the same shape: both self-host the same model, so they share one fleet.
    await ingest(org, 'contracts', 'gpt-4o', 'openai', { inputTokens: 200_000_000, outputTokens: 5_000_000 });
    await settled(org);
    for (const slug of ['invoices', 'contracts']) {
      await t.http.patch(`/v1/workloads/${slug}`).set(org.auth).send({ taskCategory: 'extraction', qualityRequirement: 'high', dataSensitivity: 'regulated', dataResidency: 'eu' }).expect(200);
      await t.http
        .post(`/v1/workloads/${slug}/evaluations`)
        .set(org.auth)
        .send({ candidateModel: 'llama-3.1-8b-instruct', baselineModel: 'gpt-4o', sampleSize: 500, metrics: { candidate: { accuracy: 0.95 }, baseline: { accuracy: 0.96 } } })
        .expect(201);
    }

    const plan = (await t.http.get('/v1/workloads/invoices/plan').set(org.keyAuth).expect(200)).body;
    const options = plan.optionsConsidered as { modelId: string; kind: string; provider?: string; excludedBy: string[] }[];
    const apis = options.filter((o) => o.kind !== 'self_host');
    expect(apis.length).toBeGreaterThan(0);
    // No approved processor: every API option is excluded by data control, whatever its price.
    expect(apis.every((o) => o.excludedBy.includes('data-control'))).toBe(true);
    expect(plan.recommendation).toBe('self_host');
    expect(plan.candidate.kind).toBe('self_host');

    // Shared fleet: both workloads on one fleet of their model, the platform team paid once ('strong': 0.25 FTE × $15,000
    // = $3,750/month for the org), each workload's self-host cost = its share of the fleet.
    const whole = (await t.http.get('/v1/plan').set(org.keyAuth).expect(200)).body.plan;
    expect(whole.fleetRounds.stable).toBe(true);
    expect(whole.fleets.orgPeopleUsd).toBe('3750');
    const fleet = whole.fleets.fleets.find((f: { id: string }) => f.id === plan.fleet.fleetId);
    expect(fleet.members.map((m: { workload: string }) => m.workload).sort()).toEqual(['contracts', 'invoices']);
    // Same shape, same load → 50/50 shares; the members' costs add up to the fleet's total.
    expect(fleet.members.map((m: { loadShare: number }) => m.loadShare)).toEqual([0.5, 0.5]);
    expect(fleet.members.reduce((a: number, m: { monthlyCostUsd: string }) => a + Number(m.monthlyCostUsd), 0)).toBeCloseTo(Number(fleet.totalUsd), 2);
    expect(Number(plan.projectedMonthlyCostUsd)).toBeCloseTo(Number(plan.fleet.monthlyCostUsd), 2);
    expect(Number(plan.fleet.monthlyCostUsd)).toBeLessThan(Number(plan.fleet.standaloneMonthlyCostUsd));
    expect(plan.fleet.text).toMatch(new RegExp(`^shares fleet .+ \\(${fleet.replicas} replicas × ${fleet.gpusPerReplica}× .+, 2 workloads\\)$`));
    expect(plan.nextSteps.join(' ')).toContain('shares fleet');
    // One managed option per (model, provider), whatever the spelling in the price data.
    const keys = apis.filter((o) => o.kind === 'managed_open').map((o) => `${o.modelId}|${String(o.provider).toLowerCase()}`);
    expect(new Set(keys).size).toBe(keys.length);

    // Planner settings: defaults, validation, roles.
    const settings = await t.http.get('/v1/settings/planner').set(org.keyAuth).expect(200);
    expect(settings.body.values).toMatchObject({ approvedProcessors: [], evaluationPassProbability: 0.5 });
    const bad = await t.http.patch('/v1/settings/planner').set(org.auth).send({ approvedProcessors: 'OpenAI', evaluationPassProbability: 2 }).expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['approvedProcessors', 'evaluationPassProbability']));
    const viewer = await createMember(t, org, 'viewer');
    await t.http.patch('/v1/settings/planner').set(viewer.auth).send({ approvedProcessors: ['OpenAI'] }).expect(403);
    const saved = await t.http.patch('/v1/settings/planner').set(org.auth).send({ approvedProcessors: ['openai'], evaluationPassProbability: 0.6 }).expect(200);
    expect(saved.body.values).toMatchObject({ approvedProcessors: ['openai'], evaluationPassProbability: 0.6 });

    // OpenAI is now approved and has sourced EU processing: its closed options pass data control; unsourced ones stay blocked.
    const after = (await t.http.get('/v1/workloads/invoices/plan').set(org.keyAuth).expect(200)).body;
    expect(after.recomputed).toBe(true);
    const afterApis = (after.optionsConsidered as { kind: string; provider?: string; excludedBy: string[] }[]).filter((o) => o.kind !== 'self_host');
    for (const o of afterApis) expect({ provider: o.provider, blocked: o.excludedBy.includes('data-control') }).toEqual({ provider: o.provider, blocked: o.provider !== 'OpenAI' });
    const roadmap = (await t.http.get('/v1/plan').set(org.keyAuth).expect(200)).body.plan;
    expect(roadmap.assumptions.join(' ')).toContain("60% chance that the evaluation passes (the organisation's planner.evaluationPassProbability)");

    // Another org keeps the defaults.
    const other = await createOrg(t);
    expect((await t.http.get('/v1/settings/planner').set(other.keyAuth).expect(200)).body.values.approvedProcessors).toEqual([]);
  }, SEEDED_TEST_MS);

  it('workloads (by slug) and evaluations (newest first) are cursor-paginated; a forged cursor is a 400', async () => {
    const org = await createOrg(t);
    const at = new Date(Math.floor(Date.now() / HOUR) * HOUR - HOUR).toISOString();
    const events = ['support-chat', 'code-assistant', 'research-agent'].map((workload) => ({ id: `${workload}-${uid()}`, timestamp: at, provider: 'openai', model: 'gpt-4o', workload, usage: { inputTokens: 10, outputTokens: 1 } }));
    await t.http.post('/v1/events').set(org.keyAuth).send({ events }).expect(200);
    await waitFor(async () => ((await t.http.get('/v1/workloads').set(org.keyAuth).expect(200)).body.data.length === 3 ? true : null), 30_000);
    const first = (await t.http.get('/v1/workloads?limit=2').set(org.keyAuth).expect(200)).body;
    expect(first.data.map((w: { slug: string }) => w.slug)).toEqual(['code-assistant', 'research-agent']);
    const second = (await t.http.get('/v1/workloads').query({ limit: 2, cursor: first.nextCursor }).set(org.keyAuth).expect(200)).body;
    expect(second).toMatchObject({ data: [{ slug: 'support-chat' }], nextCursor: null });

    for (const sampleSize of [100, 200, 300]) {
      await t.http
        .post('/v1/workloads/code-assistant/evaluations')
        .set(org.auth)
        .send({ candidateModel: 'llama-3.3-70b-instruct', baselineModel: 'gpt-4o', sampleSize, metrics: { candidate: { accuracy: 0.9 }, baseline: { accuracy: 0.91 } } })
        .expect(201);
    }
    const evals = (await t.http.get('/v1/workloads/code-assistant/evaluations?limit=2').set(org.keyAuth).expect(200)).body;
    const rest = (await t.http.get('/v1/workloads/code-assistant/evaluations').query({ limit: 2, cursor: evals.nextCursor }).set(org.keyAuth).expect(200)).body;
    expect([...evals.data, ...rest.data].map((e: { sampleSize: number }) => e.sampleSize)).toEqual([300, 200, 100]);
    expect(rest.nextCursor).toBeNull();
    const forged = Buffer.from(JSON.stringify({ at: '2026-01-01T00:00:00.000Z', id: 'x' })).toString('base64url');
    await t.http.get('/v1/workloads/code-assistant/evaluations').query({ cursor: forged }).set(org.keyAuth).expect(400);
    await t.http.get('/v1/workloads').query({ cursor: Buffer.from('{"o":1}').toString('base64url') }).set(org.keyAuth).expect(400);
  });

  it('annotation and evaluation input errors name fields; viewers cannot annotate; another org sees 404', async () => {
    const org = await createOrg(t);
    await ingest(org, 'w', 'gpt-4o', 'openai', { inputTokens: 10, outputTokens: 1 });
    const bad = await t.http.patch('/v1/workloads/w').set(org.auth).send({ taskCategory: 'poetry', latencyTargetP95Ms: -1, residency: ['Mars!'] }).expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['taskCategory', 'latencyTargetP95Ms', 'residency']));
    const badEval = await t.http.post('/v1/workloads/w/evaluations').set(org.auth).send({ candidateModel: 'x', baselineModel: 'y', sampleSize: 10, metrics: { candidate: { accuracy: 1.5 }, baseline: {} } }).expect(400);
    expect(badEval.body.error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['metrics.candidate.accuracy', 'metrics.baseline']));
    const viewer = await createMember(t, org, 'viewer');
    await t.http.patch('/v1/workloads/w').set(viewer.auth).send({ taskCategory: 'chat' }).expect(403);
    const engineer = await createMember(t, org, 'engineer');
    await t.http.patch('/v1/workloads/w').set(engineer.auth).send({ taskCategory: 'chat' }).expect(200);
    const other = await createOrg(t);
    await t.http.get('/v1/workloads/w').set(other.keyAuth).expect(404);
    await t.http.patch('/v1/workloads/w').set(other.auth).send({ taskCategory: 'chat' }).expect(404);
    await t.http.get('/v1/workloads/w/plan').set(other.keyAuth).expect(404);
    expect((await t.http.get('/v1/plan').set(other.keyAuth).expect(200)).body.plan.workloads).toEqual([]);
  });
});
