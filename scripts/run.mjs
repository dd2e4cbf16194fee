#!/usr/bin/env node
// The README's two commands go through here: `npm test` and `npm run demo`.
// Each installs what it needs first, so a fresh clone needs nothing else.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';

const command = process.argv[2];

function run(cmd, args, env = {}) {
  const res = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (res.status !== 0) {
    console.error(`\n✗ ${cmd} ${args.join(' ')} failed (exit ${res.status ?? res.signal})`);
    process.exit(res.status ?? 1);
  }
}

/** npm ci when node_modules is missing or older than the lock file. */
function ensureInstalled() {
  const marker = 'node_modules/.package-lock.json';
  if (!existsSync(marker) || statSync(marker).mtimeMs < statSync('package-lock.json').mtimeMs) {
    console.log('• installing dependencies (npm ci)');
    run('npm', ['ci', '--no-audit', '--no-fund']);
  }
  if (!existsSync('src/generated/prisma/client.ts')) run('npx', ['prisma', 'generate']);
}

function ensureBuilt() {
  console.log('• building');
  run('npm', ['run', 'build', '--silent']);
}

ensureInstalled();
if (command === 'test') {
  run(process.execPath, ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', 'node_modules/jest/bin/jest.js', ...process.argv.slice(3)]);
} else if (command === 'demo') {
  ensureBuilt();
  run(process.execPath, ['dist/scripts/demo.js', ...process.argv.slice(3)]);
} else {
  console.error(`usage: node scripts/run.mjs test|demo (got ${command})`);
  process.exit(2);
}
