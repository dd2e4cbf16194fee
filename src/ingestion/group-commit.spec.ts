import { GroupCommit } from './group-commit.js';

/** A flush whose transactions the test finishes by hand, in order, recording the rows of each. */
function manualFlush() {
  const txs: { org: string; rows: string[]; finish: (fail?: Error) => void }[] = [];
  const flush = (org: string, rows: string[]) =>
    new Promise<string[]>((resolve, reject) => {
      txs.push({ org, rows, finish: (fail) => (fail ? reject(fail) : resolve(rows)) });
    });
  return { txs, flush };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('GroupCommit', () => {
  it('flushes a request at once when its org has nothing in flight', async () => {
    const { txs, flush } = manualFlush();
    const g = new GroupCommit(flush, (r: string) => r, { maxRows: 100, maxInflightPerKey: 1 });
    const a = g.submit('org1', ['a']);
    expect(txs.map((t) => t.rows)).toEqual([['a']]);
    txs[0].finish();
    await expect(a).resolves.toEqual(['a']);
  });

  it('groups the requests that arrive while a transaction is in flight, and answers each only after its group commits', async () => {
    const { txs, flush } = manualFlush();
    const g = new GroupCommit(flush, (r: string) => r, { maxRows: 100, maxInflightPerKey: 1 });
    const first = g.submit('org1', ['a']);
    let secondDone = false;
    const second = g.submit('org1', ['b']).then((r) => ((secondDone = true), r));
    const third = g.submit('org1', ['c', 'd']);
    // Another org is not held up by org1.
    void g.submit('org2', ['x']);
    expect(txs.map((t) => [t.org, t.rows])).toEqual([
      ['org1', ['a']],
      ['org2', ['x']],
    ]);
    expect(g.waiting).toBe(2);
    txs[0].finish();
    await first;
    await tick();
    expect(txs[2].rows).toEqual(['b', 'c', 'd']);
    expect(secondDone).toBe(false);
    txs[2].finish();
    await expect(second).resolves.toEqual(['b', 'c', 'd']);
    await expect(third).resolves.toEqual(['b', 'c', 'd']);
  });

  it('never puts the same key twice in one group: the second copy starts the next group, and the waiting one is sent', async () => {
    const { txs, flush } = manualFlush();
    const g = new GroupCommit(flush, (r: string) => r, { maxRows: 100, maxInflightPerKey: 1 });
    void g.submit('org1', ['a']);
    void g.submit('org1', ['b']);
    void g.submit('org1', ['b']);
    expect(txs.map((t) => t.rows)).toEqual([['a'], ['b']]);
    expect(g.waiting).toBe(1);
  });

  it('a full group is sent at once, never grown past maxRows nor overtaken by a request as large as a group', async () => {
    const { txs, flush } = manualFlush();
    const g = new GroupCommit(flush, (r: string) => r, { maxRows: 3, maxInflightPerKey: 1 });
    void g.submit('org1', ['a']);
    void g.submit('org1', ['b', 'c']);
    void g.submit('org1', ['d', 'e']);
    expect(txs.map((t) => t.rows)).toEqual([['a'], ['b', 'c']]);
    void g.submit('org1', ['f', 'g', 'h']);
    expect(txs.map((t) => t.rows)).toEqual([['a'], ['b', 'c'], ['d', 'e'], ['f', 'g', 'h']]);
    expect(g.waiting).toBe(0);
  });

  it('a waiting group is not starved while the org stays above its in-flight limit', async () => {
    const { txs, flush } = manualFlush();
    const g = new GroupCommit(flush, (r: string) => r, { maxRows: 4, maxInflightPerKey: 1 });
    void g.submit('org1', ['a', 'b']);
    const waiting = g.submit('org1', ['c', 'd']);
    // A stream of requests that do not fit the waiting group: each sends the one before it.
    for (const r of ['e', 'g', 'i']) void g.submit('org1', [r, `${r}2`, `${r}3`]);
    expect(txs.map((t) => t.rows)).toEqual([['a', 'b'], ['c', 'd'], ['e', 'e2', 'e3'], ['g', 'g2', 'g3']]);
    txs[1].finish();
    await expect(waiting).resolves.toEqual(['c', 'd']);
  });

  it('when a group of several callers fails, each caller is retried alone: one bad request does not sink the others', async () => {
    const { txs, flush } = manualFlush();
    const g = new GroupCommit(flush, (r: string) => r, { maxRows: 100, maxInflightPerKey: 1 });
    void g.submit('org1', ['a']);
    const good = g.submit('org1', ['good']);
    const bad = g.submit('org1', ['bad']);
    txs[0].finish();
    await tick();
    txs[1].finish(new Error('numeric field overflow'));
    await tick();
    await tick();
    expect(txs.slice(2).map((t) => t.rows)).toEqual([['good'], ['bad']]);
    txs[2].finish();
    txs[3].finish(new Error('numeric field overflow'));
    await expect(good).resolves.toEqual(['good']);
    await expect(bad).rejects.toThrow('numeric field overflow');
  });

  it('lets maxInflightPerKey transactions of an org run at once before grouping', async () => {
    const { txs, flush } = manualFlush();
    const g = new GroupCommit(flush, (r: string) => r, { maxRows: 100, maxInflightPerKey: 2 });
    for (const r of ['a', 'b', 'c', 'd']) void g.submit('org1', [r]);
    expect(txs.map((t) => t.rows)).toEqual([['a'], ['b']]);
    txs[1].finish();
    await tick();
    expect(txs.map((t) => t.rows)).toEqual([['a'], ['b'], ['c', 'd']]);
  });
});
