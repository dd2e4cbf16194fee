import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (package `chromium`), driven by playwright-core: no browser download. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Flags for a quiet, self-contained headless run (no sandbox: CI runs as root).
 * The profile is fresh per launch: Playwright gives `launch()` a new temporary
 * --user-data-dir of its own and deletes it on close (it refuses the flag in
 * `args`, since it manages that directory itself).
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Screenshots and other artefacts of the browser tests (git-ignored). */
export const ARTIFACTS_DIR = join(ROOT, 'test-artifacts');

/** Runs scripts/ensure-chromium.sh: installs Debian's chromium when /usr/bin/chromium is missing (apt needs root), else returns at once. */
export function ensureChromium(timeoutMs = 10 * 60_000): void {
  execFileSync('bash', [join(ROOT, 'scripts/ensure-chromium.sh')], { stdio: ['ignore', 'inherit', 'inherit'], timeout: timeoutMs });
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is still missing after scripts/ensure-chromium.sh`);
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
}

/** Saves a full-page screenshot as test-artifacts/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
