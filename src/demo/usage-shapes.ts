/** How each provider's SDK reports an event's usage; `canonical` is Crossover's own shape. */
export type UsageShape = 'openai-chat' | 'openai-responses' | 'anthropic' | 'gemini' | 'canonical' | 'openai-embedding';

/** Token counts of one event (all calls summed); `input` includes cached and cache-write tokens, `output` includes reasoning. */
export interface EventTokens {
  input: number;
  output: number;
  cached: number;
  cacheWrite: number;
  reasoning: number;
}

/** The usage object of one event, in the model's native shape or the canonical one. */
export function usageObject(shape: UsageShape, u: EventTokens): Record<string, unknown> {
  switch (shape) {
    case 'openai-chat':
      return {
        prompt_tokens: u.input,
        completion_tokens: u.output,
        total_tokens: u.input + u.output,
        prompt_tokens_details: { cached_tokens: u.cached },
        completion_tokens_details: { reasoning_tokens: u.reasoning },
      };
    case 'openai-responses':
      return {
        input_tokens: u.input,
        input_tokens_details: { cached_tokens: u.cached },
        output_tokens: u.output,
        output_tokens_details: { reasoning_tokens: u.reasoning },
        total_tokens: u.input + u.output,
      };
    case 'openai-embedding':
      return { prompt_tokens: u.input, total_tokens: u.input };
    case 'anthropic':
      // Anthropic's input_tokens excludes cache reads and cache writes.
      return {
        input_tokens: u.input - u.cached - u.cacheWrite,
        cache_read_input_tokens: u.cached,
        cache_creation_input_tokens: u.cacheWrite,
        output_tokens: u.output,
      };
    case 'gemini': {
      // promptTokenCount includes cached content; candidatesTokenCount excludes thoughts.
      const o: Record<string, unknown> = { promptTokenCount: u.input, candidatesTokenCount: u.output - u.reasoning };
      if (u.cached) o.cachedContentTokenCount = u.cached;
      if (u.reasoning) o.thoughtsTokenCount = u.reasoning;
      o.totalTokenCount = u.input + u.output;
      return o;
    }
    case 'canonical':
      return { inputTokens: u.input, outputTokens: u.output, cachedInputTokens: u.cached, cacheWriteTokens: u.cacheWrite, reasoningTokens: u.reasoning };
  }
}
