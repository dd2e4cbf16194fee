import { parseJsonKeepingNumbers, quoteNumbers } from './json-text.js';
import {
  backoffMs,
  dayRange,
  mergeCostLines,
  mergeUsageLines,
  normalizeServiceTier,
  parseAnthropicCostPage,
  parseAnthropicUsagePage,
  parseOpenAiCostsPage,
  parseOpenAiUsagePage,
  ProviderFormatError,
  retryAfterMs,
  scrubSecret,
  splitOpenAiLineItem,
  type ModelResolver,
} from './provider-lines.js';

const KNOWN = new Set(['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4']);
const resolve: ModelResolver = (_p, m) => {
  const base = m.replace(/-\d{4}-\d{2}-\d{2}$|-\d{8}$/, '');
  return KNOWN.has(base) ? base : '';
};
const RANGE = dayRange('2026-03-01', '2026-03-03');
const D1 = 1772323200; // 2026-03-01T00:00:00Z
const D2 = D1 + 86_400;

describe('parseJsonKeepingNumbers: numbers stay as their source text', () => {
  it('keeps 0.1234567890123456789 digit for digit (a double would round it)', () => {
    expect(parseJsonKeepingNumbers('{"a":0.1234567890123456789,"b":[1,-2.5e-7],"c":"x 1.0 \\" 2"}')).toEqual({ a: '0.1234567890123456789', b: ['1', '-2.5e-7'], c: 'x 1.0 " 2' });
  });
  it('leaves numbers inside strings alone, escaped quotes and backslashes included', () => {
    expect(quoteNumbers('{"k\\\\":"3\\"4",  "n": 5}')).toBe('{"k\\\\":"3\\"4",  "n": "5"}');
  });
  it('not JSON is still refused', () => expect(() => parseJsonKeepingNumbers('{"a": 01}')).toThrow());
});

describe('normalizeServiceTier', () => {
  it.each([
    ['standard', undefined, 'default'],
    ['default', undefined, 'default'],
    ['auto', undefined, 'default'],
    ['batch', undefined, 'batch'],
    [null, true, 'batch'],
    ['flex', undefined, 'flex'],
    ['flex_discount', undefined, 'flex'],
    ['priority', undefined, 'priority'],
    ['priority_on_demand', undefined, 'priority'],
    ['scale', undefined, 'priority'],
    ['something-new', undefined, 'default'],
    [42, undefined, 'default'],
  ])('%s (batch=%s) → %s', (v, b, want) => expect(normalizeServiceTier(v, b)).toBe(want));
});

describe('splitOpenAiLineItem', () => {
  it.each([
    ['gpt-4o-2024-08-06, input', 'gpt-4o-2024-08-06', 'input', null],
    ['gpt-4o-mini, cached input', 'gpt-4o-mini', 'cache_read', null],
    ['o3, batch output', 'o3', 'output', 'batch'],
    ['gpt-4o-audio-preview, audio input', 'gpt-4o-audio-preview', 'input_audio', null],
    ['GPT-4o mini', 'gpt-4o-mini', '', null],
    ['Web search tool calls', 'web-search-tool-calls', '', null],
  ])('%s → model %s, token %s, tier %s', (li, model, token, tier) => expect(splitOpenAiLineItem(li)).toEqual({ model, tokenType: token, tier }));
});

describe('parseOpenAiCostsPage', () => {
  const page = (results: string, extra = '"has_more": false, "next_page": null') =>
    `{"object":"page","data":[{"object":"bucket","start_time":${D1},"end_time":${D2},"results":[${results}]}],${extra}}`;

  it('amount.value 0.1234567890123 USD is stored exactly, with model, token type and project from the line', () => {
    const p = parseOpenAiCostsPage(page('{"object":"organization.costs.result","amount":{"value":0.1234567890123,"currency":"usd"},"line_item":"gpt-4o-2024-08-06, input","project_id":"proj_a"}'), RANGE, resolve);
    expect(p.skipped).toBe(0);
    expect(p.lines).toHaveLength(1);
    const l = p.lines[0]!;
    // 13 decimal places are rounded half-even to the column's 12: …0123 → …012.
    expect(l.amountUsd.toFixed()).toBe('0.123456789012');
    expect(l).toMatchObject({ day: '2026-03-01', provider: 'openai', project: 'proj_a', model: 'gpt-4o-2024-08-06', modelId: 'gpt-4o', tokenType: 'input', costType: 'tokens', serviceTier: 'default', lineItem: 'gpt-4o-2024-08-06, input' });
  });

  it('a tool line names no model; a null line item and project are the empty string', () => {
    const p = parseOpenAiCostsPage(page('{"amount":{"value":2,"currency":"usd"},"line_item":"Web search tool calls","project_id":null},{"amount":{"value":"1.5","currency":"usd"},"line_item":null,"project_id":null}'), RANGE, resolve);
    expect(p.lines.map((l) => [l.model, l.costType, l.amountUsd.toFixed(), l.lineItem])).toEqual([
      ['', 'other', '2', 'Web search tool calls'],
      ['', '', '1.5', ''],
    ]);
  });

  it('one bad row among good ones is skipped and counted; its neighbours are kept', () => {
    const p = parseOpenAiCostsPage(
      page(
        [
          '{"amount":{"value":1,"currency":"usd"},"line_item":"gpt-4o, input"}',
          '{"amount":{"value":"NaN","currency":"usd"},"line_item":"gpt-4o, output"}',
          '{"amount":{"value":1,"currency":"eur"},"line_item":"gpt-4o, output"}',
          '"not a row"',
          '{"amount":{"value":1e15,"currency":"usd"},"line_item":"x"}',
          '{"amount":{"value":3,"currency":"usd"},"line_item":"gpt-4o, output"}',
        ].join(','),
      ),
      RANGE,
      resolve,
    );
    expect(p.lines.map((l) => l.amountUsd.toFixed())).toEqual(['1', '3']);
    expect(p.skipped).toBe(4);
    expect(p.reasons).toEqual(['amount.value is not a decimal', 'currency EUR is not USD', 'row is not an object', 'amount.value is implausibly large']);
  });

  it('a bucket outside the requested range is skipped (a replace touches only its own days)', () => {
    const body = `{"data":[{"start_time":${D1 - 86_400},"results":[{"amount":{"value":1,"currency":"usd"}}]}],"has_more":false}`;
    expect(parseOpenAiCostsPage(body, RANGE, resolve)).toMatchObject({ lines: [], skipped: 1 });
  });

  it('pages: has_more with next_page continues; has_more without it is a format error', () => {
    expect(parseOpenAiCostsPage(page('', '"has_more":true,"next_page":"page_2"'), RANGE, resolve)).toMatchObject({ hasMore: true, nextPage: 'page_2' });
    expect(() => parseOpenAiCostsPage(page('', '"has_more":true,"next_page":null'), RANGE, resolve)).toThrow(ProviderFormatError);
    expect(() => parseOpenAiCostsPage('<html>gateway</html>', RANGE, resolve)).toThrow(ProviderFormatError);
    expect(() => parseOpenAiCostsPage('{"error":{"message":"bad"}}', RANGE, resolve)).toThrow(ProviderFormatError);
  });
});

describe('parseOpenAiUsagePage: canonical token semantics', () => {
  it('1,000 text input (200 cached) + 50 audio input → input 1,050, cached 200; 300 text + 20 audio output → output 320; batch → tier batch', () => {
    const body = `{"data":[{"start_time":${D2},"results":[{"object":"organization.usage.completions.result","input_tokens":1000,"input_cached_tokens":200,"input_audio_tokens":50,"output_tokens":300,"output_audio_tokens":20,"num_model_requests":7,"model":"gpt-4o-mini-2024-07-18","project_id":"proj_b","batch":true}]}],"has_more":false}`;
    const p = parseOpenAiUsagePage(body, RANGE, '1d', resolve);
    expect(p.lines[0]).toMatchObject({
      bucketStart: '2026-03-02T00:00:00.000Z',
      bucketWidth: '1d',
      model: 'gpt-4o-mini-2024-07-18',
      modelId: 'gpt-4o-mini',
      project: 'proj_b',
      serviceTier: 'batch',
      requests: 7,
      inputTokens: 1050,
      cachedInputTokens: 200,
      outputTokens: 320,
      audioInputTokens: 50,
      audioOutputTokens: 20,
    });
  });
  it('cached above input, a negative or fractional count is refused row by row', () => {
    const row = (f: string) => `{"input_tokens":10,"output_tokens":1,${f}}`;
    const body = `{"data":[{"start_time":${D1},"results":[${[row('"input_cached_tokens":11'), row('"num_model_requests":-1'), row('"input_audio_tokens":1.5'), row('"num_model_requests":1')].join(',')}]}]}`;
    const p = parseOpenAiUsagePage(body, RANGE, '1h', resolve);
    expect(p.lines).toHaveLength(1);
    expect(p.reasons).toEqual(['input_cached_tokens exceeds input_tokens', 'num_model_requests is not a non-negative integer', 'input_audio_tokens is not a non-negative integer']);
  });
});

describe('parseAnthropicCostPage: amount is a decimal string in cents', () => {
  it('"123.45" cents is $1.2345 exactly; token types map to Crossover classes; standard → default', () => {
    const body = JSON.stringify({
      data: [
        {
          starting_at: '2026-03-01T00:00:00Z',
          ending_at: '2026-03-02T00:00:00Z',
          results: [
            { currency: 'USD', amount: '123.45', workspace_id: 'wrkspc_1', description: 'Claude Sonnet 4 Usage - Input Tokens, Cache Write (1h)', cost_type: 'tokens', context_window: '0-200k', model: 'claude-sonnet-4-20250514', service_tier: 'standard', token_type: 'cache_creation.ephemeral_1h_input_tokens' },
            { currency: 'USD', amount: '0.0000001', workspace_id: null, description: 'Web search', cost_type: 'web_search', context_window: null, model: null, service_tier: null, token_type: null },
            { currency: 'USD', amount: 12.5, cost_type: 'tokens' },
            { currency: 'USD', amount: '12,50', cost_type: 'tokens' },
          ],
        },
      ],
      has_more: false,
      next_page: null,
    });
    const p = parseAnthropicCostPage(body, RANGE, resolve);
    // A JSON number (12.5 cents) is read from its text just as exactly: $0.125.
    expect(p.lines.map((l) => l.amountUsd.toFixed())).toEqual(['1.2345', '0.000000001', '0.125']);
    expect(p.lines[0]).toMatchObject({ day: '2026-03-01', project: 'wrkspc_1', model: 'claude-sonnet-4-20250514', modelId: 'claude-sonnet-4', tokenType: 'cache_write_1h', costType: 'tokens', serviceTier: 'default' });
    expect(p.lines[1]).toMatchObject({ project: '', model: '', modelId: '', costType: 'web_search', tokenType: '' });
    expect(p).toMatchObject({ skipped: 1, reasons: ['amount is not a decimal'] });
  });
  it('a starting_at that is not RFC 3339 skips its bucket', () => {
    const body = JSON.stringify({ data: [{ starting_at: 'yesterday', results: [{ amount: '1' }] }], has_more: false });
    expect(parseAnthropicCostPage(body, RANGE, resolve)).toMatchObject({ lines: [], skipped: 1, reasons: ['starting_at is not an RFC 3339 timestamp'] });
  });
});

describe('parseAnthropicUsagePage: input = uncached + cache reads + 5m and 1h writes', () => {
  it('1,000 uncached + 4,000 read + 300 (5m) + 200 (1h) → input 5,500, cached 4,000, writes 500 of which 1h 200; batch tier kept', () => {
    const body = JSON.stringify({
      data: [
        {
          starting_at: '2026-03-02T05:00:00Z',
          ending_at: '2026-03-02T06:00:00Z',
          results: [
            { uncached_input_tokens: 1000, cache_read_input_tokens: 4000, cache_creation: { ephemeral_5m_input_tokens: 300, ephemeral_1h_input_tokens: 200 }, output_tokens: 250, server_tool_use: { web_search_requests: 1 }, model: 'claude-sonnet-4-20250514', workspace_id: null, service_tier: 'batch', context_window: '0-200k', api_key_id: null },
          ],
        },
      ],
      has_more: false,
      next_page: null,
    });
    const p = parseAnthropicUsagePage(body, RANGE, '1h', resolve);
    expect(p.lines[0]).toMatchObject({
      bucketStart: '2026-03-02T05:00:00.000Z',
      bucketWidth: '1h',
      modelId: 'claude-sonnet-4',
      serviceTier: 'batch',
      requests: 0,
      inputTokens: 5500,
      cachedInputTokens: 4000,
      cacheWriteTokens: 500,
      cacheWrite1hTokens: 200,
      outputTokens: 250,
    });
  });
});

describe('merging repeated groupings', () => {
  it('two cost rows with one key sum: $1.10 + $0.05 = $1.15', () => {
    const body = `{"data":[{"start_time":${D1},"results":[{"amount":{"value":1.10,"currency":"usd"},"line_item":"gpt-4o, input"},{"amount":{"value":0.05,"currency":"usd"},"line_item":"gpt-4o, input"}]}]}`;
    const merged = mergeCostLines(parseOpenAiCostsPage(body, RANGE, resolve).lines);
    expect(merged.map((l) => l.amountUsd.toFixed())).toEqual(['1.15']);
  });
  it('two usage rows with one key sum their counts', () => {
    const row = '{"input_tokens":10,"input_cached_tokens":4,"output_tokens":2,"num_model_requests":1,"model":"gpt-4o"}';
    const merged = mergeUsageLines(parseOpenAiUsagePage(`{"data":[{"start_time":${D1},"results":[${row},${row}]}]}`, RANGE, '1d', resolve).lines);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ inputTokens: 20, cachedInputTokens: 8, outputTokens: 4, requests: 2 });
  });
});

describe('retryAfterMs and backoffMs', () => {
  const now = Date.parse('2026-03-01T00:00:00Z');
  it.each([
    ['1', 1_000],
    ['2.5', 2_500],
    ['Sun, 01 Mar 2026 00:00:07 GMT', 7_000],
    ['Sun, 01 Mar 2026 00:10:00 GMT', 60_000],
    ['3600', 60_000],
    [undefined, 5_000],
    ['soon', 5_000],
    ['Sat, 28 Feb 2026 23:00:00 GMT', 0],
  ])('Retry-After %s → %d ms (fallback 5 s, cap 60 s)', (h, ms) => expect(retryAfterMs(h, now, 5_000, 60_000)).toBe(ms));
  it('backoff 500 ms doubles: 500, 1000, 2000, then capped at 3000', () => expect([1, 2, 3, 4].map((a) => backoffMs(a, 500, 3_000))).toEqual([500, 1000, 2000, 3000]));
});

describe('scrubSecret', () => {
  const key = 'sk-admin-0123456789abcdefghijKLMNOP';
  it('removes the key, its echoed fragments and anything key-shaped; strips control characters; cuts long text', () => {
    const out = scrubSecret(`Incorrect API key provided: ${key}. Prefix ${key.slice(0, 12)}… other sk-proj-ZZZZZZZZZZZZ\nend`, key);
    expect(out).not.toContain(key);
    expect(out).not.toContain(key.slice(0, 12));
    expect(out).not.toContain('sk-proj-ZZZZ');
    expect(out).not.toContain('\n');
    expect(scrubSecret('x'.repeat(400), key, 10)).toBe('xxxxxxxxxx…');
  });
});
