import { ATTRIBUTION_CAP, OTHER_VALUE, REBUILD_ATTRIBUTION_DAY, REBUILD_ATTRIBUTION_HOUR, tagValue } from './attribution.js';

describe('attribution rollups', () => {
  it('state their cap: 1,000 values per org, period and dim, the rest in "(other)"', () => {
    expect(ATTRIBUTION_CAP).toBe(1000);
    expect(OTHER_VALUE).toBe('(other)');
  });

  it('store a tag as key=value, split at the first "=" (a value may hold "=")', () => {
    expect(tagValue('team', 'search')).toBe('team=search');
    expect(tagValue('expr', 'a=b')).toBe('expr=a=b');
  });

  it('take the cap as a bound parameter, ranking by cost then value in byte order (the same cut on every run)', () => {
    expect(REBUILD_ATTRIBUTION_HOUR).toContain('rank <= $3');
    expect(REBUILD_ATTRIBUTION_DAY).toContain('rank <= $4');
    for (const sql of [REBUILD_ATTRIBUTION_HOUR, REBUILD_ATTRIBUTION_DAY]) expect(sql).toContain('ORDER BY sum(cost_usd) DESC, value COLLATE "C"');
  });
});
