import { rollupPlan, type RollupLevel, type RollupPiece } from './rollup-plan.js';

const H = 3_600_000;
const iso = (t: number) => new Date(t).toISOString();

/** Net count of each hour the pieces cover (a month or day piece counts every hour in it). */
function hoursCovered(pieces: RollupPiece[]): Map<number, number> {
  const net = new Map<number, number>();
  for (const p of pieces) for (let t = p.from; t < p.to; t += H) net.set(t, (net.get(t) ?? 0) + p.sign);
  return net;
}

/** The pieces add up to every hour starting in [from, to) exactly once, and nothing else. */
function expectExact(from: Date, to: Date, pieces: RollupPiece[]) {
  const a = Math.ceil(from.getTime() / H) * H;
  const b = Math.ceil(to.getTime() / H) * H;
  const net = hoursCovered(pieces);
  const wrong = [...net].filter(([t, n]) => n !== (t >= a && t < b ? 1 : 0)).map(([t, n]) => `${iso(t)}: ${n}`);
  for (let t = a; t < b; t += H) if (!net.has(t)) wrong.push(`${iso(t)}: 0`);
  expect(wrong).toEqual([]);
}

/** Each piece starts and ends on its table's period boundaries. */
function expectAligned(pieces: RollupPiece[]) {
  for (const p of pieces) {
    for (const t of [p.from, p.to]) {
      const d = new Date(t);
      if (p.level === 'hour') expect(t % H).toBe(0);
      if (p.level === 'day') expect(t % (24 * H)).toBe(0);
      if (p.level === 'month') expect([d.getUTCDate(), t % (24 * H)]).toEqual([1, 0]);
    }
  }
}

describe('rollupPlan', () => {
  it('reads the bench window (2026-09-02 16:00 to 2026-12-01 16:00) by month as September less 2 days plus 8 hours, October-November whole, December 1 less its last 8 hours', () => {
    const pieces = rollupPlan(new Date('2026-09-02T16:00:00Z'), new Date('2026-12-01T16:00:00Z'), 'month', true);
    expectExact(new Date('2026-09-02T16:00:00Z'), new Date('2026-12-01T16:00:00Z'), pieces);
    const shown = pieces.map((p) => `${p.sign > 0 ? '+' : '-'}${p.level} ${iso(p.from)} ${iso(p.to)}`).sort();
    expect(shown).toEqual(
      [
        '+month 2026-09-01T00:00:00.000Z 2026-10-01T00:00:00.000Z',
        '-day 2026-09-01T00:00:00.000Z 2026-09-02T00:00:00.000Z',
        '-day 2026-09-02T00:00:00.000Z 2026-09-03T00:00:00.000Z',
        '+hour 2026-09-02T16:00:00.000Z 2026-09-03T00:00:00.000Z',
        '+month 2026-10-01T00:00:00.000Z 2026-12-01T00:00:00.000Z',
        '+day 2026-12-01T00:00:00.000Z 2026-12-02T00:00:00.000Z',
        '-hour 2026-12-01T16:00:00.000Z 2026-12-02T00:00:00.000Z',
      ].sort(),
    );
  });

  it('without complements reads only pieces inside the window (28 September days from daily)', () => {
    const pieces = rollupPlan(new Date('2026-09-02T16:00:00Z'), new Date('2026-12-01T16:00:00Z'), 'month');
    expect(pieces.every((p) => p.sign === 1)).toBe(true);
    expect(pieces.find((p) => p.level === 'day')).toMatchObject({ from: Date.parse('2026-09-03T00:00:00Z'), to: Date.parse('2026-10-01T00:00:00Z') });
    expectExact(new Date('2026-09-02T16:00:00Z'), new Date('2026-12-01T16:00:00Z'), pieces);
  });

  it('reads hours only at hour level, rounding both ends up to the hour as the hourly rollups count them', () => {
    const pieces = rollupPlan(new Date('2026-03-01T10:30:00Z'), new Date('2026-03-04T00:00:01Z'), 'hour', true);
    expect(pieces).toEqual([{ level: 'hour', from: Date.parse('2026-03-01T11:00:00Z'), to: Date.parse('2026-03-04T01:00:00Z'), sign: 1 }]);
  });

  it('is empty for a window inside one hour', () => {
    expect(rollupPlan(new Date('2026-03-01T10:10:00Z'), new Date('2026-03-01T10:50:00Z'), 'month', true)).toEqual([]);
  });

  it('counts every hour exactly once for windows of every shape (seeded random, leap February, year end)', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const base = Date.parse('2023-11-15T00:00:00Z');
    for (let i = 0; i < 300; i++) {
      const from = new Date(base + Math.floor(rand() * 600 * 24) * H + (rand() < 0.2 ? 1_234 : 0));
      const to = new Date(from.getTime() + Math.floor(rand() * (rand() < 0.5 ? 72 : 200 * 24)) * H + (rand() < 0.2 ? 99 : 0));
      for (const level of ['hour', 'day', 'month'] as RollupLevel[]) {
        for (const complement of [false, true]) {
          const pieces = rollupPlan(from, to, level, complement);
          expectAligned(pieces);
          expect(pieces.every((p) => p.from < p.to && (level === 'month' || p.level !== 'month') && (level !== 'hour' || p.level === 'hour'))).toBe(true);
          if (!complement) expect(pieces.every((p) => p.sign === 1)).toBe(true);
          expectExact(from, to, pieces);
        }
      }
    }
  });
});
