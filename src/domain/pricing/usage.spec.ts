import { normalizeUsage, usageFromOtelAttributes, type CanonicalUsage, type UsageResult } from './usage.js';

function usage(
  inputTokens: number,
  outputTokens: number,
  cachedInputTokens = 0,
  cacheWriteTokens = 0,
  reasoningTokens = 0,
): CanonicalUsage {
  return { inputTokens, outputTokens, cachedInputTokens, cacheWriteTokens, reasoningTokens };
}

function errorsOf(r: UsageResult) {
  return r.ok ? [] : r.errors;
}

/* Whole response bodies as the providers document them. */

const openAiChatCompletion = {
  id: 'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
  object: 'chat.completion',
  created: 1741570283,
  model: 'o3-2025-04-16',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'The answer is 42.', refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage: {
    prompt_tokens: 2006,
    completion_tokens: 300,
    total_tokens: 2306,
    prompt_tokens_details: { cached_tokens: 1920, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 192,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  },
  service_tier: 'default',
  system_fingerprint: 'fp_fc9f1d7035',
};

const openAiResponse = {
  id: 'resp_67ccd3a9da748190baa7f1570fe91ac604becb25c45c1d41',
  object: 'response',
  created_at: 1741476777,
  status: 'completed',
  error: null,
  incomplete_details: null,
  instructions: null,
  max_output_tokens: null,
  model: 'gpt-5-2025-08-07',
  output: [
    { type: 'reasoning', id: 'rs_67ccd3aa7e4c8190', summary: [] },
    {
      type: 'message',
      id: 'msg_67ccd3acc8d48190a77525dc6de64b4104becb25c45c1d41',
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: 'In a peaceful grove...', annotations: [] }],
    },
  ],
  parallel_tool_calls: true,
  previous_response_id: null,
  reasoning: { effort: 'medium', summary: null },
  service_tier: 'default',
  store: true,
  temperature: 1.0,
  text: { format: { type: 'text' } },
  tool_choice: 'auto',
  tools: [],
  top_p: 1.0,
  truncation: 'disabled',
  usage: {
    input_tokens: 5328,
    input_tokens_details: { cached_tokens: 4096 },
    output_tokens: 1052,
    output_tokens_details: { reasoning_tokens: 896 },
    total_tokens: 6380,
  },
  user: null,
  metadata: {},
};

const anthropicCacheWrite = {
  id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5-20250929',
  content: [
    { type: 'thinking', thinking: 'The user wants a summary...', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' },
    { type: 'text', text: 'Here is the summary of the book.' },
  ],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: {
    input_tokens: 21,
    cache_creation_input_tokens: 188086,
    cache_read_input_tokens: 0,
    cache_creation: { ephemeral_5m_input_tokens: 188086, ephemeral_1h_input_tokens: 0 },
    output_tokens: 393,
    service_tier: 'standard',
  },
};

const anthropicCacheRead = {
  ...anthropicCacheWrite,
  id: 'msg_01Ab2Cd3Ef4Gh5Ij6Kl7Mn8O',
  usage: {
    input_tokens: 21,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 188086,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    output_tokens: 393,
    service_tier: 'standard',
  },
};

const geminiResponse = {
  candidates: [
    {
      content: { parts: [{ text: 'The contract allows termination with 30 days notice.' }], role: 'model' },
      finishReason: 'STOP',
      index: 0,
    },
  ],
  usageMetadata: {
    promptTokenCount: 12034,
    candidatesTokenCount: 512,
    totalTokenCount: 13842,
    cachedContentTokenCount: 10240,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: 12034 }],
    cacheTokensDetails: [{ modality: 'TEXT', tokenCount: 10240 }],
    thoughtsTokenCount: 1296,
  },
  modelVersion: 'gemini-2.5-pro',
  responseId: 'mAitaLmkHPPlz7IPvtfUqQ4',
};

const geminiGroundedUsage = {
  promptTokenCount: 50,
  candidatesTokenCount: 120,
  toolUsePromptTokenCount: 230,
  thoughtsTokenCount: 0,
  totalTokenCount: 400,
  promptTokensDetails: [{ modality: 'TEXT', tokenCount: 50 }],
  toolUsePromptTokensDetails: [{ modality: 'TEXT', tokenCount: 230 }],
};

const bedrockConverseResponse = {
  output: { message: { role: 'assistant', content: [{ text: 'Hello from Bedrock.' }] } },
  stopReason: 'end_turn',
  usage: { inputTokens: 12, outputTokens: 87, totalTokens: 4155, cacheReadInputTokens: 4056, cacheWriteInputTokens: 0 },
  metrics: { latencyMs: 1432 },
};

describe('normalizeUsage: provider formats', () => {
  it.each<[string, unknown, string, CanonicalUsage]>([
    [
      'OpenAI chat completion body: prompt 2,006 incl. 1,920 cached; completion 300 incl. 192 reasoning',
      openAiChatCompletion,
      'openai-chat',
      usage(2006, 300, 1920, 0, 192),
    ],
    ['OpenAI chat usage object alone: same numbers', openAiChatCompletion.usage, 'openai-chat', usage(2006, 300, 1920, 0, 192)],
    [
      'OpenAI chat without details (older models): prompt 1,117 + completion 46',
      { prompt_tokens: 1117, completion_tokens: 46, total_tokens: 1163 },
      'openai-chat',
      usage(1117, 46),
    ],
    [
      'OpenRouter chat: prompt_tokens_details.cache_write_tokens 3,000 is a subset of prompt 10,000',
      {
        prompt_tokens: 10000,
        completion_tokens: 20,
        total_tokens: 10020,
        prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 3000 },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
      'openai-chat',
      usage(10000, 20, 0, 3000, 0),
    ],
    [
      'OpenAI chat with null details: details not reported = 0',
      { prompt_tokens: 10, completion_tokens: 5, prompt_tokens_details: null, completion_tokens_details: null },
      'openai-chat',
      usage(10, 5),
    ],
    [
      'OpenAI Responses body (top-level service_tier is not a usage key): input 5,328 incl. 4,096 cached; output 1,052 incl. 896 reasoning',
      openAiResponse,
      'openai-responses',
      usage(5328, 1052, 4096, 0, 896),
    ],
    [
      'Anthropic message, cache write: 21 + 0 read + 188,086 written = 188,107 input',
      anthropicCacheWrite,
      'anthropic',
      usage(188107, 393, 0, 188086, 0),
    ],
    [
      'Anthropic message, cache read: 21 + 188,086 read + 0 written = 188,107 input',
      anthropicCacheRead,
      'anthropic',
      usage(188107, 393, 188086, 0, 0),
    ],
    [
      'Anthropic with null cache fields: input 25 + output 10',
      { input_tokens: 25, output_tokens: 10, cache_creation_input_tokens: null, cache_read_input_tokens: null },
      'anthropic',
      usage(25, 10),
    ],
    [
      'Anthropic with only the cache_creation breakdown: 5m 1,000 + 1h 500 = 1,500 written (500 of them 1h); input 100 + 1,500 = 1,600',
      { input_tokens: 100, output_tokens: 50, cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 500 } },
      'anthropic',
      { ...usage(1600, 50, 0, 1500, 0), cacheWrite1hTokens: 500 },
    ],
    [
      'Anthropic with server_tool_use marker: input 300 + output 40',
      { input_tokens: 300, output_tokens: 40, server_tool_use: { web_search_requests: 1 } },
      'anthropic',
      usage(300, 40),
    ],
    [
      'Gemini body: prompt 12,034 incl. 10,240 cached; output 512 candidates + 1,296 thoughts = 1,808',
      geminiResponse,
      'gemini',
      usage(12034, 1808, 10240, 0, 1296),
    ],
    ['Gemini usageMetadata alone: same numbers', geminiResponse.usageMetadata, 'gemini', usage(12034, 1808, 10240, 0, 1296)],
    [
      'Gemini grounded: input 50 prompt + 230 tool-use prompt = 280; output 120',
      geminiGroundedUsage,
      'gemini',
      usage(280, 120),
    ],
    [
      'Gemini prompt only (blocked prompt, no candidates): input 8, output 0',
      { promptTokenCount: 8, totalTokenCount: 8 },
      'gemini',
      usage(8, 0),
    ],
    [
      'Bedrock Converse body: input 12 + 4,056 cache read = 4,068; output 87',
      bedrockConverseResponse,
      'bedrock-converse',
      usage(4068, 87, 4056, 0, 0),
    ],
    [
      'canonical: all five counts as sent',
      { inputTokens: 1000, outputTokens: 500, cachedInputTokens: 200, cacheWriteTokens: 100, reasoningTokens: 50 },
      'canonical',
      usage(1000, 500, 200, 100, 50),
    ],
    ['canonical: output only, missing counts = 0', { outputTokens: 7 }, 'canonical', usage(0, 7)],
    ['canonical: totalTokens is ignored', { inputTokens: 3, outputTokens: 4, totalTokens: 7 }, 'canonical', usage(3, 4)],
    ['canonical: exactly 10,000,000,000 input is accepted', { inputTokens: 10_000_000_000 }, 'canonical', usage(10_000_000_000, 0)],
    ['zero usage is valid: 0 in + 0 out', { prompt_tokens: 0, completion_tokens: 0 }, 'openai-chat', usage(0, 0)],
  ])('%s', (_name, raw, format, expected) => {
    const r = normalizeUsage(raw);
    expect(r).toMatchObject({ ok: true, format });
    expect(r.ok && r.usage).toEqual(expected);
  });
});

describe('normalizeUsage: mixed or ambiguous keys resolve by documented precedence', () => {
  it.each<[string, unknown, string, CanonicalUsage]>([
    [
      'bare input_tokens/output_tokens → openai-responses (same numbers as Anthropic without cache keys): 40 + 9',
      { input_tokens: 40, output_tokens: 9 },
      'openai-responses',
      usage(40, 9),
    ],
    [
      'Anthropic cache key beats Responses total_tokens: input 40 + 60 read = 100',
      { input_tokens: 40, output_tokens: 9, total_tokens: 49, cache_read_input_tokens: 60 },
      'anthropic',
      usage(100, 9, 60, 0, 0),
    ],
    [
      'Anthropic service_tier marker beats input_tokens_details (details ignored): input 40',
      { input_tokens: 40, output_tokens: 9, service_tier: 'standard', input_tokens_details: { cached_tokens: 30 } },
      'anthropic',
      usage(40, 9),
    ],
    [
      'OpenAI chat keys beat Anthropic keys (LiteLLM-style): prompt 1,000 incl. 800 cached; top-level cache_read ignored',
      {
        prompt_tokens: 1000,
        completion_tokens: 10,
        prompt_tokens_details: { cached_tokens: 800 },
        cache_read_input_tokens: 800,
        cache_creation_input_tokens: 0,
      },
      'openai-chat',
      usage(1000, 10, 800, 0, 0),
    ],
    [
      'Gemini keys beat OpenAI keys: promptTokenCount 10 wins over prompt_tokens 99',
      { promptTokenCount: 10, candidatesTokenCount: 2, prompt_tokens: 99 },
      'gemini',
      usage(10, 2),
    ],
    [
      'canonical-only key beats Bedrock key: cachedInputTokens 5 of 10, cacheReadInputTokens ignored',
      { inputTokens: 10, outputTokens: 1, cachedInputTokens: 5, cacheReadInputTokens: 5 },
      'canonical',
      usage(10, 1, 5, 0, 0),
    ],
    [
      'usage key on a body that has no top-level counts is unwrapped once',
      { id: 'x', usage: { inputTokens: 1, outputTokens: 2 } },
      'canonical',
      usage(1, 2),
    ],
  ])('%s', (_name, raw, format, expected) => {
    const r = normalizeUsage(raw);
    expect(r).toMatchObject({ ok: true, format });
    expect(r.ok && r.usage).toEqual(expected);
  });
});

describe('normalizeUsage: errors name their field', () => {
  it.each<[string, unknown, { field: string; message: RegExp }[]]>([
    ['null is not an object', null, [{ field: 'usage', message: /must be an object, got null/ }]],
    ['a number is not an object', 42, [{ field: 'usage', message: /must be an object, got 42/ }]],
    ['an array is not an object', [1, 2], [{ field: 'usage', message: /must be an object, got array/ }]],
    ['a JSON string is not an object', '{"prompt_tokens":1}', [{ field: 'usage', message: /must be an object/ }]],
    ['empty object: unknown format', {}, [{ field: 'usage', message: /unrecognised usage format/ }]],
    ['only total_tokens: unknown format', { total_tokens: 12 }, [{ field: 'usage', message: /unrecognised usage format/ }]],
    ['unrelated keys: unknown format', { tokens: 12, cost: 0.1 }, [{ field: 'usage', message: /unrecognised usage format/ }]],
    ['usage wrapper that is null', { id: 'x', usage: null }, [{ field: 'usage.usage', message: /must be an object, got null/ }]],
    ['negative count -1', { prompt_tokens: -1, completion_tokens: 2 }, [{ field: 'usage.prompt_tokens', message: /non-negative integer.*-1/ }]],
    ['fractional count 1.5', { inputTokens: 1.5 }, [{ field: 'usage.inputTokens', message: /non-negative integer.*1\.5/ }]],
    ['numeric string "12"', { input_tokens: '12', output_tokens: 1 }, [{ field: 'usage.input_tokens', message: /got string "12"/ }]],
    ['NaN', { promptTokenCount: Number.NaN }, [{ field: 'usage.promptTokenCount', message: /got NaN/ }]],
    ['Infinity', { outputTokens: Number.POSITIVE_INFINITY }, [{ field: 'usage.outputTokens', message: /got Infinity/ }]],
    ['boolean true', { completion_tokens: true }, [{ field: 'usage.completion_tokens', message: /got boolean/ }]],
    ['object as a count', { inputTokens: { n: 1 } }, [{ field: 'usage.inputTokens', message: /got object/ }]],
    [
      '10,000,000,001 tokens is above the cap',
      { inputTokens: 10_000_000_001 },
      [{ field: 'usage.inputTokens', message: /exceeds the maximum of 10,000,000,000/ }],
    ],
    [
      '1e300 tokens is above the cap',
      { prompt_tokens: 1e300, completion_tokens: 0 },
      [{ field: 'usage.prompt_tokens', message: /exceeds the maximum/ }],
    ],
    [
      'Anthropic 6,000,000,000 input + 6,000,000,000 read = 12e9 total is above the cap',
      { input_tokens: 6_000_000_000, output_tokens: 1, cache_read_input_tokens: 6_000_000_000 },
      [{ field: 'usage.input_tokens', message: /total input of 12000000000 tokens exceeds/ }],
    ],
    [
      'canonical: cached 800 + cacheWrite 300 > input 1,000',
      { inputTokens: 1000, outputTokens: 1, cachedInputTokens: 800, cacheWriteTokens: 300 },
      [{ field: 'usage.cacheWriteTokens', message: /cached \(800\) \+ cache-write \(300\).*1000 input/ }],
    ],
    [
      'OpenAI chat: cached_tokens 1,200 > prompt_tokens 1,000',
      { prompt_tokens: 1000, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 1200 } },
      [{ field: 'usage.prompt_tokens_details.cached_tokens', message: /cached \(1200\).*1000 input/ }],
    ],
    [
      'Gemini: cachedContentTokenCount 500 > promptTokenCount 100',
      { promptTokenCount: 100, candidatesTokenCount: 1, cachedContentTokenCount: 500 },
      [{ field: 'usage.cachedContentTokenCount', message: /cached \(500\)/ }],
    ],
    [
      'OpenAI chat: reasoning_tokens 400 > completion_tokens 300',
      { prompt_tokens: 10, completion_tokens: 300, completion_tokens_details: { reasoning_tokens: 400 } },
      [{ field: 'usage.completion_tokens_details.reasoning_tokens', message: /400 reasoning tokens exceed the 300 output/ }],
    ],
    [
      'Responses: reasoning_tokens 9 > output_tokens 8',
      { input_tokens: 1, output_tokens: 8, output_tokens_details: { reasoning_tokens: 9 } },
      [{ field: 'usage.output_tokens_details.reasoning_tokens', message: /9 reasoning tokens exceed/ }],
    ],
    [
      'canonical without input or output count',
      { cachedInputTokens: 5 },
      [{ field: 'usage', message: /no input or output token count/ }],
    ],
    [
      'details that are not an object',
      { prompt_tokens: 5, completion_tokens: 1, prompt_tokens_details: 5 },
      [{ field: 'usage.prompt_tokens_details', message: /must be an object, got 5/ }],
    ],
    [
      'several bad counts are all reported',
      { prompt_tokens: -3, completion_tokens: 'many' },
      [
        { field: 'usage.prompt_tokens', message: /-3/ },
        { field: 'usage.completion_tokens', message: /string "many"/ },
      ],
    ],
    [
      'wrapped body errors carry the wrapper in the path',
      { usageMetadata: { promptTokenCount: -5 } },
      [{ field: 'usage.usageMetadata.promptTokenCount', message: /-5/ }],
    ],
  ])('%s', (_name, raw, expected) => {
    const errors = errorsOf(normalizeUsage(raw));
    expect(errors).toHaveLength(expected.length);
    expected.forEach((e, i) => {
      expect(errors[i].field).toBe(e.field);
      expect(errors[i].message).toMatch(e.message);
    });
  });

  it('a custom base path prefixes every field: events[3].usage.prompt_tokens', () => {
    expect(errorsOf(normalizeUsage({ prompt_tokens: -1 }, 'events[3].usage'))[0].field).toBe('events[3].usage.prompt_tokens');
  });
});

describe('usageFromOtelAttributes', () => {
  it.each<[string, Record<string, string | number | boolean | undefined>, CanonicalUsage]>([
    [
      'semconv input 1,000 (incl. 600 cache read, 100 cache creation) + output 400 (incl. 150 reasoning)',
      {
        'gen_ai.system': 'anthropic',
        'gen_ai.request.model': 'claude-sonnet-4-5',
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.output_tokens': 400,
        'gen_ai.usage.cache_read.input_tokens': 600,
        'gen_ai.usage.cache_creation.input_tokens': 100,
        'gen_ai.usage.reasoning_tokens': 150,
      },
      usage(1000, 400, 600, 100, 150),
    ],
    [
      'OTLP intValue strings "2048" + "128", cached "1024"',
      { 'gen_ai.usage.input_tokens': '2048', 'gen_ai.usage.output_tokens': '128', 'gen_ai.usage.cached_tokens': '1024' },
      usage(2048, 128, 1024, 0, 0),
    ],
    [
      'legacy prompt_tokens 30 + completion_tokens 12',
      { 'gen_ai.usage.prompt_tokens': 30, 'gen_ai.usage.completion_tokens': 12 },
      usage(30, 12),
    ],
    [
      'vendor names input_tokens.cached 20 of 50, output_tokens.reasoning 5 of 9',
      {
        'gen_ai.usage.input_tokens': 50,
        'gen_ai.usage.output_tokens': 9,
        'gen_ai.usage.input_tokens.cached': 20,
        'gen_ai.usage.output_tokens.reasoning': 5,
      },
      usage(50, 9, 20, 0, 5),
    ],
    [
      'new name wins over legacy: input_tokens 70 over prompt_tokens 99',
      { 'gen_ai.usage.input_tokens': 70, 'gen_ai.usage.prompt_tokens': 99, 'gen_ai.usage.output_tokens': 1 },
      usage(70, 1),
    ],
    [
      'undefined attributes are absent: output only 5',
      { 'gen_ai.usage.input_tokens': undefined, 'gen_ai.usage.output_tokens': 5 },
      usage(0, 5),
    ],
  ])('%s', (_name, attrs, expected) => {
    expect(usageFromOtelAttributes(attrs)).toEqual({ ok: true, usage: expected, format: 'otel' });
  });

  it.each<[string, Record<string, string | number | boolean | undefined>, string, RegExp]>([
    ['boolean count', { 'gen_ai.usage.input_tokens': true }, 'attributes["gen_ai.usage.input_tokens"]', /got boolean/],
    ['non-numeric string "12a"', { 'gen_ai.usage.output_tokens': '12a' }, 'attributes["gen_ai.usage.output_tokens"]', /string "12a"/],
    ['negative string "-5"', { 'gen_ai.usage.input_tokens': '-5' }, 'attributes["gen_ai.usage.input_tokens"]', /string "-5"/],
    ['fractional 2.5', { 'gen_ai.usage.input_tokens': 2.5 }, 'attributes["gen_ai.usage.input_tokens"]', /2\.5/],
    [
      'string above the cap "10000000001"',
      { 'gen_ai.usage.input_tokens': '10000000001' },
      'attributes["gen_ai.usage.input_tokens"]',
      /exceeds the maximum/,
    ],
    ['no usage attributes', { 'gen_ai.system': 'openai' }, 'attributes', /no input or output token count/],
    [
      'cache read 90 > input 50',
      { 'gen_ai.usage.input_tokens': 50, 'gen_ai.usage.cache_read.input_tokens': 90 },
      'attributes["gen_ai.usage.cache_read.input_tokens"]',
      /cached \(90\)/,
    ],
    [
      'reasoning 9 > output 3',
      { 'gen_ai.usage.output_tokens': 3, 'gen_ai.usage.reasoning_tokens': 9 },
      'attributes["gen_ai.usage.reasoning_tokens"]',
      /9 reasoning tokens exceed/,
    ],
  ])('rejects %s', (_name, attrs, field, message) => {
    const errors = errorsOf(usageFromOtelAttributes(attrs));
    expect(errors).toHaveLength(1);
    expect(errors[0].field).toBe(field);
    expect(errors[0].message).toMatch(message);
  });
});
