// Where the CPU went during the measured run (Linux only; null elsewhere).
// Client and server share a small machine, so the API rate cannot be read
// without knowing how much of the CPU the bench itself and Postgres took.
import { readFileSync, readdirSync } from 'node:fs';

const TICK = 100; // USER_HZ: 100 on every mainstream Linux build

/** utime + stime of one process, in seconds, from /proc/<pid>/stat. */
function procSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { comm, seconds: (Number(f[11]) + Number(f[12])) / TICK }; // fields 14 and 15
  } catch {
    return null;
  }
}

/** Machine-wide busy CPU seconds (all cores), from /proc/stat. */
function machineBusySeconds() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0); // user..steal; guest time is already inside user
  return (total - f[3] - f[4]) / TICK; // minus idle and iowait
}

/**
 * CPU seconds of each postgres backend serving `database`, by pid. A
 * backend's process title (its /proc cmdline) is
 * "postgres: <cluster>: <user> <database> <client> <state>"; other
 * engineers' test databases on the same server are thereby left out.
 */
function backendSeconds(database) {
  const out = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = procSeconds(name);
    if (!p || p.comm !== 'postgres') continue;
    try {
      const title = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (title.split(/\s+/).includes(database)) out.set(name, p.seconds);
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

/** A pid, an array of pids, or a function returning them (read at each sample: a cluster's forks). */
const pidList = (x) => (x === null || x === undefined ? [] : typeof x === 'function' ? x() : Array.isArray(x) ? x : [x]);

/** CPU seconds of each of `pids` that exists, by pid; null when there are none to watch. */
function processSeconds(pids) {
  const list = pidList(pids);
  if (!list.length) return null;
  const out = new Map();
  for (const pid of list) {
    const p = procSeconds(pid);
    if (p) out.set(pid, p.seconds);
  }
  return out;
}

/** Seconds spent between two samples of processSeconds: a process that appeared counts from zero, one that exited is missed. */
function spent(before, after) {
  if (!before || !after) return null;
  let total = 0;
  for (const [pid, secs] of after) total += secs - (before.get(pid) ?? 0);
  return total;
}

function sample(serverPids, database, workerPids) {
  const self = process.cpuUsage();
  return {
    client: (self.user + self.system) / 1e6,
    server: processSeconds(serverPids),
    worker: processSeconds(workerPids),
    backends: database ? backendSeconds(database) : null,
    machine: machineBusySeconds(),
  };
}

/**
 * Starts a CPU meter; `stop()` returns the CPU seconds spent since by the
 * bench client, the server's processes (`serverPids`: one pid, several, or a
 * function returning them, such as a cluster primary and its forks), a
 * separate ROLE=worker process (`workerPids`; null when there is none), the
 * postgres backends of `database` (backends that exit during the run are
 * missed, so this is a floor) and the whole machine.
 * @param {number | undefined | (number | undefined)[] | (() => (number | undefined)[])} serverPids
 * @param {string | null} database
 * @param {number | (() => (number | undefined)[]) | null} [workerPids]
 */
export function cpuMeter(serverPids, database, workerPids = null) {
  if (process.platform !== 'linux') return { stop: () => null };
  let before;
  try {
    before = sample(serverPids, database, workerPids);
  } catch {
    return { stop: () => null };
  }
  return {
    stop() {
      const after = sample(serverPids, database, workerPids);
      return {
        client: after.client - before.client,
        server: spent(before.server, after.server),
        worker: spent(before.worker, after.worker),
        postgres: spent(before.backends, after.backends),
        machine: after.machine - before.machine,
      };
    },
  };
}

/** VmRSS of `pid` in bytes, or null (not Linux, or gone). */
function rssBytes(pid) {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** RSS summed over the server's processes (`pids`: a pid, or a function returning a cluster primary and its forks). */
export function rssOf(pids) {
  const list = typeof pids === 'function' ? pids() : pids ? [pids] : [];
  const each = list.map(rssBytes).filter((x) => x !== null);
  return each.length ? each.reduce((a, b) => a + b, 0) : null;
}

/** Samples `rssOf(pids)` every 200 ms until stop(), which returns { start, peak } in bytes (null when unreadable). */
export function rssPeak(pids) {
  const s = { start: rssOf(pids), peak: null };
  const tick = () => {
    const rss = rssOf(pids);
    if (rss !== null && (s.peak === null || rss > s.peak)) s.peak = rss;
  };
  tick();
  const timer = setInterval(tick, 200);
  return {
    stop() {
      clearInterval(timer);
      tick();
      return s;
    },
  };
}
