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

function sample(serverPid, database) {
  const self = process.cpuUsage();
  return {
    client: (self.user + self.system) / 1e6,
    server: serverPid ? (procSeconds(serverPid)?.seconds ?? null) : null,
    backends: database ? backendSeconds(database) : null,
    machine: machineBusySeconds(),
  };
}

/**
 * Starts a CPU meter; `stop()` returns the CPU seconds spent since by the
 * bench client, the server process, the postgres backends of `database`
 * (backends that exit during the run are missed, so this is a floor) and the
 * whole machine.
 */
export function cpuMeter(serverPid, database) {
  if (process.platform !== 'linux') return { stop: () => null };
  let before;
  try {
    before = sample(serverPid, database);
  } catch {
    return { stop: () => null };
  }
  return {
    stop() {
      const after = sample(serverPid, database);
      const d = (k) => (before[k] === null || after[k] === null ? null : after[k] - before[k]);
      let postgres = null;
      if (after.backends) {
        postgres = 0;
        for (const [pid, secs] of after.backends) postgres += secs - (before.backends.get(pid) ?? 0);
      }
      return { client: d('client'), server: d('server'), postgres, machine: d('machine') };
    },
  };
}
