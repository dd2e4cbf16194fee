import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { findProvider } from '@pydantic/genai-prices';
import type { GenaiProvider } from '../domain/catalog/genai-prices.js';
import type { PackageSource } from '../domain/catalog/catalog-merge.js';

/*
 * The price data bundled in @pydantic/genai-prices, read from the installed
 * package only: nothing here calls its updatePrices / waitForUpdate or its
 * remote data URL, so no price is fetched at run time.
 */

/**
 * Package providers Crossover seeds, in priority order (a model id taken by an
 * earlier one is skipped later), with Crossover's name for each. These are the
 * model makers' own APIs. Left out: clouds and gateways re-selling the same
 * models under the same ids (aws, azure, openrouter, huggingface_*: one catalog
 * id holds one provider's prices) and open-model hosts (groq, together,
 * fireworks, ...), whose offers stay with the reference file for now.
 */
export const SEEDED_PROVIDERS: readonly { packageId: string; provider: string }[] = [
  { packageId: 'openai', provider: 'openai' },
  { packageId: 'anthropic', provider: 'anthropic' },
  { packageId: 'google', provider: 'google' },
  { packageId: 'mistral', provider: 'mistral' },
  { packageId: 'deepseek', provider: 'deepseek' },
  { packageId: 'x-ai', provider: 'xai' },
  { packageId: 'cohere', provider: 'cohere' },
  { packageId: 'moonshotai', provider: 'moonshot' },
];

let versionCache: string | null = null;

/** The installed package's version, read from its package.json (never hard-coded). */
export function genaiPricesVersion(): string {
  if (versionCache === null) {
    const require = createRequire(import.meta.url);
    // The package's exports hide package.json; its entry point sits in dist/, one level below it.
    const entry = require.resolve('@pydantic/genai-prices');
    let dir = dirname(entry);
    for (let i = 0; i < 3; i++) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (pkg.name === '@pydantic/genai-prices' && typeof pkg.version === 'string') {
          versionCache = pkg.version;
          break;
        }
      } catch {
        // not this directory
      }
      dir = dirname(dir);
    }
    if (versionCache === null) throw new Error('cannot read the version of @pydantic/genai-prices');
  }
  return versionCache;
}

/** Source id of every price seeded from the package, e.g. "genai-prices@0.1.8". */
export function genaiPricesSourceId(): string {
  return `genai-prices@${genaiPricesVersion()}`;
}

/** The seeded providers' bundled data; a provider missing from this package version is reported, not fatal. */
export function genaiPackageSources(onMissing: (packageId: string) => void = () => undefined): PackageSource[] {
  const out: PackageSource[] = [];
  for (const p of SEEDED_PROVIDERS) {
    const data = findProvider({ providerId: p.packageId }) as unknown as GenaiProvider | undefined;
    if (data === undefined || data.id !== p.packageId) {
      onMissing(p.packageId);
      continue;
    }
    out.push({ provider: p.provider, data, kind: 'closed' });
  }
  return out;
}
