import { API_OFFERS_JSON } from '../../catalog/reference-data.js';
import economics from '../../reference/economics.json' with { type: 'json' };
import { cacheWriteSurchargeFor, readApiOffers, tierOffersFor, withApiOffers } from './api-offers.js';
import type { Catalog } from './types.js';

const offers = readApiOffers(API_OFFERS_JSON);

describe('readApiOffers: src/reference/api-offers.json', () => {
  it('reads every entry: no gaps', () => {
    expect(offers.gaps).toEqual([]);
    expect(offers.tiers.map((t) => `${t.provider}:${t.tier}`)).toEqual(['openai:batch', 'openai:flex', 'anthropic:batch', 'google:batch']);
  });

  it.each<[string, string, string, number, string, string]>([
    ['OpenAI Batch API: 50% off, OpenAI batch FAQ', 'openai', 'gpt-4o', 0.5, 'openai_batch_faq', 'https://help.openai.com/en/articles/9197833-batch-api-faq'],
    ['Anthropic Message Batches: 50% off, Anthropic docs', 'anthropic', 'claude-haiku-4.5', 0.5, 'anthropic_batch_docs', 'https://platform.claude.com/docs/en/build-with-claude/batch-processing'],
    ['Gemini batch mode: 50% off, Google blog of 2025-07-07', 'google', 'gemini-2.5-flash', 0.5, 'gemini_batch_blog', 'https://developers.googleblog.com/scale-your-ai-workloads-batch-mode-gemini-api'],
  ])('%s', (_name, provider, model, discount, sourceId, url) => {
    const [batch] = tierOffersFor(offers, provider, model);
    expect(batch).toMatchObject({ tier: 'batch', discountFraction: discount, source: sourceId });
    expect(batch.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(offers.sources.find((s) => s.id === sourceId)?.url).toBe(url);
  });

  it('OpenAI flex covers o3 and o4-mini only: o3 gets batch then flex, gpt-4o batch alone', () => {
    expect(tierOffersFor(offers, 'openai', 'o3').map((t) => t.tier)).toEqual(['batch', 'flex']);
    expect(tierOffersFor(offers, 'OpenAI', 'GPT-4o').map((t) => t.tier)).toEqual(['batch']);
  });

  it('Anthropic cache writes bill 1.25x input (the reference pricing: Haiku 4.5 $1 → $1.25); OpenAI and Google bill none', () => {
    expect(cacheWriteSurchargeFor(offers, 'anthropic')).toMatchObject({ writeMultiplier: 1.25, source: 'anthropic_pricing_docs' });
    const haiku = economics.closedModels.find((m) => m.id === 'claude-haiku-4.5');
    expect(Number(haiku?.cacheWritePerMTok) / Number(haiku?.inputPerMTok)).toBe(1.25);
    expect(cacheWriteSurchargeFor(offers, 'openai')).toBeNull();
    expect(cacheWriteSurchargeFor(offers, 'google')).toBeNull();
  });

  it('source ids do not clash with economics.json, and the copied price-source dates still match it', () => {
    const refIds = new Set(economics.sources.map((s) => s.id));
    for (const s of offers.sources) expect(refIds.has(s.id)).toBe(false);
    for (const [id, date] of Object.entries(offers.priceSourceDates)) {
      expect(economics.sources.find((s) => s.id === id)?.date).toBe(date);
    }
    expect(Object.keys(offers.priceSourceDates)).toContain('litellm_main_mirror');
  });
});

describe('readApiOffers: malformed input', () => {
  const sources = [{ id: 's', url: 'https://example.com', date: '2026-01-01' }];
  it.each<[string, unknown, RegExp]>([
    ['discount of 1.5', { provider: 'openai', tier: 'batch', discountFraction: 1.5, source: 's' }, /discountFraction/],
    ['unknown tier', { provider: 'openai', tier: 'priority', discountFraction: 0.5, source: 's' }, /tier/],
    ['source not listed', { provider: 'openai', tier: 'batch', discountFraction: 0.5, source: 'nope' }, /not in sources/],
  ])('%s → left out, listed in gaps', (_name, tier, gap) => {
    const r = readApiOffers({ sources, tiers: [tier] });
    expect(r.tiers).toEqual([]);
    expect(r.gaps.join('\n')).toMatch(gap);
  });

  it('non-object → nothing offered', () => {
    expect(readApiOffers(null).tiers).toEqual([]);
  });

  it('withApiOffers attaches without changing the catalog', () => {
    const catalog: Catalog = { models: [], gpus: [], throughput: [], managedOpenApis: [], closedModels: [] };
    const c = withApiOffers(catalog, offers);
    expect(c.apiOffers).toBe(offers);
    expect('apiOffers' in catalog).toBe(false);
  });
});
