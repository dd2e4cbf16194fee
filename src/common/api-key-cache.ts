import { Injectable } from '@nestjs/common';
import type { ApiKeyScope } from './principal.js';
import { TtlCache } from './ttl-cache.js';

/** What authenticating a key needs to know of it. */
export interface CachedApiKey {
  orgId: string;
  id: string;
  scopes: ApiKeyScope[];
  projectId: string | null;
  revokedAt: Date | null;
  signingSecret: string | null;
}

/**
 * API keys by the hash of their secret, for one second at most, in each process: a service posting one event per
 * LLM call no longer pays a database round trip per request to authenticate.
 *
 * Every change that can refuse a key (revoking it, removing or demoting the person its admin keys descend from,
 * a new signing secret) clears this process's cache at once, so the process that made the change refuses the
 * key on the very next request; every other process refuses it within KEY_CACHE_MS, the cache's lifetime. That
 * bound needs no message to arrive: a broadcast lost while a subscriber reconnects would leave a revoked key
 * usable until the entry expired anyway, so the lifetime itself is set to the goal (refused everywhere within
 * 1 s). Unknown secrets are never cached: random tokens cannot fill the cache or be remembered as valid.
 */
export const KEY_CACHE_MS = 1_000;

@Injectable()
export class ApiKeyCache {
  private readonly entries = new TtlCache<CachedApiKey | null>(KEY_CACHE_MS, 10_000);

  /** The key whose secret hashes to `hash` (hex), looked up by `load` at most once a KEY_CACHE_MS. */
  async get(hash: string, load: () => Promise<CachedApiKey | null>): Promise<CachedApiKey | null> {
    const key = await this.entries.get(hash, load);
    if (key === null) this.entries.delete(hash);
    return key;
  }

  /** Forgets every key: something changed that may refuse one (rare, and the next lookups refill it). */
  clear(): void {
    this.entries.clear();
  }
}
