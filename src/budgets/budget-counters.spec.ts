import { OrgBudgets, type CatalogBudget } from './budget-catalog.js';
import { BudgetCounters, type StoredUsage } from './budget-counters.js';

const none = { project: null, workload: null, provider: null, customer: null, tagKey: null, tagValue: null };
const budget = (id: string, extra: Partial<CatalogBudget>): CatalogBudget => ({ id, name: id, window: 'month', hard: false, limitUsd: '10', version: 1, ...none, ...extra });

function setup(budgets: CatalogBudget[], tz = 'UTC') {
  const calls: { orgId: string; amounts: { id: string; nano: bigint }[] }[] = [];
  const catalog = { get: async () => new OrgBudgets(tz, budgets) };
  const ledger = { add: async (orgId: string, amounts: { id: string; nano: bigint }[]) => void calls.push({ orgId, amounts: amounts.map(({ id, nano }) => ({ id, nano })) }) };
  const counters = new BudgetCounters(catalog as never, ledger as never);
  return { counters, calls, flush: () => new Promise((r) => setImmediate(r)) };
}

const usage = (extra: Partial<StoredUsage>): StoredUsage => ({ ts: new Date(Date.now() - 60_000), workload: 'chat', project: null, provider: 'openai', customer: null, tags: {}, costUsd: '2.5', ...extra });

describe('BudgetCounters.record', () => {
  it('sums per matching budget in one call: $2.50 + $0.000000001 to the org budget, $2.50 to acme, nothing for unpriced usage or other customers', async () => {
    const { counters, calls, flush } = setup([budget('org', {}), budget('acme', { customer: 'acme' }), budget('growth', { tagKey: 'team', tagValue: 'growth' })]);
    counters.record('o1', [usage({ customer: 'acme' }), usage({ costUsd: '0.000000001', customer: 'globex' }), usage({ costUsd: null, customer: 'acme', tags: { team: 'growth' } })]);
    await flush();
    expect(calls).toEqual([{ orgId: 'o1', amounts: [{ id: 'org', nano: 2_500_000_001n }, { id: 'acme', nano: 2_500_000_000n }] }]);
  });

  it("counts only usage inside the budget's current window: 25 hours ago is outside a 24h window, inside 7d", async () => {
    const { counters, calls, flush } = setup([budget('day', { window: '24h' }), budget('week', { window: '7d' })]);
    counters.record('o1', [usage({ ts: new Date(Date.now() - 25 * 3_600_000) })]);
    await flush();
    expect(calls).toEqual([{ orgId: 'o1', amounts: [{ id: 'week', nano: 2_500_000_000n }] }]);
  });

  it('an org without budgets, or usage matching none, sends nothing; a failing ledger is logged, never thrown', async () => {
    const empty = setup([]);
    empty.counters.record('o1', [usage({})]);
    await empty.flush();
    expect(empty.calls).toEqual([]);
    const catalog = { get: async () => new OrgBudgets('UTC', [budget('org', {})]) };
    const failing = new BudgetCounters(catalog as never, { add: async () => Promise.reject(new Error('Connection is closed.')) } as never);
    expect(() => failing.record('o1', [usage({})])).not.toThrow();
    await new Promise((r) => setImmediate(r));
  });
});
