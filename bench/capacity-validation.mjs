// @ts-check
// Leave-one-out validation of the self-host capacity model (src/domain/economics/capacity-*.ts)
// against every measured throughput point of src/reference/economics.json.
//
//   node bench/capacity-validation.mjs            # table + summary
//   BENCH_JSON=1 node bench/capacity-validation.mjs
//
// Plain ESM. It needs no database, Redis or server: it compiles the pure capacity modules
// (and the reference reader they need) with the repo's TypeScript into a scratch directory
// (CAPACITY_BENCH_OUT, default $TMPDIR/crossover-bench-capacity) and imports them from there.
// Exit code 0 whatever the errors are; 1 only when it cannot compile or run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = process.env.CAPACITY_BENCH_OUT ?? path.join(os.tmpdir(), 'crossover-bench-capacity');
const JSON_OUT = /^(1|true|yes|on)$/i.test(process.env.BENCH_JSON ?? '');

function compile() {
  mkdirSync(OUT, { recursive: true });
  const entries = ['src/domain/economics/capacity-validation.ts', 'src/domain/economics/reference-adapter.ts', 'src/catalog/reference-data.ts'];
  const args = [
    path.join(ROOT, 'node_modules/typescript/bin/tsc'),
    ...entries.map((e) => path.join(ROOT, e)),
    '--outDir', OUT,
    '--rootDir', path.join(ROOT, 'src'),
    '--target', 'ES2022',
    '--module', 'nodenext',
    '--moduleResolution', 'nodenext',
    '--resolveJsonModule',
    '--esModuleInterop',
    '--skipLibCheck',
    '--strict',
    '--types', 'node',
    '--typeRoots', path.join(ROOT, 'node_modules/@types'),
    '--noEmitOnError', 'false',
    '--ignoreConfig',
  ];
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  // Type errors elsewhere in a shared checkout do not stop the emit; a missing output does.
  if (!existsSync(path.join(OUT, 'domain/economics/capacity-validation.js'))) {
    process.stderr.write(r.stdout + r.stderr);
    throw new Error('could not compile the capacity modules');
  }
  if (r.status !== 0) process.stderr.write(`tsc reported type errors (emitted anyway):\n${(r.stdout + r.stderr).split('\n').slice(0, 10).join('\n')}\n`);
  writeFileSync(path.join(OUT, 'package.json'), '{"type":"module"}\n');
  // The compiled files import decimal.js etc. by bare name: resolve them from the repo's node_modules.
  const link = path.join(OUT, 'node_modules');
  if (!existsSync(link)) spawnSync('ln', ['-s', path.join(ROOT, 'node_modules'), link]);
}

const pct = (x) => (x === null || x === undefined ? '-' : `${(x * 100).toFixed(1)}%`);
const num = (x, d = 0) => (x === null || x === undefined ? '-' : x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
const key = (k) => (k ?? 'engine fit only').replaceAll('|', ' / ');
const shape = (p) => (p.islOsl ? `${p.islOsl.input}/${p.islOsl.output}` : '?');

function row(cells) {
  return `| ${cells.join(' | ')} |`;
}

async function main() {
  compile();
  const imp = (rel) => import(pathToFileURL(path.join(OUT, rel)).href);
  const { REFERENCE } = await imp('catalog/reference-data.js');
  const { economicsCatalogFrom } = await imp('domain/economics/reference-adapter.js');
  const { leaveOneOut, leaveGroupOut } = await imp('domain/economics/capacity-validation.js');
  const { calibrate } = await imp('domain/economics/capacity-calibration.js');
  const catalog = economicsCatalogFrom(REFERENCE);
  const ctx = { models: catalog.models, gpus: catalog.gpus };
  const t0 = performance.now();
  const report = leaveOneOut(catalog.throughput, ctx);
  const strict = leaveGroupOut(catalog.throughput, ctx);
  const ms = performance.now() - t0;
  const cal = calibrate(catalog.throughput, ctx);

  const lines = [];
  lines.push(`Leave-one-out over ${catalog.throughput.length} reference throughput points: ${report.rows.length} predicted, ${report.excluded.length} excluded (${num(ms)} ms)`);
  lines.push('');
  lines.push(row(['model', 'GPU x n', 'prec', 'ISL/OSL', 'conc.', 'engine', 'source', 'measured tok/s', 'predicted tok/s (LOO)', 'pred/meas (LOO)', 'residual from (LOO)', 'pred/meas (group out)', 'residual from (group out)']));
  lines.push(row(Array(13).fill('---')));
  report.rows.forEach((r, i) => {
    const p = r.point;
    const g = strict.rows[i];
    lines.push(row([p.model, `${p.gpu} x${p.count}`, p.precision ?? '?', shape(p), String(p.concurrency), p.engine, p.source, num(r.measuredTokPerSec, 1), num(r.predictedTokPerSec, 1), r.ratio === null ? '-' : r.ratio.toFixed(2), key(r.borrowedFrom), g ? (g.ratio === null ? '-' : g.ratio.toFixed(2)) : '-', g ? key(g.borrowedFrom) : '-']));
  });
  lines.push('');
  lines.push(`median |error| ${pct(report.medianAbsError)} (goal <= 25%); worst ${report.worst ? `${report.worst.point.model} ${report.worst.point.gpu} x${report.worst.point.count} ${shape(report.worst.point)} c=${report.worst.point.concurrency}: ${report.worst.ratio?.toFixed(2)}x` : '-'}; beyond 2x: ${report.beyond2x} (goal 0)`);
  lines.push(`group out (the point's whole model/GPU/precision/engine group removed, as for an unmeasured deployment): median |error| ${pct(strict.medianAbsError)}; worst ${strict.worst ? `${strict.worst.point.model} ${strict.worst.point.gpu} x${strict.worst.point.count} ${shape(strict.worst.point)} c=${strict.worst.point.concurrency}: ${strict.worst.ratio?.toFixed(2)}x` : '-'}; beyond 2x: ${strict.beyond2x}`);
  lines.push('');
  lines.push('Excluded (cannot be reproduced):');
  lines.push('');
  lines.push(row(['model', 'GPU x n', 'prec', 'conc.', 'engine', 'source', 'tok/s', 'reason']));
  lines.push(row(Array(8).fill('---')));
  for (const x of report.excluded) {
    const p = x.point;
    lines.push(row([p.model, `${p.gpu} x${p.count}`, p.precision ?? 'not stated', p.concurrencyLabel ?? String(p.concurrency), p.engine, p.source, num(p.outputTokPerSec, 1), x.reason]));
  }
  lines.push('');
  lines.push(`Fit on all ${cal.global.points} points: prefill (FLOPs) efficiency ${cal.global.efficiencies.prefillEfficiency.toFixed(3)}, decode bandwidth efficiency ${cal.global.efficiencies.decodeBandwidthEfficiency.toFixed(3)}, rms ln error before factors ${cal.global.rmsLogError.toFixed(3)}`);
  lines.push(`Engine factors: ${Object.values(cal.engines).map((e) => `${e.engine} ${e.factor.toFixed(3)} (${e.points} pts)`).join(', ')}`);
  lines.push('');
  lines.push(row(['calibration group', 'points', 'residual factor']));
  lines.push(row(['---', '---', '---']));
  for (const g of cal.groups) lines.push(row([key(g.key), String(g.points), g.factor.toFixed(3)]));
  process.stdout.write(`${lines.join('\n')}\n`);
  if (JSON_OUT) {
    process.stdout.write(
      `${JSON.stringify({
        points: catalog.throughput.length,
        predicted: report.rows.length,
        excluded: report.excluded.length,
        medianAbsError: report.medianAbsError,
        worstRatio: report.worst?.ratio ?? null,
        beyond2x: report.beyond2x,
        groupOut: { medianAbsError: strict.medianAbsError, worstRatio: strict.worst?.ratio ?? null, beyond2x: strict.beyond2x },
        efficiencies: cal.global.efficiencies,
        engines: cal.engines,
      })}\n`,
    );
  }
}

main().catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
