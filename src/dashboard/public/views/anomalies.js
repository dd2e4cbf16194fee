// @ts-check
// Spend anomalies (GET /v1/anomalies): the overview's "Anomalies" card and the markers on its spend chart.
// Scope values are tenant text (workload, customer, provider names): always set as text.
import { allPages, client } from '../api.js';
import { empty, h } from '../dom.js';
import * as f from '../format.js';
import { fill } from '../lifecycle.js';

const DAY_MS = 86_400_000;
/** The spend chart offers up to 180 days; anomalies are fetched once for that span and filtered per period. */
export const ANOMALY_SPAN_DAYS = 180;
/** Rows in the overview's card; the rest are counted. */
const SHOWN = 10;

const SCOPES = { workload: 'Workload', customer: 'Customer', provider: 'Provider' };

/** @typedef {import('../api.js').GetBody<'/v1/anomalies'>['data'][number]} Anomaly */

/** The anomalies of the last 180 days, newest day first; a missing endpoint (older server) reads as none. */
export function loadAnomalies(signal) {
  const to = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS + DAY_MS);
  const from = new Date(to.getTime() - (ANOMALY_SPAN_DAYS + 1) * DAY_MS);
  const day = (d) => d.toISOString().slice(0, 10);
  const query = { from: day(from), to: day(to), limit: 200 };
  return allPages((cursor) => client.GET('/v1/anomalies', { params: { query: { ...query, cursor } }, signal }), { maxPages: 5 }).then((r) =>
    // Newest day first; within a day, the largest move above (or below) the range first.
    [...(r?.rows ?? [])].sort((a, b) => String(b.day).localeCompare(String(a.day)) || excess(b) - excess(a)),
  );
}

/**
 * How far outside its range an anomaly landed (USD).
 * @param {Anomaly} a
 */
function excess(a) {
  return a.direction === 'below' ? f.num(a.lowerUsd) - f.num(a.observedUsd) : f.num(a.observedUsd) - f.num(a.upperUsd);
}

/** "Customer acme-corp" */
export function scopeLabel(scope) {
  const kind = scope?.kind ?? '';
  return `${SCOPES[kind] ?? kind} ${scope?.value ?? ''}`.trim();
}

/** "$412.30 observed vs $40.00 – $71.20 expected (usually $55.10)" */
/** @param {Anomaly} a */
export function rangeText(a) {
  return `${f.usd(a.observedUsd)} observed vs ${f.usd(a.lowerUsd)} – ${f.usd(a.upperUsd)} expected (usually ${f.usd(a.expectedUsd)})`;
}

function dayOf(a) {
  return String(a.day ?? '').slice(0, 10);
}

/** Chart markers for the days in [from, to): one per anomaly, labelled with its scope, the range in its tooltip. */
/** @param {Anomaly[]} list @param {Date} from @param {Date} to */
export function anomalyMarkers(list, from, to) {
  return list
    .filter((a) => {
      const t = Date.parse(`${dayOf(a)}T00:00:00Z`);
      return t >= Math.floor(from.getTime() / DAY_MS) * DAY_MS && t < to.getTime();
    })
    .map((a) => ({
      x: Date.parse(`${dayOf(a)}T00:00:00Z`) / 1000,
      label: `${a.direction === 'below' ? '▼' : '▲'} ${a.scope?.value ?? ''}`,
      title: `${scopeLabel(a.scope)} on ${f.dayLabel(new Date(`${dayOf(a)}T00:00:00Z`))}: ${rangeText(a)}${a.partialDay ? ' (day not over)' : ''}`,
      kind: a.direction === 'below' ? 'below' : 'above',
    }));
}

/** The largest contributors ({ models, customers, workloads }: [{ model|customer|workload, costUsd, expectedUsd }]), largest moves first. */
/** @param {Anomaly} a */
export function contributorList(a) {
  const t = a?.topContributors ?? {};
  const out = [];
  for (const [kind, key] of [['customers', 'customer'], ['models', 'model'], ['workloads', 'workload']]) {
    for (const c of Array.isArray(t[kind]) ? t[kind] : []) {
      // The scope itself (a workload's only workload) says nothing new.
      if (c[key] === undefined || (a.scope?.kind === key && a.scope?.value === c[key])) continue;
      out.push({ kind: key, name: String(c[key]), costUsd: c.costUsd, expectedUsd: c.expectedUsd });
    }
  }
  return out;
}

function contributors(a) {
  const list = contributorList(a).slice(0, 3);
  if (!list.length) return null;
  const text = list.map((c) => `${c.kind} ${c.name} ${f.usd(c.costUsd)}${c.expectedUsd != null ? ` (usually ${f.usd(c.expectedUsd)})` : ''}`).join(' · ');
  return h('span', { class: 'sub' }, `Top contributors: ${text}`);
}

/** "5.6×" the usual day; a scope that usually spends under a dollar reads as the dollars it moved ("+$141.80"). */
/** @param {Anomaly} a */
function moveText(a) {
  const observed = f.num(a.observedUsd);
  const expected = f.num(a.expectedUsd);
  if (expected >= 1) return `${(observed / expected).toFixed(1)}×`;
  const move = observed - (Number.isFinite(expected) ? expected : 0);
  return `${move >= 0 ? '+' : '−'}${f.usd(Math.abs(move))}`;
}

/** The overview's card: the most recent anomalies with their scope, day, observed figure and expected range. */
export function fillAnomalies(target, ctx, anomalies) {
  fill(target, ctx, () => anomalies, (list) => {
    if (!list.length) return empty('No spend anomalies in the last 180 days. Daily spend per workload, customer and provider is checked against its usual range.');
    const items = list.slice(0, SHOWN).map((a) =>
      h(
        'li',
        { dataset: { day: dayOf(a), scope: `${a.scope?.kind ?? ''}:${a.scope?.value ?? ''}` } },
        h(
          'div',
          null,
          h('span', { class: 'what' }, scopeLabel(a.scope)),
          h('span', { class: 'sub' }, `${f.dayLabel(new Date(`${dayOf(a)}T00:00:00Z`))}${a.partialDay ? ' (day not over)' : ''} · ${a.direction === 'below' ? 'below' : 'above'} its usual range: ${rangeText(a)}`),
          contributors(a),
        ),
        h('span', { class: `num ${a.direction === 'below' ? 'down' : 'up'}` }, moveText(a)),
      ),
    );
    const more = list.length > SHOWN ? h('p', { class: 'muted small' }, `and ${list.length - SHOWN} more in the last 180 days (GET /v1/anomalies)`) : null;
    return [h('ul', { class: 'anomalies', id: 'anomaly-list' }, items), more];
  });
}
