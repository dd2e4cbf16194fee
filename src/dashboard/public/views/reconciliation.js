// @ts-check
// #/reconciliation: what the providers billed against what Crossover metered, per provider and day,
// with coverage and the causes that explain each difference.
import { client, ok } from '../api.js';
import { meteredBilledChart } from '../charts.js';
import { card, empty, h } from '../dom.js';
import * as f from '../format.js';
import { chartInto, fill, mount, newView } from '../lifecycle.js';

const DAY_MS = 86_400_000;
const RANGE_DAYS = 30;

/** How each cause reads on the page. */
export const CAUSE_LABELS = {
  timing: 'Day boundary',
  not_instrumented: 'Not metered',
  unpriced_model: 'Unpriced model',
  service_tier: 'Service tier',
  cache_write_ttl: 'Cache-write TTL',
  price_mismatch: 'Price mismatch',
};

export function renderReconciliation() {
  const ctx = newView();
  const { signal } = ctx.abort;
  document.title = 'Reconciliation · Crossover';
  const chart = card('Metered vs billed', { id: 'recon-chart', hint: 'Per provider and UTC day: solid lines are metered, dashed lines billed' });
  const table = card('Per provider and day', { id: 'recon-table', hint: 'Delta = billed − metered; each cause estimates part of it from the data, the rest stays unexplained' });
  const sync = card('Connectors', { id: 'recon-connectors' });
  const asOf = h('span', { class: 'muted small' });
  mount(
    h('div', { class: 'page-head' }, h('div', null, h('h1', null, 'Reconciliation'), h('p', { class: 'sub' }, 'Does it match the invoice? What the providers billed, what Crossover metered, and why they differ.')), asOf),
    chart.el,
    table.el,
    sync.el,
  );

  const to = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS + DAY_MS);
  const from = new Date(to.getTime() - RANGE_DAYS * DAY_MS);
  const day = (d) => d.toISOString().slice(0, 10);
  // Only providers with a connector have a bill to compare with: the others would show their whole spend as a delta.
  const report = ok(client.GET('/v1/reconciliation', { params: { query: { from: day(from), to: day(to), groupBy: 'provider,day' } }, signal })).then((r) => {
    const connected = new Set((r.connectors ?? []).map((c) => c.provider));
    const rows = (r.rows ?? []).filter((x) => connected.has(x.provider ?? ''));
    return { ...r, rows, totals: rows.length === (r.rows ?? []).length ? r.totals : null };
  });
  report.catch(() => {});

  fill(chart, ctx, () => report, (r) => {
    asOf.textContent = r.dataFreshness?.complete === false ? `Metering catching up: complete before ${f.dateTime(r.dataFreshness.dataAsOf)}` : '';
    if (!r.rows?.length) return empty('Nothing to compare yet: add a connector for OpenAI or Anthropic (POST /v1/connectors) and sync it to see the invoice beside the metered spend.');
    const days = [...new Set(r.rows.map((x) => x.day))].sort();
    const providers = [...new Set(r.rows.map((x) => x.provider))].sort();
    const at = (p, d, k) => {
      const row = r.rows.find((x) => x.provider === p && x.day === d);
      return row ? f.num(row[k]) : null;
    };
    const el = h('div', { class: 'chart', id: 'recon-chart-canvas' });
    chart.set(el, totals(r.totals));
    chartInto(ctx, el, () =>
      meteredBilledChart(el, {
        x: days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000),
        providers: providers.map((p) => ({ label: p, metered: days.map((d) => at(p, d, 'meteredCostUsd')), billed: days.map((d) => at(p, d, 'billedCostUsd')) })),
      }),
    );
    return undefined;
  });

  fill(table, ctx, () => report, (r) => {
    if (!r.rows?.length) return empty('No rows yet.');
    const head = h('tr', null, h('th', null, 'Day'), h('th', null, 'Provider'), h('th', { class: 'num' }, 'Metered'), h('th', { class: 'num' }, 'Billed'), h('th', { class: 'num' }, 'Delta'), h('th', { class: 'num' }, 'Coverage'), h('th', null, 'Explained by'), h('th', { class: 'num' }, 'Unexplained'));
    const rows = [...r.rows].reverse().map((x) =>
      h(
        'tr',
        { dataset: { provider: x.provider, day: x.day } },
        h('td', null, f.dayLabel(new Date(`${x.day}T00:00:00Z`))),
        h('td', null, x.provider),
        h('td', { class: 'num' }, f.usd(x.meteredCostUsd)),
        h('td', { class: 'num' }, f.usd(x.billedCostUsd)),
        h('td', { class: 'num' }, f.usd(x.deltaUsd), x.deltaPercent === null ? null : h('span', { class: 'sub' }, f.pct(x.deltaPercent))),
        h('td', { class: `num ${x.coverage !== null && x.coverage < 0.95 ? 'bad' : ''}` }, x.coverage === null ? '—' : f.pct(x.coverage * 100)),
        h('td', null, x.explanations.length ? x.explanations.map((e) => h('span', { class: 'sub', title: e.detail ?? '' }, `${CAUSE_LABELS[e.cause] ?? e.cause}: ${f.usd(e.estimatedUsd)}`)) : '—'),
        h('td', { class: 'num' }, f.usd(x.unexplainedUsd)),
      ),
    );
    return h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'recon-rows' }, h('thead', null, head), h('tbody', null, rows)));
  });

  fill(sync, ctx, () => report, (r) => {
    if (!r.connectors?.length) return empty('No connectors yet. An admin can add one for OpenAI or Anthropic (POST /v1/connectors).');
    return h(
      'ul',
      { class: 'alerts', id: 'recon-connector-list' },
      r.connectors.map((c) => h('li', null, `${c.name} (${c.provider}): ${c.lastSyncedAt ? `last synced ${f.dateTime(c.lastSyncedAt)}` : 'never synced'}${c.finalBefore ? ` · final before ${c.finalBefore}` : ''}`)),
    );
  });
}

/** @param {import('../api.js').GetBody<'/v1/reconciliation'>['totals'] | null} t */
function totals(t) {
  if (!t) return null;
  return h(
    'p',
    { class: 'muted small', id: 'recon-totals' },
    `30 days: metered ${f.usd(t.meteredCostUsd)}, billed ${f.usd(t.billedCostUsd)}, delta ${f.usd(t.deltaUsd)}, unexplained ${f.usd(t.unexplainedUsd)}${t.coverage === null ? '' : `, coverage ${f.pct(t.coverage * 100)}`}`,
  );
}
