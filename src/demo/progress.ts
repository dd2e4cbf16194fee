import { sleep } from './api-client.js';

export const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
export const fmtUsd = (v: unknown, digits = 0) => {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? `$${n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}` : '—';
};
/** m:ss */
export const fmtSecs = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/** One-line progress bar: redrawn with \r on a terminal, a line per 10% otherwise (CI logs). */
export class Progress {
  private readonly started = Date.now();
  private lastDraw = 0;
  private lastDecile = -1;
  private readonly tty = !!process.stdout.isTTY;
  constructor(
    private readonly label: string,
    private total: number,
    private readonly unit: string,
  ) {}

  update(done: number, extra = '', total = this.total): void {
    this.total = total;
    const now = Date.now();
    const frac = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const decile = Math.floor(frac * 10);
    if (this.tty ? now - this.lastDraw < 100 && frac < 1 : decile === this.lastDecile) return;
    this.lastDraw = now;
    this.lastDecile = decile;
    const elapsed = now - this.started;
    const rate = elapsed > 0 ? (done / elapsed) * 1000 : 0;
    const eta = rate > 0 && frac < 1 ? fmtSecs(((this.total - done) / rate) * 1000) : '0:00';
    const width = 24;
    const filled = Math.round(frac * width);
    const line = `  ${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(1).padStart(5)}%  ${fmtInt(done)}/${fmtInt(this.total)} ${this.unit}  ${fmtInt(rate)} ${this.unit}/s  ETA ${eta}${extra ? `  ${extra}` : ''}`;
    if (this.tty) process.stdout.write(`\r${line}\x1b[K`);
    else console.log(line);
  }

  done(summary: string): void {
    const line = `  ${this.label} ${summary} in ${fmtSecs(Date.now() - this.started)}`;
    if (this.tty) process.stdout.write(`\r${line}\x1b[K\n`);
    else console.log(line);
  }
}

/** What a poll of a background job says about it. */
export interface PollState {
  done: boolean;
  progress: number;
  total: number;
  extra?: string;
  failed?: string;
}

/**
 * Polls every 500 ms with a progress bar until `state` says done or failed.
 * A timeout is reported and returns null rather than throwing: the demo
 * carries on with what is there.
 */
export async function waitFor<T>(label: string, poll: () => Promise<T>, state: (v: T) => PollState, timeoutMs: number, unit: string): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  let bar: Progress | null = null;
  for (;;) {
    const v = await poll();
    const s = state(v);
    bar ??= new Progress(label, s.total, unit);
    bar.update(s.progress, s.extra ?? '', s.total);
    if (s.failed) {
      bar.done(`failed: ${s.failed}`);
      return null;
    }
    if (s.done) {
      bar.done(s.extra ?? 'done');
      return v;
    }
    if (Date.now() > deadline) {
      bar.done(`still not done after ${fmtSecs(timeoutMs)}; carrying on`);
      return null;
    }
    await sleep(500);
  }
}

/** A text table: the first column left-aligned, the others right-aligned. */
export function table(rows: string[][], header: string[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `    ${r.map((c, i) => (i === 0 ? (c ?? '').padEnd(widths[i]) : (c ?? '').padStart(widths[i]))).join('  ')}`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
