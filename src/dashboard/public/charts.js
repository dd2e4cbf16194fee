// @ts-check
// Charts drawn with uPlot (window.uPlot, loaded from /app/vendor/uplot.js).
import { dayLabel, monthLabel, tokens, usd, usdShort } from './format.js';

export const PALETTE = ['#2563eb', '#0d9488', '#f59e0b', '#db2777', '#7c3aed', '#16a34a', '#ea580c', '#0891b2', '#9333ea', '#65a30d', '#e11d48', '#475569', '#a16207'];

const GRID = { stroke: '#eef2f6', width: 1 };
const TICKS = { stroke: '#e3e8ef', width: 1 };
const AXIS = { stroke: '#5f6b7a', grid: GRID, ticks: TICKS, font: '12px system-ui, sans-serif' };

function U() {
  const u = globalThis.uPlot;
  if (!u) throw new Error('chart library not loaded');
  return u;
}

/** Keeps a chart as wide as its container. Returns a disposer. */
function fitWidth(chart, el, height) {
  let last = 0;
  const ro = new ResizeObserver(() => {
    const w = Math.floor(el.clientWidth);
    if (w > 0 && w !== last) {
      last = w;
      chart.setSize({ width: w, height });
    }
  });
  ro.observe(el);
  return () => ro.disconnect();
}

function mount(el, opts, data) {
  el.replaceChildren();
  const chart = new (U())(opts, data, el);
  const stop = fitWidth(chart, el, opts.height);
  el.dataset.ready = 'true';
  return {
    chart,
    destroy() {
      stop();
      chart.destroy();
    },
  };
}

/** Cumulative sums for a stacked area: series i is drawn from series i-1 up (uPlot's stacking recipe). */
function stack(data, omit) {
  const out = [data[0]];
  const accum = new Array(data[0].length).fill(0);
  for (let i = 1; i < data.length; i++) out.push(omit(i) ? data[i] : data[i].map((v, j) => (accum[j] += Number(v) || 0)));
  const bands = [];
  for (let i = 1; i < data.length; i++) {
    if (omit(i)) continue;
    const upper = data.findIndex((_, j) => j > i && !omit(j));
    if (upper > -1) bands.push({ series: [upper, i] });
  }
  return { data: out, bands };
}

/**
 * Stacked daily spend. `x`: unix seconds (UTC midnights); `series`: [{ label, values }] bottom to top.
 * Legend values are the series' own (unstacked) amounts at the cursor.
 * @param {HTMLElement} el
 * @param {{ x: number[], series: { label: string, values: number[] }[], markers?: { x: number, label: string, title: string, kind: string }[], height?: number }} opts
 */
export function stackedSpendChart(el, { x, series, markers = [], height = 300 }) {
  const uPlot = U();
  const raw = [x, ...series.map((s) => s.values)];
  const stacked = stack(raw, () => false);
  const opts = {
    width: Math.max(320, el.clientWidth),
    height,
    scales: {
      x: { time: true },
      y: { range: (_u, _min, max) => [0, uPlot.rangeNum(0, max > 0 ? max : 1, 0.1, true)[1]] },
    },
    axes: [AXIS, { ...AXIS, size: 64, values: (_u, splits) => splits.map((v) => usdShort(v)) }],
    series: [
      { label: 'Day', value: (_u, v) => (v == null ? '—' : dayLabel(new Date(v * 1000))) },
      ...series.map((s, i) => {
        const color = PALETTE[i % PALETTE.length];
        return {
          label: s.label,
          stroke: color,
          fill: `${color}b3`,
          width: 1,
          points: { show: false },
          value: (_u, _v, si, di) => (di == null ? '—' : usd(raw[si][di])),
        };
      }),
    ],
    bands: stacked.bands,
    legend: { live: true },
    cursor: { points: { show: false }, drag: { x: false, y: false } },
    hooks: {
      draw: [(u) => drawDayMarkers(u, markers)],
      // Re-stack when a series is toggled from the legend.
      setSeries: [
        (u) => {
          const again = stack(raw, (i) => !u.series[i].show);
          u.delBand(null);
          for (const b of again.bands) u.addBand(b);
          u.setData(again.data);
        },
      ],
    },
  };
  return mount(el, opts, stacked.data);
}

/**
 * Day markers (e.g. spend anomalies) on a daily chart: a dashed red line across the plot on the canvas, and a small
 * labelled flag in uPlot's overlay whose title is the tooltip. Flags are DOM (text set as text, never HTML), so they
 * can be hovered, read by assistive tech and found by tests: `.day-marker[data-day="YYYY-MM-DD"]`.
 * `markers`: [{ x (unix s of the UTC day), label, title, kind }].
 */
function drawDayMarkers(u, markers) {
  u.over.querySelectorAll('.day-marker').forEach((n) => n.remove());
  if (!markers.length) return;
  const { ctx } = u;
  const dpr = globalThis.devicePixelRatio || 1;
  const width = u.over.clientWidth;
  /** The right edge (px) of the last flag placed in each row: a flag takes the first row it does not overlap. */
  const rows = [];
  for (const m of [...markers].sort((a, b) => a.x - b.x)) {
    const left = u.valToPos(m.x, 'x');
    if (!Number.isFinite(left) || left < 0 || left > width) continue;
    const cx = Math.round(u.valToPos(m.x, 'x', true));
    ctx.save();
    ctx.strokeStyle = '#dc2626';
    ctx.lineWidth = 1.5 * dpr;
    ctx.setLineDash([4 * dpr, 3 * dpr]);
    ctx.beginPath();
    ctx.moveTo(cx, u.bbox.top);
    ctx.lineTo(cx, u.bbox.top + u.bbox.height);
    ctx.stroke();
    ctx.restore();
    const flag = document.createElement('div');
    flag.className = `day-marker ${m.kind ?? ''}`;
    flag.dataset.day = new Date(m.x * 1000).toISOString().slice(0, 10);
    flag.title = m.title ?? m.label;
    flag.setAttribute('role', 'note');
    flag.setAttribute('aria-label', m.title ?? m.label);
    flag.textContent = m.label;
    u.over.append(flag);
    // Centred on its day, kept inside the plot, and moved down a row while it would cover another flag.
    const w = flag.offsetWidth;
    const x = Math.max(0, Math.min(width - w, left - w / 2));
    let row = rows.findIndex((right) => right + 4 <= x);
    if (row === -1) row = rows.push(0) - 1;
    rows[row] = x + w;
    flag.style.left = `${x}px`;
    flag.style.top = `${2 + row * (flag.offsetHeight + 3)}px`;
  }
}

/**
 * One line per series over UTC days (not stacked), e.g. the top customers' daily cost.
 * `x`: unix seconds (UTC midnights); `series`: [{ label, values }] aligned with x.
 */
export function dailyLinesChart(el, { x, series, height = 280 }) {
  const uPlot = U();
  const opts = {
    width: Math.max(320, el.clientWidth),
    height,
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, uPlot.rangeNum(0, max > 0 ? max : 1, 0.1, true)[1]] } },
    axes: [AXIS, { ...AXIS, size: 64, values: (_u, splits) => splits.map((v) => usdShort(v)) }],
    series: [
      { label: 'Day', value: (_u, v) => (v == null ? '—' : dayLabel(new Date(v * 1000))) },
      ...series.map((s, i) => {
        const color = PALETTE[i % PALETTE.length];
        return { label: s.label, stroke: color, width: 2, points: { show: false }, value: (_u, v) => (v == null ? '—' : usd(v)) };
      }),
    ],
    legend: { live: true },
    cursor: { points: { show: true }, drag: { x: false, y: false } },
  };
  return mount(el, opts, [x, ...series.map((s) => s.values)]);
}

/**
 * Monthly actuals (bars) with the forecast (dashed line) and its P10–P90 band.
 * `x`: unix seconds of month starts; arrays aligned with it (null where absent).
 */
export function forecastChart(el, { x, actual, expected, p10, p90, height = 260 }) {
  const uPlot = U();
  const half = 15 * 86400;
  const opts = {
    width: Math.max(320, el.clientWidth),
    height,
    scales: {
      x: { time: true, range: (_u, min, max) => [min - half, max + half] },
      y: { range: (_u, _min, max) => [0, uPlot.rangeNum(0, max > 0 ? max : 1, 0.1, true)[1]] },
    },
    axes: [
      { ...AXIS, splits: () => x, values: (_u, splits) => splits.map((v) => monthLabel(new Date(v * 1000).toISOString().slice(0, 7)).replace(' 20', " '")) },
      { ...AXIS, size: 64, values: (_u, splits) => splits.map((v) => usdShort(v)) },
    ],
    series: [
      { label: 'Month', value: (_u, v) => (v == null ? '—' : monthLabel(new Date(v * 1000).toISOString().slice(0, 7))) },
      { label: 'Actual', stroke: '#1f3a5f', fill: '#1f3a5fd9', width: 1, paths: uPlot.paths.bars({ size: [0.55, 56] }), points: { show: false }, value: (_u, v) => usd(v) },
      { label: 'Forecast', stroke: '#2563eb', width: 2, dash: [6, 4], points: { show: true, size: 6, fill: '#2563eb' }, value: (_u, v) => usd(v) },
      { label: 'P90', stroke: '#93c5fd', width: 1, points: { show: false }, value: (_u, v) => usd(v) },
      { label: 'P10', stroke: '#93c5fd', width: 1, points: { show: false }, value: (_u, v) => usd(v) },
    ],
    bands: [{ series: [3, 4], fill: 'rgba(37, 99, 235, 0.13)' }],
    legend: { live: true },
    cursor: { points: { show: false }, drag: { x: false, y: false } },
  };
  return mount(el, opts, [x, actual, expected, p90, p10]);
}

/**
 * API cost vs self-host cost against monthly volume (log-log), with vertical
 * markers (today's volume, the crossover). `markers`: [{ x, label, color, y? }].
 */
/** @param {HTMLElement} el @param {{ volumes: number[], apiCost: (number | null)[], selfHostCost: (number | null)[], apiLabel: string, selfHostLabel: string, markers?: { x: number, y?: number, label: string, color: string }[], height?: number }} opts */
export function crossoverChart(el, { volumes, apiCost, selfHostCost, apiLabel, selfHostLabel, markers = [], height = 320 }) {
  const opts = {
    width: Math.max(320, el.clientWidth),
    height,
    scales: { x: { time: false, distr: 3, log: 10 }, y: { distr: 3, log: 10 } },
    axes: [
      { ...AXIS, label: 'Monthly tokens (input + output)', labelSize: 24, labelFont: '12px system-ui, sans-serif', values: (_u, splits) => splits.map((v) => (v == null ? '' : tokens(v))) },
      { ...AXIS, size: 70, label: 'USD / month', labelSize: 24, labelFont: '12px system-ui, sans-serif', values: (_u, splits) => splits.map((v) => (v == null ? '' : usdShort(v))) },
    ],
    series: [
      { label: 'Monthly tokens', value: (_u, v) => (v == null ? '—' : tokens(v)) },
      { label: apiLabel, stroke: '#dc2626', width: 2.5, points: { show: true, size: 5, fill: '#dc2626' }, value: (_u, v) => usd(v) },
      { label: selfHostLabel, stroke: '#0f766e', width: 2.5, points: { show: true, size: 5, fill: '#0f766e' }, value: (_u, v) => usd(v) },
    ],
    legend: { live: true },
    cursor: { drag: { x: false, y: false } },
    hooks: {
      draw: [
        (u) => {
          const { ctx } = u;
          const dpr = globalThis.devicePixelRatio || 1;
          const right = u.bbox.left + u.bbox.width;
          markers.forEach((m, row) => {
            if (!(m.x > 0)) return;
            const cx = Math.round(u.valToPos(m.x, 'x', true));
            if (cx < u.bbox.left || cx > right) return;
            ctx.save();
            ctx.strokeStyle = m.color;
            ctx.fillStyle = m.color;
            ctx.lineWidth = 1.5 * dpr;
            ctx.setLineDash([5 * dpr, 4 * dpr]);
            ctx.beginPath();
            ctx.moveTo(cx, u.bbox.top);
            ctx.lineTo(cx, u.bbox.top + u.bbox.height);
            ctx.stroke();
            ctx.setLineDash([]);
            if (m.y !== undefined && m.y > 0) {
              const cy = u.valToPos(m.y, 'y', true);
              ctx.beginPath();
              ctx.arc(cx, cy, 5 * dpr, 0, 2 * Math.PI);
              ctx.fill();
            }
            ctx.font = `600 ${12 * dpr}px system-ui, sans-serif`;
            const w = ctx.measureText(m.label).width;
            const tx = cx + 6 * dpr + w > right ? cx - 6 * dpr - w : cx + 6 * dpr;
            ctx.fillText(m.label, tx, u.bbox.top + (14 + row * 16) * dpr);
            ctx.restore();
          });
        },
      ],
    },
  };
  return mount(el, opts, [volumes, apiCost, selfHostCost]);
}

/**
 * Metered (solid) vs billed (dashed) USD per day, one pair of lines per provider.
 * `x`: unix seconds (UTC midnights); `providers`: [{ label, metered, billed }] aligned with x (null where absent).
 */
export function meteredBilledChart(el, { x, providers, height = 280 }) {
  const uPlot = U();
  const series = [{ label: 'Day', value: (_u, v) => (v == null ? '—' : dayLabel(new Date(v * 1000))) }];
  const data = [x];
  providers.forEach((p, i) => {
    const color = PALETTE[i % PALETTE.length];
    series.push({ label: `${p.label} metered`, stroke: color, width: 2, points: { show: true, size: 5, fill: color }, value: (_u, v) => usd(v) });
    series.push({ label: `${p.label} billed`, stroke: color, width: 2, dash: [6, 4], points: { show: true, size: 5, fill: '#fff' }, value: (_u, v) => usd(v) });
    data.push(p.metered, p.billed);
  });
  const opts = {
    width: Math.max(320, el.clientWidth),
    height,
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, uPlot.rangeNum(0, max > 0 ? max : 1, 0.1, true)[1]] } },
    axes: [AXIS, { ...AXIS, size: 64, values: (_u, splits) => splits.map((v) => usdShort(v)) }],
    series,
    legend: { live: true },
    cursor: { points: { show: false }, drag: { x: false, y: false } },
  };
  return mount(el, opts, data);
}
