// @ts-check
// The workload page's crossover chart: API cost vs self-host cost as monthly volume grows.
import { client, ok } from '../api.js';
import { crossoverChart } from '../charts.js';
import { empty, h } from '../dom.js';
import * as f from '../format.js';
import { chartInto } from '../lifecycle.js';
import { bestOption } from './economics.js';

/** Multiples of today's monthly volume that are priced (one estimate request each). */
const VOLUME_FACTORS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100];

/** 1.4×, 12×, 0.3× */
function ratio(x) {
  return `${x >= 10 ? Math.round(x) : x >= 1 ? x.toFixed(1).replace(/\.0$/, '') : x.toFixed(2).replace(/0$/, '')}×`;
}

/**
 * API cost vs self-host cost from 0.1× to 100× today's monthly volume, each
 * point priced by POST /v1/economics/estimate with this workload's shape
 * (input/output/cached mix, tokens per request, peak-to-average, effective
 * price today), so the 1× point matches the economics above.
 * Renders into `target` itself (the chart needs its element in the page), so it resolves to undefined.
 * @param {import('./workload.js').Economics} e
 * @param {{ set: (...nodes: any[]) => void }} target
 * @param {import('../lifecycle.js').ViewContext} ctx
 */
export async function crossoverView(e, target, ctx) {
  const best = bestOption(e);
  const m = e.usage?.monthly ?? {};
  const volume = (f.num(m.inputTokens) || 0) + (f.num(m.outputTokens) || 0);
  if (!best) return empty('No feasible self-host option: nothing to compare the API with.');
  if (!(volume > 0)) return empty('No token volume in the last 28 days.');
  const factors = volumeFactors(f.num(e.crossover?.monthlyTokens) / volume);
  const body = estimateBody(e, best);
  const results = await Promise.allSettled(factors.map((k) => ok(client.POST('/v1/economics/estimate', { body: body(k), signal: ctx.abort.signal }))));
  if (ctx.abort.signal.aborted) return undefined;
  const points = pricedPoints(results, factors, volume);
  if (points.filter((p) => p.api !== null || p.self !== null).length < 2) {
    const failed = results.find((r) => r.status === 'rejected');
    return h('p', { class: 'error', role: 'alert' }, `Could not price the volume range${failed ? `: ${failed.reason?.message ?? failed.reason}` : ''}.`);
  }
  const { cross, crossCost } = crossoverPoint(e, points);
  const markers = [{ x: volume, label: `today ${f.tokens(volume)}`, color: '#475569' }];
  if (cross > 0) markers.push({ x: cross, y: crossCost > 0 ? crossCost : undefined, label: `crossover ${f.tokens(cross)}`, color: '#b45309' });
  const el = h('div', { class: 'chart', id: 'crossover-chart', role: 'img', 'aria-label': 'API cost and self-host cost against monthly token volume' });
  const where = `${best.modelId} on ${best.gpuCount && best.gpuId ? best.gpuId : 'GPUs'}`;
  const text =
    cross > 0
      ? `Self-hosting ${best.modelId} becomes cheaper than the API above ≈ ${f.tokens(cross)} tokens/month (${ratio(cross / volume)} today’s ${f.tokens(volume)}), where both cost about ${f.usd(crossCost)}/month.`
      : `No crossover up to 100× today’s volume${e.crossover?.reason ? `: ${e.crossover.reason}` : ''}.`;
  target.set(
    el,
    h('p', { class: 'chart-note', id: 'crossover-note' }, text, ' ', h('span', { class: 'muted' }, `API line: ${e.current?.modelId ?? 'current model'} at today’s effective price per token. Self-host line: cheapest ${where} configuration at each volume (TCO incl. people and overhead).`)),
  );
  chartInto(ctx, el, () =>
    crossoverChart(el, {
      volumes: points.map((p) => p.v),
      apiCost: points.map((p) => p.api),
      selfHostCost: points.map((p) => p.self),
      apiLabel: `API (${e.current?.modelId ?? 'current'})`,
      selfHostLabel: `Self-host (${where})`,
      markers,
    }),
  );
  return undefined;
}

/** The API's crossover volume (`known`, a multiple of today's) is priced too, so the lines meet where the marker is (self-host cost is a step function). */
function volumeFactors(known) {
  const inside = known > VOLUME_FACTORS[0] && known < VOLUME_FACTORS[VOLUME_FACTORS.length - 1] && !VOLUME_FACTORS.includes(known);
  return [...VOLUME_FACTORS, ...(inside ? [known] : [])].sort((a, b) => a - b);
}

/** The estimate request at `k` × today's volume, keeping this workload's token mix, request shape, peakiness and effective price. */
/**
 * @param {import('./workload.js').Economics} e
 * @param {import('./economics.js').SelfHostOption} best
 * @returns {(k: number) => import('../api.js').Schemas['EstimateDto']}
 */
function estimateBody(e, best) {
  const m = e.usage?.monthly ?? {};
  const input = f.num(m.inputTokens) || 0;
  const output = f.num(m.outputTokens) || 0;
  const currentCost = f.num(e.current?.monthlyCostUsd);
  const cached = f.num(m.cachedInputTokens) || 0;
  const requests = f.num(m.requests) || 0;
  const avgTps = f.num(e.load?.averageTokPerSec);
  const peakTps = f.num(e.load?.peakTokPerSec);
  const peakToAverage = avgTps > 0 && peakTps > 0 ? Math.min(100, Math.max(1, peakTps / avgTps)) : undefined;
  return (k) => ({
    openModel: best.modelId,
    gpu: best.gpuId,
    ...(e.current?.modelId ? { currentModel: e.current.modelId } : {}),
    monthlyInputTokens: Math.round(input * k),
    monthlyOutputTokens: Math.round(output * k),
    ...(cached > 0 ? { monthlyCachedInputTokens: Math.min(Math.round(cached * k), Math.round(input * k)) } : {}),
    ...(requests > 0 ? { avgInputTokensPerRequest: Math.max(1, input / requests), avgOutputTokensPerRequest: output / requests } : {}),
    ...(peakToAverage ? { peakToAverage } : {}),
    ...(currentCost > 0 ? { currentMonthlySpendUsd: (currentCost * k).toFixed(6) } : {}),
  });
}

/** One point per priced volume (tokens/month): API cost and the cheapest self-host TCO (USD/month), null where unpriced. */
function pricedPoints(results, factors, volume) {
  const points = [];
  results.forEach((r, i) => {
    if (r.status !== 'fulfilled') return;
    const apiCost = f.num(r.value?.current?.monthlyCostUsd);
    const opts = r.value?.options ?? [];
    const self = opts.length ? Math.min(...opts.map((o) => f.num(o.tcoUsd)).filter(Number.isFinite)) : NaN;
    points.push({ v: volume * factors[i], api: apiCost > 0 ? apiCost : null, self: self > 0 ? self : null });
  });
  return points;
}

/** The API's own crossover when it has one, else where the priced curves meet (interpolated on log–log axes). */
/** @param {import('./workload.js').Economics} e @param {{ v: number, api: number | null, self: number | null }[]} points */
function crossoverPoint(e, points) {
  let cross = f.num(e.crossover?.monthlyTokens);
  let crossCost = f.num(e.crossover?.apiCostUsd);
  if (cross > 0) return { cross, crossCost };
  cross = NaN;
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1], points[i]];
    if (a.api === null || a.self === null || b.api === null || b.self === null) continue;
    const da = Math.log(a.api) - Math.log(a.self);
    const db = Math.log(b.api) - Math.log(b.self);
    if (da < 0 && db >= 0) {
      const t = da / (da - db);
      cross = Math.exp(Math.log(a.v) + t * (Math.log(b.v) - Math.log(a.v)));
      crossCost = Math.exp(Math.log(a.api) + t * (Math.log(b.api) - Math.log(a.api)));
      break;
    }
  }
  return { cross, crossCost };
}
