import { ConcurrencyGate } from './concurrency-gate.js';

describe('ConcurrencyGate', () => {
  it('admits one per org and two in all, and refuses at once beyond that', () => {
    const gate = new ConcurrencyGate(2, 1);
    const a = gate.tryAcquire('org-a');
    expect(a).not.toBeNull();
    expect(gate.tryAcquire('org-a')).toBeNull();
    const b = gate.tryAcquire('org-b');
    expect(b).not.toBeNull();
    expect(gate.tryAcquire('org-c')).toBeNull();
    expect(gate.inUse).toBe(2);
    a!();
    expect(gate.tryAcquire('org-c')).not.toBeNull();
  });

  it('a release called twice frees one slot, not two', () => {
    const gate = new ConcurrencyGate(1, 1);
    const a = gate.tryAcquire('org-a')!;
    a();
    a();
    expect(gate.inUse).toBe(0);
    expect(gate.tryAcquire('org-a')).not.toBeNull();
    expect(gate.tryAcquire('org-b')).toBeNull();
  });
});
