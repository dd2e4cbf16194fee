import { TtlCache } from './ttl-cache.js';

describe('TtlCache', () => {
  it('loads once per key within the TTL, again after it, and again after delete', async () => {
    let clock = 0;
    let loads = 0;
    const cache = new TtlCache<number>(1_000, 10, () => clock);
    const load = async () => ++loads;
    expect(await Promise.all([cache.get('a', load), cache.get('a', load)])).toEqual([1, 1]);
    clock = 999;
    expect(await cache.get('a', load)).toBe(1);
    clock = 1_000;
    expect(await cache.get('a', load)).toBe(2);
    cache.delete('a');
    expect(await cache.get('a', load)).toBe(3);
  });

  it('keeps at most maxEntries, dropping the oldest inserted', async () => {
    const cache = new TtlCache<string>(60_000, 2);
    for (const k of ['a', 'b', 'c']) await cache.get(k, async () => k);
    expect(cache.size).toBe(2);
    let reloaded = false;
    await cache.get('a', async () => ((reloaded = true), 'a'));
    expect(reloaded).toBe(true);
  });

  it('does not keep a failed load', async () => {
    const cache = new TtlCache<string>(60_000, 2);
    await expect(cache.get('a', async () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(await cache.get('a', async () => 'ok')).toBe('ok');
  });
});
