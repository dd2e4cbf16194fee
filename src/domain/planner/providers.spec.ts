import { findProvider, providerDisplayName, providerKey, providerRegionsFor, readProviderRegions, regionSatisfies, sameProvider } from './providers.js';

const table = readProviderRegions({
  sources: [{ id: 's1', url: 'https://example.test', date: '2026-12-01' }],
  providers: [
    { id: 'groq', displayName: 'Groq', aliases: ['groq'], regions: [], conditions: null, sourceIds: ['s1'] },
    { id: 'together', displayName: 'Together', aliases: ['together_ai'], regions: ['us', 'Mars!'], conditions: 'x', sourceIds: ['s1'] },
    { displayName: 'no id' },
  ],
});

describe('provider regions', () => {
  it('reads entries with an id, lower-cases aliases and drops bad region codes', () => {
    expect(table.providers.map((p) => p.id)).toEqual(['groq', 'together']);
    expect(table.providers[1].regions).toEqual(['us']);
  });

  it.each([
    ['Groq', 'groq', 'Groq'],
    [' GROQ ', 'groq', 'Groq'],
    ['together_ai', 'together', 'Together'],
    ['Unknown Co', 'unknown co', 'Unknown Co'],
  ])('%s → key %s, shown as %s', (name, key, display) => {
    expect(providerKey(table, name)).toBe(key);
    expect(providerDisplayName(table, name)).toBe(display);
  });

  it('unknown provider → null regions (not proven)', () => {
    expect(providerRegionsFor(table, 'acme')).toBeNull();
    expect(findProvider(table, '')).toBeNull();
    expect(providerRegionsFor(table, 'Together')).toEqual({ provider: 'Together', regions: ['us'], conditions: 'x', sourceIds: ['s1'] });
  });

  it.each([
    ['eu', 'eu', true],
    ['eu-west', 'eu', true],
    ['eu', 'eu-west', false],
    ['us', 'eu', false],
    ['europe', 'eu', false],
  ])('offered %s satisfies required %s: %s', (offered, required, ok) => {
    expect(regionSatisfies(offered, required)).toBe(ok);
  });

  it('sameProvider folds case and the _ai suffix', () => {
    expect(sameProvider('Groq', 'groq')).toBe(true);
    expect(sameProvider('together_ai', 'Together')).toBe(true);
    expect(sameProvider('together_ai', 'Together', table)).toBe(true);
    expect(sameProvider('openai', 'groq')).toBe(false);
  });
});
