import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { staleBuild } from '../../scripts/stale-build.mjs';
import { waitFor } from './wait.js';

/**
 * The built app (`node dist/main.js`) as separate OS processes, for tests that need what one jest process
 * cannot give: several API and worker processes on one database, a process killed with SIGKILL, a cluster
 * primary and its forks. Output is kept per process so a failing test can print it; every process started
 * here is killed when the test process exits, whatever happened.
 */

const ENTRY = 'dist/main.js';
/** Characters of output kept per process (the tail). */
const KEEP_CHARS = 64_000;

/** Throws, naming the command to run, unless dist/ is current: a test must never run yesterday's build. */
export function assertBuilt(): void {
  const stale = staleBuild();
  if (stale) throw new Error(`${stale}: this test runs the built app. Run \`npm run build\` first (\`npm test\` and \`npm run test:e2e\` build it themselves).`);
}

export interface AppProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  /** Resolves when the process has exited (code, or the signal that ended it). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  running(): boolean;
  /** Its stdout and stderr so far (the last KEEP_CHARS characters). */
  output(): string;
  kill(signal?: NodeJS.Signals): void;
}

const started = new Set<AppProcess>();
let exitHookInstalled = false;

/** Starts `node dist/main.js` with the given environment on top of this process's. */
export function startApp(name: string, env: Record<string, string>): AppProcess {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Last resort if the test process dies without its afterAll: nothing may outlive it.
    process.once('exit', () => {
      for (const p of started) if (p.running()) p.child.kill('SIGKILL');
    });
  }
  const child = spawn(process.execPath, [ENTRY], { cwd: process.cwd(), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (chunk: Buffer) => {
    out += chunk.toString();
    if (out.length > KEEP_CHARS * 2) out = out.slice(-KEEP_CHARS);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const proc: AppProcess = {
    name,
    child,
    pid: child.pid!,
    exited,
    running: () => child.exitCode === null && child.signalCode === null,
    output: () => out.slice(-KEEP_CHARS),
    kill: (signal = 'SIGTERM') => {
      if (proc.running()) child.kill(signal);
    },
  };
  started.add(proc);
  return proc;
}

/** Polls `url` until it answers 200; fails at once, with the process's output, if the process exits first. */
export async function waitHttpOk(proc: AppProcess, url: string, timeoutMs = 90_000): Promise<void> {
  await waitFor(
    async () => {
      if (!proc.running()) throw new Error(`${proc.name} exited before ${url} answered 200:\n${proc.output()}`);
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) }).catch(() => null);
      return res?.status === 200;
    },
    timeoutMs,
    200,
  ).catch((e: Error) => {
    throw new Error(`${proc.name}: ${e.message}\n${proc.output()}`);
  });
}

/** Stops every process still running: SIGTERM, then SIGKILL after `graceMs`. Resolves once all have exited. */
export async function stopAll(graceMs = 10_000): Promise<void> {
  await Promise.all(
    [...started].map(async (p) => {
      if (p.running()) {
        p.kill('SIGTERM');
        const timer = setTimeout(() => p.kill('SIGKILL'), graceMs);
        await p.exited;
        clearTimeout(timer);
      }
      started.delete(p);
    }),
  );
}

/** Every process's output, headed by its name and how it ended: printed when a test fails. */
export function outputs(procs: AppProcess[]): string {
  return procs
    .map((p) => {
      const state = p.running() ? 'running' : `exited with ${p.child.exitCode ?? p.child.signalCode}`;
      return `----- ${p.name} (pid ${p.pid}, ${state}) -----\n${p.output()}`;
    })
    .join('\n');
}

/** Process ids of `pid`'s direct children (a cluster primary's forks), from /proc, or `ps` where that is missing. */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    const res = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
    return res.stdout.trim().split(/\s+/).filter(Boolean).map(Number);
  }
}

/** True while a process with this id exists (and is not a zombie). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // A zombie (Z) has exited; its parent has not reaped it yet.
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** True once the process is stopped by SIGSTOP (state T), so it can finish nothing until SIGCONT. */
export function isStopped(pid: number): boolean {
  try {
    return /^\d+ \(.*\) [Tt] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
