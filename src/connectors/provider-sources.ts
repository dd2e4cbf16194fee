import {
  parseAnthropicCostPage,
  parseAnthropicUsagePage,
  parseOpenAiCostsPage,
  parseOpenAiUsagePage,
  type BucketWidth,
  type ConnectorProvider,
  type CostLine,
  type DayRange,
  type ModelResolver,
  type ParsedPage,
  type UsageLine,
} from '../domain/connectors/provider-lines.js';

/** Where each provider's admin API lives unless a connector sets baseUrl (only allowed with CONNECTOR_ALLOW_BASE_URL=true). */
export const DEFAULT_BASE_URLS: Record<ConnectorProvider, string> = {
  openai: 'https://api.openai.com',
  anthropic: 'https://api.anthropic.com',
};

/** The Anthropic API version sent with every admin call. */
export const ANTHROPIC_VERSION = '2023-06-01';

/** One paged report of one provider: how to ask for a page and how to read it. */
export interface ReportSource<L> {
  name: 'costs' | 'usage';
  url(page: string | null): string;
  parse(body: string): ParsedPage<L>;
}

export interface ProviderSources {
  headers: Record<string, string>;
  costs: ReportSource<CostLine>;
  usage: ReportSource<UsageLine>;
}

function query(params: [string, string | number | null][]): string {
  return params
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${encodeURIComponent(k).replace(/%5B%5D$/, '[]')}=${encodeURIComponent(String(v))}`)
    .join('&');
}

/**
 * The two reports a sync reads, per provider, for [range.from, range.to) (whole UTC days):
 * - OpenAI: /v1/organization/costs (1d buckets, group_by line_item and project_id, up to 31 buckets a
 *   page of the 180 allowed) and /v1/organization/usage/completions (1d: 31 a page, 1h: 168 a page,
 *   the documented maxima; group_by model, project_id, batch, service_tier).
 * - Anthropic: /v1/organizations/cost_report (1d, group_by workspace_id and description, which
 *   brings model, cost_type, token_type, service_tier and context_window) and
 *   /v1/organizations/usage_report/messages (group_by model, service_tier, context_window, workspace_id).
 */
export function providerSources(provider: ConnectorProvider, baseUrl: string, adminKey: string, range: DayRange, width: BucketWidth, resolve: ModelResolver): ProviderSources {
  const base = baseUrl.replace(/\/+$/, '');
  const perPage = width === '1h' ? 168 : 31;
  if (provider === 'openai') {
    const start = Math.floor(range.fromMs / 1000);
    const end = Math.floor(range.toMs / 1000);
    return {
      headers: { authorization: `Bearer ${adminKey}`, 'user-agent': 'Crossover-Connectors/1' },
      costs: {
        name: 'costs',
        url: (page) =>
          `${base}/v1/organization/costs?${query([['start_time', start], ['end_time', end], ['bucket_width', '1d'], ['group_by', 'line_item'], ['group_by', 'project_id'], ['limit', 31], ['page', page]])}`,
        parse: (body) => parseOpenAiCostsPage(body, range, resolve),
      },
      usage: {
        name: 'usage',
        url: (page) =>
          `${base}/v1/organization/usage/completions?${query([
            ['start_time', start],
            ['end_time', end],
            ['bucket_width', width],
            ['group_by', 'model'],
            ['group_by', 'project_id'],
            ['group_by', 'batch'],
            ['group_by', 'service_tier'],
            ['limit', perPage],
            ['page', page],
          ])}`,
        parse: (body) => parseOpenAiUsagePage(body, range, width, resolve),
      },
    };
  }
  const startingAt = new Date(range.fromMs).toISOString().replace('.000Z', 'Z');
  const endingAt = new Date(range.toMs).toISOString().replace('.000Z', 'Z');
  return {
    headers: { 'x-api-key': adminKey, 'anthropic-version': ANTHROPIC_VERSION, 'user-agent': 'Crossover-Connectors/1' },
    costs: {
      name: 'costs',
      url: (page) =>
        `${base}/v1/organizations/cost_report?${query([['starting_at', startingAt], ['ending_at', endingAt], ['bucket_width', '1d'], ['group_by[]', 'workspace_id'], ['group_by[]', 'description'], ['limit', 31], ['page', page]])}`,
      parse: (body) => parseAnthropicCostPage(body, range, resolve),
    },
    usage: {
      name: 'usage',
      url: (page) =>
        `${base}/v1/organizations/usage_report/messages?${query([
          ['starting_at', startingAt],
          ['ending_at', endingAt],
          ['bucket_width', width],
          ['group_by[]', 'model'],
          ['group_by[]', 'service_tier'],
          ['group_by[]', 'context_window'],
          ['group_by[]', 'workspace_id'],
          ['limit', perPage],
          ['page', page],
        ])}`,
      parse: (body) => parseAnthropicUsagePage(body, range, width, resolve),
    },
  };
}
