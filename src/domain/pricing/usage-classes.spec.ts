import { normalizeUsage, type CanonicalUsage, type UsageResult } from './usage.js';

function base(inputTokens: number, outputTokens: number, cachedInputTokens = 0, cacheWriteTokens = 0, reasoningTokens = 0): CanonicalUsage {
  return { inputTokens, outputTokens, cachedInputTokens, cacheWriteTokens, reasoningTokens };
}

function ok(r: UsageResult) {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.errors)}`);
  return r;
}

function errorsOf(r: UsageResult) {
  return r.ok ? [] : r.errors;
}

describe('normalizeUsage: token classes priced apart', () => {
  it.each<[string, unknown, CanonicalUsage]>([
    [
      'Anthropic 1h writes: 21 + 0 read + (5m 4,000 + 1h 6,000) = 10,021 input, 6,000 of the writes 1h',
      {
        input_tokens: 21,
        cache_creation_input_tokens: 10_000,
        cache_read_input_tokens: 0,
        cache_creation: { ephemeral_5m_input_tokens: 4_000, ephemeral_1h_input_tokens: 6_000 },
        output_tokens: 393,
        service_tier: 'standard',
      },
      { ...base(10_021, 393, 0, 10_000), cacheWrite1hTokens: 6_000 },
    ],
    [
      'Gemini audio prompt: 12,000 prompt (8,000 text + 4,000 audio), none cached → 4,000 fresh audio',
      {
        promptTokenCount: 12_000,
        candidatesTokenCount: 500,
        promptTokensDetails: [
          { modality: 'TEXT', tokenCount: 8_000 },
          { modality: 'AUDIO', tokenCount: 4_000 },
        ],
      },
      { ...base(12_000, 500), audioInputTokens: 4_000 },
    ],
    [
      'Gemini cached audio: prompt AUDIO 4,000 - cached AUDIO 1,000 = 3,000 fresh audio; 1,000 cached audio; VIDEO 2,000 and IMAGE 258 fresh',
      {
        promptTokenCount: 14_258,
        candidatesTokenCount: 500,
        cachedContentTokenCount: 3_000,
        promptTokensDetails: [
          { modality: 'TEXT', tokenCount: 8_000 },
          { modality: 'AUDIO', tokenCount: 4_000 },
          { modality: 'VIDEO', tokenCount: 2_000 },
          { modality: 'IMAGE', tokenCount: 258 },
        ],
        cacheTokensDetails: [
          { modality: 'TEXT', tokenCount: 2_000 },
          { modality: 'AUDIO', tokenCount: 1_000 },
        ],
      },
      { ...base(14_258, 500, 3_000), audioInputTokens: 3_000, videoInputTokens: 2_000, imageInputTokens: 258, cachedAudioInputTokens: 1_000 },
    ],
    [
      'Gemini audio output (native audio): candidates AUDIO 700 of 800; thoughts 100 are reasoning',
      {
        promptTokenCount: 50,
        candidatesTokenCount: 800,
        thoughtsTokenCount: 100,
        candidatesTokensDetails: [
          { modality: 'TEXT', tokenCount: 100 },
          { modality: 'AUDIO', tokenCount: 700 },
        ],
      },
      { ...base(50, 900, 0, 0, 100), audioOutputTokens: 700 },
    ],
    [
      'Gemini DOCUMENT and TEXT are text: no class counts',
      { promptTokenCount: 600, candidatesTokenCount: 1, promptTokensDetails: [{ modality: 'DOCUMENT', tokenCount: 500 }, { modality: 'TEXT', tokenCount: 100 }] },
      base(600, 1),
    ],
    [
      'OpenAI chat audio: prompt 1,200 incl. 1,000 audio; completion 600 incl. 500 audio',
      { prompt_tokens: 1_200, completion_tokens: 600, prompt_tokens_details: { cached_tokens: 0, audio_tokens: 1_000 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 500 } },
      { ...base(1_200, 600), audioInputTokens: 1_000, audioOutputTokens: 500 },
    ],
    [
      'OpenAI chat audio with cached tokens but no modality breakdown: audio capped at the fresh 200',
      { prompt_tokens: 1_200, completion_tokens: 0, prompt_tokens_details: { cached_tokens: 1_000, audio_tokens: 1_000 } },
      { ...base(1_200, 0, 1_000), audioInputTokens: 200 },
    ],
    [
      'OpenAI Realtime usage: input 2,000 (audio 1,500 of which 600 cached, image 100); output 400 (audio 300)',
      {
        total_tokens: 2_400,
        input_tokens: 2_000,
        output_tokens: 400,
        input_token_details: {
          cached_tokens: 800,
          text_tokens: 400,
          audio_tokens: 1_500,
          image_tokens: 100,
          cached_tokens_details: { text_tokens: 200, audio_tokens: 600, image_tokens: 0 },
        },
        output_token_details: { text_tokens: 100, audio_tokens: 300 },
      },
      { ...base(2_000, 400, 800), audioInputTokens: 900, imageInputTokens: 100, cachedAudioInputTokens: 600, audioOutputTokens: 300 },
    ],
    [
      'canonical class counts as sent',
      { inputTokens: 10_000, outputTokens: 2_000, cachedInputTokens: 1_000, cacheWriteTokens: 3_000, cacheWrite1hTokens: 2_000, audioInputTokens: 100, imageInputTokens: 200, videoInputTokens: 300, cachedAudioInputTokens: 50, audioOutputTokens: 1_500 },
      { ...base(10_000, 2_000, 1_000, 3_000), cacheWrite1hTokens: 2_000, audioInputTokens: 100, imageInputTokens: 200, videoInputTokens: 300, cachedAudioInputTokens: 50, audioOutputTokens: 1_500 },
    ],
  ])('%s', (_name, raw, expected) => {
    expect(ok(normalizeUsage(raw)).usage).toEqual(expected);
  });

  it.each<[string, unknown, { field: string; message: RegExp }]>([
    [
      'Anthropic TTL parts 4,000 + 5,000 ≠ total 10,000',
      { input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 10_000, cache_creation: { ephemeral_5m_input_tokens: 4_000, ephemeral_1h_input_tokens: 5_000 } },
      { field: 'usage.cache_creation', message: /must add up to cache_creation_input_tokens \(10000\)/ },
    ],
    [
      'Anthropic 1h part 11,000 alone > total 10,000',
      { input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 10_000, cache_creation: { ephemeral_1h_input_tokens: 11_000 } },
      { field: 'usage.cache_creation', message: /must add up/ },
    ],
    [
      'Gemini cached AUDIO 5,000 > prompt AUDIO 4,000',
      { promptTokenCount: 9_000, cachedContentTokenCount: 5_000, promptTokensDetails: [{ modality: 'AUDIO', tokenCount: 4_000 }], cacheTokensDetails: [{ modality: 'AUDIO', tokenCount: 5_000 }] },
      { field: 'usage.cacheTokensDetails', message: /5000 cached AUDIO tokens exceed the 4000 AUDIO prompt tokens/ },
    ],
    [
      'Gemini modality list that is not an array',
      { promptTokenCount: 10, promptTokensDetails: { modality: 'AUDIO', tokenCount: 4 } },
      { field: 'usage.promptTokensDetails', message: /must be an array/ },
    ],
    [
      'Gemini modality entry with a negative tokenCount',
      { promptTokenCount: 10, promptTokensDetails: [{ modality: 'AUDIO', tokenCount: -4 }] },
      { field: 'usage.promptTokensDetails[0].tokenCount', message: /non-negative integer/ },
    ],
    [
      'Gemini modality entry without a modality name',
      { promptTokenCount: 10, promptTokensDetails: [{ tokenCount: 4 }] },
      { field: 'usage.promptTokensDetails[0].modality', message: /modality name/ },
    ],
    [
      'Gemini prompt AUDIO 20 > prompt 10 (audio beyond the fresh input)',
      { promptTokenCount: 10, promptTokensDetails: [{ modality: 'AUDIO', tokenCount: 20 }] },
      { field: 'usage.promptTokensDetails', message: /exceed the 10 fresh/ },
    ],
    [
      'canonical cacheWrite1hTokens 6 > cacheWriteTokens 5',
      { inputTokens: 10, outputTokens: 0, cacheWriteTokens: 5, cacheWrite1hTokens: 6 },
      { field: 'usage.cacheWrite1hTokens', message: /6 1-hour cache-write tokens exceed the 5/ },
    ],
    [
      'canonical audioInputTokens 8 > fresh 10 - 5 cached = 5',
      { inputTokens: 10, outputTokens: 0, cachedInputTokens: 5, audioInputTokens: 8 },
      { field: 'usage.audioInputTokens', message: /exceed the 5 fresh/ },
    ],
    [
      'canonical imageInputTokens 11 > fresh 10',
      { inputTokens: 10, outputTokens: 0, imageInputTokens: 11 },
      { field: 'usage.imageInputTokens', message: /exceed the 10 fresh/ },
    ],
    [
      'canonical cachedAudioInputTokens 3 > cached 2',
      { inputTokens: 10, outputTokens: 0, cachedInputTokens: 2, cachedAudioInputTokens: 3 },
      { field: 'usage.cachedAudioInputTokens', message: /3 cached audio tokens exceed the 2/ },
    ],
    [
      'canonical audioOutputTokens 9 > output 10 - reasoning 4',
      { inputTokens: 0, outputTokens: 10, reasoningTokens: 4, audioOutputTokens: 9 },
      { field: 'usage.audioOutputTokens', message: /9 audio output tokens exceed the 6 non-reasoning/ },
    ],
    [
      'canonical videoInputTokens 1.5 is not a count',
      { inputTokens: 10, outputTokens: 0, videoInputTokens: 1.5 },
      { field: 'usage.videoInputTokens', message: /non-negative integer/ },
    ],
  ])('error: %s', (_name, raw, expected) => {
    expect(errorsOf(normalizeUsage(raw))).toEqual([{ field: expected.field, message: expect.stringMatching(expected.message) }]);
  });
});

describe('normalizeUsage: service tier reported by the provider', () => {
  it.each<[string, unknown, string | undefined]>([
    ['OpenAI body service_tier "flex" → flex', { id: 'x', service_tier: 'flex', usage: { prompt_tokens: 1, completion_tokens: 1 } }, 'flex'],
    ['OpenAI body service_tier "priority" → priority', { service_tier: 'priority', usage: { input_tokens: 1, output_tokens: 1 } }, 'priority'],
    ['OpenAI body service_tier "scale" → default', { service_tier: 'scale', usage: { prompt_tokens: 1, completion_tokens: 1 } }, 'default'],
    ['OpenAI body service_tier "auto" → default', { service_tier: 'auto', usage: { prompt_tokens: 1, completion_tokens: 1 } }, 'default'],
    ['Anthropic usage.service_tier "standard" → default', { input_tokens: 1, output_tokens: 1, service_tier: 'standard' }, 'default'],
    ['Anthropic usage.service_tier "batch" → batch', { usage: { input_tokens: 1, output_tokens: 1, cache_read_input_tokens: 0, service_tier: 'batch' } }, 'batch'],
    ['Anthropic usage.service_tier "priority" → priority', { input_tokens: 1, output_tokens: 1, service_tier: 'priority' }, 'priority'],
    ['none reported → absent', { prompt_tokens: 1, completion_tokens: 1 }, undefined],
    ['null reported → absent', { service_tier: null, usage: { prompt_tokens: 1, completion_tokens: 1 } }, undefined],
  ])('%s', (_name, raw, tier) => {
    expect(ok(normalizeUsage(raw)).serviceTier).toBe(tier);
  });

  it.each<[string, unknown, string]>([
    ['body "turbo"', { service_tier: 'turbo', usage: { prompt_tokens: 1, completion_tokens: 1 } }, 'usage.service_tier'],
    ['usage object 42', { input_tokens: 1, output_tokens: 1, service_tier: 42 }, 'usage.service_tier'],
    ['wrapped usage object "Priority"', { usage: { input_tokens: 1, output_tokens: 1, service_tier: 'Priority' } }, 'usage.usage.service_tier'],
  ])('unknown tier is an error naming the field: %s', (_name, raw, field) => {
    expect(errorsOf(normalizeUsage(raw))).toEqual([{ field, message: expect.stringMatching(/must be one of default, standard, auto, scale, batch, flex, priority/) }]);
  });
});

describe('normalizeUsage: a cost reported by a gateway', () => {
  it('OpenRouter usage.cost 0.00123 → "0.00123"', () => {
    expect(ok(normalizeUsage({ prompt_tokens: 194, completion_tokens: 2, cost: 0.00123, is_byok: false })).gatewayCostUsd).toBe('0.00123');
  });
  it('OpenRouter BYOK: the provider bill is cost_details.upstream_inference_cost 0.019, not the 0.00095 fee', () => {
    const r = ok(normalizeUsage({ prompt_tokens: 194, completion_tokens: 2, cost: 0.00095, is_byok: true, cost_details: { upstream_inference_cost: 0.019 } }));
    expect(r.gatewayCostUsd).toBe('0.019');
  });
  it('a float with an exponent is written out: 1.2e-7 → "0.00000012"', () => {
    expect(ok(normalizeUsage({ prompt_tokens: 1, completion_tokens: 1, cost: 1.2e-7 })).gatewayCostUsd).toBe('0.00000012');
  });
  it('no cost reported → absent', () => {
    expect(ok(normalizeUsage({ prompt_tokens: 1, completion_tokens: 1 })).gatewayCostUsd).toBeUndefined();
  });
  it.each<[string, unknown]>([
    ['negative', -1],
    ['a word', 'cheap'],
    ['too large', 1e12],
    ['an object', { usd: 1 }],
  ])('an invalid cost is an error naming usage.cost: %s', (_name, cost) => {
    expect(errorsOf(normalizeUsage({ prompt_tokens: 1, completion_tokens: 1, cost }))).toEqual([{ field: 'usage.cost', message: expect.stringMatching(/non-negative cost in USD/) }]);
  });
});
