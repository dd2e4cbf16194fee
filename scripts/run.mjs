#!/usr/bin/env node
// The README's two commands go through here: `npm test` (and its halves
// `npm run test:unit` / `npm run test:e2e`) and `npm run demo`.
// Each installs what it needs first, so a fresh clone needs nothing else.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { staleBuild } from './stale-build.mjs';

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

// The jest projects (jest.config.js) each test command runs; none selected means all.
const TEST_PROJECTS = { test: [], 'test:unit': ['unit'], 'test:e2e': ['e2e'] };

ensureInstalled();
if (Object.hasOwn(TEST_PROJECTS, command)) {
  // The multi-process e2e test (test/scale) runs `node dist/main.js`: build when dist/ is behind src/, so a
  // fresh clone needs no third command (a unit-only run needs no build).
  const stale = TEST_PROJECTS[command].includes('e2e') || TEST_PROJECTS[command].length === 0 ? staleBuild() : null;
  if (stale) {
    console.log(`• ${stale}`);
    ensureBuilt();
  }
  // --selectProjects takes every argument after it as a project name, so it
  // goes after the caller's paths and options, never before them.
  const select = TEST_PROJECTS[command].length ? ['--selectProjects', ...TEST_PROJECTS[command]] : [];
  run(process.execPath, ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', 'node_modules/jest/bin/jest.js', ...process.argv.slice(3), ...select]);
} else if (command === 'lint') {
  // The type check, then the architecture rules (.dependency-cruiser.cjs):
  // once over files, once with each src/ folder collapsed to one node, so a
  // cycle between two folders fails even when no two files form one.
  // The typed client's types (src/generated/openapi.ts) are written by the build: build first when behind.
  const stale = staleBuild() ?? (existsSync('src/generated/openapi.ts') ? null : 'src/generated/openapi.ts is missing');
  if (stale) {
    console.log(`• ${stale}`);
    ensureBuilt();
  }
  console.log('• type check');
  run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit']);
  // The benches and the dashboard are JavaScript: their // @ts-check files are checked against the same types.
  if (existsSync('tsconfig.js-clients.json')) {
    console.log('• type check of the JavaScript clients (benches, dashboard)');
    run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.js-clients.json', '--noEmit']);
  }
  const depcruise = [process.execPath, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs', 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'];
  console.log('• architecture rules (files)');
  run(depcruise[0], depcruise.slice(1));
  console.log('• architecture rules (folders)');
  run(depcruise[0], [...depcruise.slice(1), '--collapse', '^src/[^/]+/']);
} else if (command === 'demo') {
  ensureBuilt();
  run(process.execPath, ['dist/demo/main.js', ...process.argv.slice(3)]);
} else {
  console.error(`usage: node scripts/run.mjs test|test:unit|test:e2e|lint|demo (got ${command})`);
  process.exit(2);
}
