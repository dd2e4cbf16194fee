import type { CanonicalUsage, UsageFormat } from './usage.js';

/*
 * One mapper per provider usage format (see the block comment in usage.ts for
 * what each format means): raw counts in, canonical counts (tokens) out, with
 * the raw field each came from for error messages. Mappers read through a
 * FieldReader, so validation and error collection stay in usage.ts.
 */

export type Obj = Record<string, unknown>;

/** The token classes priced apart (optional subsets in CanonicalUsage). */
export type ClassKey = 'cacheWrite1hTokens' | 'audioInputTokens' | 'imageInputTokens' | 'videoInputTokens' | 'cachedAudioInputTokens' | 'audioOutputTokens';
export const CLASS_KEYS: readonly ClassKey[] = ['cacheWrite1hTokens', 'audioInputTokens', 'imageInputTokens', 'videoInputTokens', 'cachedAudioInputTokens', 'audioOutputTokens'];

/** Canonical components with the raw field each came from, for error messages. */
export interface Mapped {
  input?: number;
  output?: number;
  usage: CanonicalUsage;
  paths: { input: string; output: string; cached: string; cacheWrite: string; reasoning: string; classes?: Partial<Record<ClassKey, string>> };
  /** A cost (USD) a gateway reported inside the usage object (OpenRouter `usage.cost`), not yet validated. */
  gatewayCost?: { value: unknown; field: string };
}

/**
 * How a mapper reads raw fields: `p` names a field's path, `c` validates a count (tokens), `d` a nested
 * details object, `a` a list, and `e` records a problem with a field.
 */
export interface FieldReader {
  p(key: string): string;
  c(obj: Obj | undefined, key: string, field: string): number | undefined;
  d(obj: Obj, key: string, field: string): Obj | undefined;
  a(obj: Obj, key: string, field: string): unknown[] | undefined;
  e(field: string, message: string): void;
}

export type FormatMapper = (o: Obj, r: FieldReader) => Mapped;

function sum(...xs: (number | undefined)[]): number {
  return xs.reduce<number>((a, x) => a + (x ?? 0), 0);
}

/** Only the class counts reported and above 0 (absent means 0: events without them store NULL). */
function present(counts: Partial<Record<ClassKey, number | undefined>>): Partial<Record<ClassKey, number>> {
  const out: Partial<Record<ClassKey, number>> = {};
  for (const k of CLASS_KEYS) if (counts[k]) out[k] = counts[k];
  return out;
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
      ...present(Object.fromEntries(CLASS_KEYS.map((k) => [k, c(o, k, p(k))]))),
    },
    paths: {
      input: p('inputTokens'),
      output: p('outputTokens'),
      cached: p('cachedInputTokens'),
      cacheWrite: p('cacheWriteTokens'),
      reasoning: p('reasoningTokens'),
      classes: Object.fromEntries(CLASS_KEYS.map((k) => [k, p(k)])),
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

/**
 * OpenAI Chat Completions (`chat`) or Responses: the same shape under different key names (tokens).
 * Audio: `*_details.audio_tokens` on both sides; the Realtime API's `input_token_details` (singular) also
 * carries image_tokens and `cached_tokens_details` by modality, so cached audio and images are taken out
 * of the fresh counts. Without that breakdown a modality count larger than the fresh input is capped at it
 * (the overlap was cached, and is billed as cached).
 * OpenRouter adds `cost` (USD charged, the provider's cost through the gateway; BYOK requests carry the
 * provider's bill in cost_details.upstream_inference_cost).
 */
function mapOpenAi(o: Obj, { p, c, d }: FieldReader, chat: boolean): Mapped {
  const inKey = chat ? 'prompt_tokens' : 'input_tokens';
  const outKey = chat ? 'completion_tokens' : 'output_tokens';
  const inDetailsKey = !chat && o.input_tokens_details === undefined && o.input_token_details !== undefined ? 'input_token_details' : `${inKey}_details`;
  const outDetailsKey = !chat && o.output_tokens_details === undefined && o.output_token_details !== undefined ? 'output_token_details' : `${outKey}_details`;
  const input = c(o, inKey, p(inKey));
  const output = c(o, outKey, p(outKey));
  const inDetails = d(o, inDetailsKey, p(inDetailsKey));
  const outDetails = d(o, outDetailsKey, p(outDetailsKey));
  const cachedPath = p(`${inDetailsKey}.cached_tokens`);
  // cache_write_tokens is not sent by OpenAI itself; OpenRouter and Azure add it, inside the prompt count.
  const writePath = p(`${inDetailsKey}.cache_write_tokens`);
  const reasoningPath = p(`${outDetailsKey}.reasoning_tokens`);
  const audioPath = p(`${inDetailsKey}.audio_tokens`);
  const imagePath = p(`${inDetailsKey}.image_tokens`);
  const cachedByModality = inDetails ? d(inDetails, 'cached_tokens_details', p(`${inDetailsKey}.cached_tokens_details`)) : undefined;
  const cachedAudioPath = p(`${inDetailsKey}.cached_tokens_details.audio_tokens`);
  const audioOutPath = p(`${outDetailsKey}.audio_tokens`);
  const cached = c(inDetails, 'cached_tokens', cachedPath) ?? 0;
  const write = c(inDetails, 'cache_write_tokens', writePath) ?? 0;
  const reasoning = c(outDetails, 'reasoning_tokens', reasoningPath) ?? 0;
  const audio = c(inDetails, 'audio_tokens', audioPath);
  const image = c(inDetails, 'image_tokens', imagePath);
  const cachedAudio = c(cachedByModality, 'audio_tokens', cachedAudioPath);
  const cachedImage = c(cachedByModality, 'image_tokens', p(`${inDetailsKey}.cached_tokens_details.image_tokens`));
  const fresh = Math.max(0, (input ?? 0) - cached - write);
  const freshOf = (n: number | undefined, cachedPart: number | undefined, room: number): number | undefined =>
    n === undefined ? undefined : Math.min(Math.max(0, n - (cachedPart ?? 0)), room);
  const audioIn = freshOf(audio, cachedAudio, fresh);
  const imageIn = freshOf(image, cachedImage, fresh - (audioIn ?? 0));
  const audioOut = c(outDetails, 'audio_tokens', audioOutPath);
  const byok = o.is_byok === true;
  const costDetails = byok && o.cost_details !== null && typeof o.cost_details === 'object' && !Array.isArray(o.cost_details) ? (o.cost_details as Obj) : undefined;
  const gatewayCost =
    byok && costDetails?.upstream_inference_cost !== undefined && costDetails.upstream_inference_cost !== null
      ? { value: costDetails.upstream_inference_cost, field: p('cost_details.upstream_inference_cost') }
      : !byok && o.cost !== undefined && o.cost !== null
        ? { value: o.cost, field: p('cost') }
        : undefined;
  return {
    input,
    output,
    usage: {
      inputTokens: input ?? 0,
      outputTokens: output ?? 0,
      cachedInputTokens: cached,
      cacheWriteTokens: write,
      reasoningTokens: reasoning,
      ...present({ audioInputTokens: audioIn, imageInputTokens: imageIn, cachedAudioInputTokens: cachedAudio, audioOutputTokens: audioOut }),
    },
    paths: {
      input: p(inKey),
      output: p(outKey),
      cached: cachedPath,
      cacheWrite: writePath,
      reasoning: reasoningPath,
      classes: { audioInputTokens: audioPath, imageInputTokens: imagePath, cachedAudioInputTokens: cachedAudioPath, audioOutputTokens: audioOutPath },
    },
    ...(gatewayCost ? { gatewayCost } : {}),
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

/**
 * Anthropic: input_tokens excludes cache reads and writes (tokens), so they are added back. Cache writes
 * by TTL (`cache_creation.ephemeral_5m_input_tokens` / `ephemeral_1h_input_tokens`) add up to
 * cache_creation_input_tokens; the 1-hour part is its own class.
 */
function mapAnthropic(o: Obj, { p, c, d, e }: FieldReader): Mapped {
  const input = c(o, 'input_tokens', p('input_tokens'));
  const output = c(o, 'output_tokens', p('output_tokens'));
  const read = c(o, 'cache_read_input_tokens', p('cache_read_input_tokens'));
  const total = c(o, 'cache_creation_input_tokens', p('cache_creation_input_tokens'));
  let write = total;
  let writePath = p('cache_creation_input_tokens');
  const cc = d(o, 'cache_creation', p('cache_creation'));
  const w5m = cc ? c(cc, 'ephemeral_5m_input_tokens', p('cache_creation.ephemeral_5m_input_tokens')) : undefined;
  const w1h = cc ? c(cc, 'ephemeral_1h_input_tokens', p('cache_creation.ephemeral_1h_input_tokens')) : undefined;
  if (w5m !== undefined || w1h !== undefined) {
    const parts = sum(w5m, w1h);
    if (total === undefined) {
      // Only the per-TTL breakdown was sent: its parts add up to the total cache write.
      write = parts;
      writePath = p('cache_creation');
    } else if (w5m !== undefined && w1h !== undefined ? parts !== total : parts > total) {
      e(
        p('cache_creation'),
        `ephemeral_5m_input_tokens (${w5m ?? 'absent'}) + ephemeral_1h_input_tokens (${w1h ?? 'absent'}) must add up to ` +
          `cache_creation_input_tokens (${total})`,
      );
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
      ...present({ cacheWrite1hTokens: w1h }),
    },
    paths: {
      input: p('input_tokens'),
      output: p('output_tokens'),
      cached: p('cache_read_input_tokens'),
      cacheWrite: writePath,
      reasoning: p('output_tokens'),
      classes: { cacheWrite1hTokens: p('cache_creation.ephemeral_1h_input_tokens') },
    },
  };
}

/** Modalities of Gemini's ModalityTokenCount lists that are priced apart (the rest, TEXT and DOCUMENT, are text). */
const GEMINI_MODALITIES = ['AUDIO', 'IMAGE', 'VIDEO'] as const;
type GeminiModality = (typeof GEMINI_MODALITIES)[number];
/** A Gemini modality list names a handful of modalities; more entries than this is not a usage object. */
const MAX_MODALITY_ENTRIES = 32;

/** Tokens per priced-apart modality in a Gemini `*TokensDetails` list ([{ modality, tokenCount }]); undefined when absent. */
function modalityCounts(o: Obj, key: string, { p, c, a, e }: FieldReader): Record<GeminiModality, number> | undefined {
  const list = a(o, key, p(key));
  if (list === undefined) return undefined;
  const out: Record<GeminiModality, number> = { AUDIO: 0, IMAGE: 0, VIDEO: 0 };
  if (list.length > MAX_MODALITY_ENTRIES) {
    e(p(key), `must list at most ${MAX_MODALITY_ENTRIES} modalities, got ${list.length}`);
    return out;
  }
  list.forEach((item, i) => {
    const at = `${key}[${i}]`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      e(p(at), 'must be an object { modality, tokenCount }');
      return;
    }
    const entry = item as Obj;
    if (typeof entry.modality !== 'string' || entry.modality.length > 32) {
      e(p(`${at}.modality`), 'must be a modality name such as TEXT, IMAGE, AUDIO, VIDEO or DOCUMENT');
      return;
    }
    const n = c(entry, 'tokenCount', p(`${at}.tokenCount`)) ?? 0;
    const m = entry.modality as GeminiModality;
    if ((GEMINI_MODALITIES as readonly string[]).includes(m)) out[m] += n;
  });
  return out;
}

/**
 * Gemini: prompt + tool-use prompt is the input, candidates + thoughts the output (tokens). By modality:
 * promptTokensDetails (+ toolUsePromptTokensDetails) minus cacheTokensDetails is the fresh audio / image /
 * video input, cacheTokensDetails AUDIO the cached audio, candidatesTokensDetails AUDIO the audio output.
 */
function mapGemini(o: Obj, r: FieldReader): Mapped {
  const { p, c, e } = r;
  const prompt = c(o, 'promptTokenCount', p('promptTokenCount'));
  const candidates = c(o, 'candidatesTokenCount', p('candidatesTokenCount'));
  const cached = c(o, 'cachedContentTokenCount', p('cachedContentTokenCount'));
  const thoughts = c(o, 'thoughtsTokenCount', p('thoughtsTokenCount'));
  const toolUse = c(o, 'toolUsePromptTokenCount', p('toolUsePromptTokenCount'));
  const promptBy = modalityCounts(o, 'promptTokensDetails', r);
  const toolBy = modalityCounts(o, 'toolUsePromptTokensDetails', r);
  const cacheBy = modalityCounts(o, 'cacheTokensDetails', r);
  const outBy = modalityCounts(o, 'candidatesTokensDetails', r);
  const fresh: Partial<Record<GeminiModality, number>> = {};
  if (promptBy || toolBy || cacheBy) {
    for (const m of GEMINI_MODALITIES) {
      const all = (promptBy?.[m] ?? 0) + (toolBy?.[m] ?? 0);
      const inCache = cacheBy?.[m] ?? 0;
      if (inCache > all) e(p('cacheTokensDetails'), `${inCache} cached ${m} tokens exceed the ${all} ${m} prompt tokens that must include them`);
      fresh[m] = Math.max(0, all - inCache);
    }
  }
  return {
    input: prompt ?? toolUse,
    output: candidates ?? thoughts,
    usage: {
      inputTokens: sum(prompt, toolUse),
      outputTokens: sum(candidates, thoughts),
      cachedInputTokens: cached ?? 0,
      cacheWriteTokens: 0,
      reasoningTokens: thoughts ?? 0,
      ...present({
        audioInputTokens: fresh.AUDIO || undefined,
        imageInputTokens: fresh.IMAGE || undefined,
        videoInputTokens: fresh.VIDEO || undefined,
        cachedAudioInputTokens: cacheBy?.AUDIO || undefined,
        audioOutputTokens: outBy?.AUDIO || undefined,
      }),
    },
    paths: {
      input: p('promptTokenCount'),
      output: p('candidatesTokenCount'),
      cached: p('cachedContentTokenCount'),
      cacheWrite: p('promptTokenCount'),
      reasoning: p('thoughtsTokenCount'),
      classes: {
        audioInputTokens: p('promptTokensDetails'),
        imageInputTokens: p('promptTokensDetails'),
        videoInputTokens: p('promptTokensDetails'),
        cachedAudioInputTokens: p('cacheTokensDetails'),
        audioOutputTokens: p('candidatesTokensDetails'),
      },
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
