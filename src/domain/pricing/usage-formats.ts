import type { CanonicalUsage, UsageFormat } from './usage.js';

/*
 * One mapper per provider usage format (see the block comment in usage.ts for
 * what each format means): raw counts in, canonical counts (tokens) out, with
 * the raw field each came from for error messages. Mappers read through a
 * FieldReader, so validation and error collection stay in usage.ts.
 */

export type Obj = Record<string, unknown>;

/** Canonical components with the raw field each came from, for error messages. */
export interface Mapped {
  input?: number;
  output?: number;
  usage: CanonicalUsage;
  paths: { input: string; output: string; cached: string; cacheWrite: string; reasoning: string };
}

/** How a mapper reads raw fields: `p` names a field's path, `c` validates a count (tokens), `d` a nested details object. */
export interface FieldReader {
  p(key: string): string;
  c(obj: Obj | undefined, key: string, field: string): number | undefined;
  d(obj: Obj, key: string, field: string): Obj | undefined;
}

export type FormatMapper = (o: Obj, r: FieldReader) => Mapped;

function sum(...xs: (number | undefined)[]): number {
  return xs.reduce<number>((a, x) => a + (x ?? 0), 0);
}

/** Canonical keys: already in canonical semantics (tokens). */
function mapCanonical(o: Obj, { p, c }: FieldReader): Mapped {
  const input = c(o, 'inputTokens', p('inputTokens'));
  const output = c(o, 'outputTokens', p('outputTokens'));
  return {
    input,
    output,
    usage: {
      inputTokens: input ?? 0,
      outputTokens: output ?? 0,
      cachedInputTokens: c(o, 'cachedInputTokens', p('cachedInputTokens')) ?? 0,
      cacheWriteTokens: c(o, 'cacheWriteTokens', p('cacheWriteTokens')) ?? 0,
      reasoningTokens: c(o, 'reasoningTokens', p('reasoningTokens')) ?? 0,
    },
    paths: {
      input: p('inputTokens'),
      output: p('outputTokens'),
      cached: p('cachedInputTokens'),
      cacheWrite: p('cacheWriteTokens'),
      reasoning: p('reasoningTokens'),
    },
  };
}

/** Bedrock Converse: inputTokens excludes cache reads and writes (tokens), so they are added back. */
function mapBedrockConverse(o: Obj, { p, c }: FieldReader): Mapped {
  const input = c(o, 'inputTokens', p('inputTokens'));
  const output = c(o, 'outputTokens', p('outputTokens'));
  const read = c(o, 'cacheReadInputTokens', p('cacheReadInputTokens'));
  const write = c(o, 'cacheWriteInputTokens', p('cacheWriteInputTokens'));
  return {
    input,
    output,
    usage: {
      inputTokens: sum(input, read, write),
      outputTokens: output ?? 0,
      cachedInputTokens: read ?? 0,
      cacheWriteTokens: write ?? 0,
      reasoningTokens: 0,
    },
    paths: {
      input: p('inputTokens'),
      output: p('outputTokens'),
      cached: p('cacheReadInputTokens'),
      cacheWrite: p('cacheWriteInputTokens'),
      reasoning: p('outputTokens'),
    },
  };
}

/** OpenAI Chat Completions (`chat`) or Responses: the same shape under different key names (tokens). */
function mapOpenAi(o: Obj, { p, c, d }: FieldReader, chat: boolean): Mapped {
  const inKey = chat ? 'prompt_tokens' : 'input_tokens';
  const outKey = chat ? 'completion_tokens' : 'output_tokens';
  const inDetailsKey = `${inKey}_details`;
  const outDetailsKey = `${outKey}_details`;
  const input = c(o, inKey, p(inKey));
  const output = c(o, outKey, p(outKey));
  const inDetails = d(o, inDetailsKey, p(inDetailsKey));
  const outDetails = d(o, outDetailsKey, p(outDetailsKey));
  const cachedPath = p(`${inDetailsKey}.cached_tokens`);
  // cache_write_tokens is not sent by OpenAI itself; OpenRouter and Azure add it, inside the prompt count.
  const writePath = p(`${inDetailsKey}.cache_write_tokens`);
  const reasoningPath = p(`${outDetailsKey}.reasoning_tokens`);
  return {
    input,
    output,
    usage: {
      inputTokens: input ?? 0,
      outputTokens: output ?? 0,
      cachedInputTokens: c(inDetails, 'cached_tokens', cachedPath) ?? 0,
      cacheWriteTokens: c(inDetails, 'cache_write_tokens', writePath) ?? 0,
      reasoningTokens: c(outDetails, 'reasoning_tokens', reasoningPath) ?? 0,
    },
    paths: { input: p(inKey), output: p(outKey), cached: cachedPath, cacheWrite: writePath, reasoning: reasoningPath },
  };
}

/** OpenAI Chat Completions: prompt_tokens / completion_tokens with *_details (tokens). */
function mapOpenAiChat(o: Obj, r: FieldReader): Mapped {
  return mapOpenAi(o, r, true);
}

/** OpenAI Responses: input_tokens / output_tokens with *_details (tokens). */
function mapOpenAiResponses(o: Obj, r: FieldReader): Mapped {
  return mapOpenAi(o, r, false);
}

/** Anthropic: input_tokens excludes cache reads and writes (tokens), so they are added back. */
function mapAnthropic(o: Obj, { p, c, d }: FieldReader): Mapped {
  const input = c(o, 'input_tokens', p('input_tokens'));
  const output = c(o, 'output_tokens', p('output_tokens'));
  const read = c(o, 'cache_read_input_tokens', p('cache_read_input_tokens'));
  let write = c(o, 'cache_creation_input_tokens', p('cache_creation_input_tokens'));
  let writePath = p('cache_creation_input_tokens');
  if (o.cache_creation_input_tokens === undefined || o.cache_creation_input_tokens === null) {
    // Only the per-TTL breakdown was sent: its parts add up to the total cache write.
    const cc = d(o, 'cache_creation', p('cache_creation'));
    if (cc) {
      const w5m = c(cc, 'ephemeral_5m_input_tokens', p('cache_creation.ephemeral_5m_input_tokens'));
      const w1h = c(cc, 'ephemeral_1h_input_tokens', p('cache_creation.ephemeral_1h_input_tokens'));
      if (w5m !== undefined || w1h !== undefined) write = sum(w5m, w1h);
      writePath = p('cache_creation');
    }
  }
  return {
    input,
    output,
    usage: {
      inputTokens: sum(input, read, write),
      outputTokens: output ?? 0,
      cachedInputTokens: read ?? 0,
      cacheWriteTokens: write ?? 0,
      reasoningTokens: 0,
    },
    paths: {
      input: p('input_tokens'),
      output: p('output_tokens'),
      cached: p('cache_read_input_tokens'),
      cacheWrite: writePath,
      reasoning: p('output_tokens'),
    },
  };
}

/** Gemini: prompt + tool-use prompt is the input, candidates + thoughts the output (tokens). */
function mapGemini(o: Obj, { p, c }: FieldReader): Mapped {
  const prompt = c(o, 'promptTokenCount', p('promptTokenCount'));
  const candidates = c(o, 'candidatesTokenCount', p('candidatesTokenCount'));
  const cached = c(o, 'cachedContentTokenCount', p('cachedContentTokenCount'));
  const thoughts = c(o, 'thoughtsTokenCount', p('thoughtsTokenCount'));
  const toolUse = c(o, 'toolUsePromptTokenCount', p('toolUsePromptTokenCount'));
  return {
    input: prompt ?? toolUse,
    output: candidates ?? thoughts,
    usage: {
      inputTokens: sum(prompt, toolUse),
      outputTokens: sum(candidates, thoughts),
      cachedInputTokens: cached ?? 0,
      cacheWriteTokens: 0,
      reasoningTokens: thoughts ?? 0,
    },
    paths: {
      input: p('promptTokenCount'),
      output: p('candidatesTokenCount'),
      cached: p('cachedContentTokenCount'),
      cacheWrite: p('promptTokenCount'),
      reasoning: p('thoughtsTokenCount'),
    },
  };
}

/** The mapper for each detected provider format. */
export const FORMAT_MAPPERS: Readonly<Record<Exclude<UsageFormat, 'otel'>, FormatMapper>> = {
  canonical: mapCanonical,
  'bedrock-converse': mapBedrockConverse,
  'openai-chat': mapOpenAiChat,
  'openai-responses': mapOpenAiResponses,
  anthropic: mapAnthropic,
  gemini: mapGemini,
};
