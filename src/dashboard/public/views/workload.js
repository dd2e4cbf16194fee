// @ts-check
// #/workloads/<slug>: one workload's recommendation, usage, crossover chart and self-host economics.
import { ApiError, client, ok } from '../api.js';
import { badge, card, empty, fact, h } from '../dom.js';
import * as f from '../format.js';
import { fill, mount, newView } from '../lifecycle.js';
import { crossoverView } from './crossover.js';
import { alternativesView, optionsView, sensitivityView } from './economics.js';
import { candidateDetail } from './roadmap.js';

export function renderWorkload(slug) {
  const ctx = newView();
  const { signal } = ctx.abort;
  document.title = `${slug} · Crossover`;

  const head = { title: h('h1', { id: 'workload-title' }, slug), desc: h('p', { class: 'sub' }), chips: h('div', { class: 'chips' }) };
  const rec = card('Recommendation', { id: 'recommendation' });
  const usage = card('Usage and current cost', { id: 'usage', hint: 'Last 28 days, scaled to a month' });
  const cross = card('Crossover: API vs self-host cost by monthly volume', { id: 'crossover' });
  const options = card('Self-host options', { id: 'options', hint: 'Total cost of ownership per month at today’s volume: GPUs, people and overhead' });
  const alternatives = card('Managed open models and cheaper closed models', { id: 'alternatives' });
  const sensitivity = card('Sensitivity', { id: 'sensitivity', hint: 'How the best self-host option compares when volume or GPU prices change' });

  mount(
    h('nav', { class: 'crumbs' }, h('a', { href: '#/roadmap' }, '← Roadmap')),
    h('div', { class: 'page-head' }, h('div', null, head.title, head.desc, head.chips)),
    h('div', { class: 'grid two' }, rec.el, usage.el),
    cross.el,
    options.el,
    alternatives.el,
    sensitivity.el,
  );

  ok(client.GET('/v1/workloads/{slug}', { params: { path: { slug } }, signal })).then((w) => showHeader(head, slug, w), () => {});

  fill(rec, ctx, () => ok(client.GET('/v1/workloads/{slug}/plan', { params: { path: { slug } }, signal })), (p) => recommendationView(p));

  // One economics request feeds four cards; a 404 means no usage yet, which each card says plainly.
  const econP = ok(client.GET('/v1/workloads/{slug}/economics', { params: { path: { slug }, query: { window: '28d' } }, signal }));
  econP.catch(() => {});
  const noUsage = (err) => err instanceof ApiError && err.status === 404;
  const econFill = (target, render) =>
    fill(
      target,
      ctx,
      () => econP.catch((err) => (noUsage(err) ? null : Promise.reject(err))),
      (e) => (e ? render(e) : empty('No usage for this workload in the last 28 days: no economics yet.')),
    );

  econFill(usage, usageView);
  econFill(options, (e) => optionsView(e, options));
  econFill(alternatives, alternativesView);
  econFill(sensitivity, sensitivityView);
  econFill(cross, (e) => crossoverView(e, cross, ctx));
}

/** @typedef {import('../api.js').GetBody<'/v1/workloads/{slug}/economics'>} Economics */

/**
 * Name, description and annotation chips; a workload nobody annotated says what the planner assumes.
 * @param {{ title: HTMLElement, desc: HTMLElement, chips: HTMLElement }} head
 * @param {string} slug
 * @param {import('../api.js').GetBody<'/v1/workloads/{slug}'>} w
 */
function showHeader({ title, desc, chips }, slug, w) {
  if (w?.name) title.textContent = `${w.name} (${slug})`;
  desc.textContent = w?.description ?? '';
  const a = w?.annotations ?? {};
  const items = [
    a.taskCategory && `task: ${a.taskCategory}`,
    a.qualityRequirement && `quality: ${a.qualityRequirement}`,
    a.dataSensitivity && `data: ${a.dataSensitivity}`,
    typeof a.dataResidency === 'string' && a.dataResidency !== ''
      ? `data residency: ${a.dataResidency}`
      : Array.isArray(a.residency) && a.residency.length && `data residency: ${a.residency.join(', ')}`,
    a.latencyTargetP95Ms && `p95 target: ${f.int(a.latencyTargetP95Ms)} ms`,
    a.needsCustomisation && 'needs customisation',
    a.ownerTeam && `owner: ${a.ownerTeam}`,
  ].filter(Boolean);
  chips.replaceChildren(...(items.length ? items.map((t) => h('span', { class: 'chip' }, t)) : [h('span', { class: 'chip pending' }, 'not annotated: the planner assumes defaults')]));
}

/**
 * `p`: GET /v1/workloads/<slug>/plan.
 * @param {import('../api.js').GetBody<'/v1/workloads/{slug}/plan'>} p
 */
function recommendationView(p) {
  const reasons = p.reasons ?? [];
  const facts = h(
    'dl',
    { class: 'facts' },
    fact('Candidate', p.candidate?.modelId ?? (p.pendingEvaluation?.modelId ? `${p.pendingEvaluation.modelId} (awaiting evaluation)` : '—')),
    fact('Now / month', f.usd(p.currentMonthlyCostUsd)),
    fact('Projected / month', f.usd(p.projectedMonthlyCostUsd)),
    fact('Savings / month', f.usd(p.monthlySavingsUsd)),
    fact('Break-even', p.breakEvenMonths === null || p.breakEvenMonths === undefined ? '—' : f.breakEven(p.breakEvenMonths)),
    fact('One-off migration', f.usd(p.oneOffMigrationCostUsd)),
    fact('Confidence', p.confidence ?? '—'),
  );
  const gate = (status) => h('span', { class: `gate ${status === 'pass' ? 'pass' : status === 'fail' ? 'fail' : 'na'}` }, status === 'pass' ? '✓ pass' : status === 'fail' ? '✗ fail' : String(status ?? 'n/a'));
  return [
    h('div', { style: 'margin-bottom:12px' }, badge(p.recommendation), p.candidate ? h('span', { class: 'muted small' }, `  ${p.candidate.modelId ?? ''}${candidateDetail(p.candidate) ? ` · ${candidateDetail(p.candidate)}` : ''}`) : null),
    p.nextStep ? h('p', { class: 'next-step', dataset: { role: 'next-step' } }, h('strong', null, 'Next: '), p.nextStep) : null,
    p.pendingEvaluation?.action
      ? h(
          'p',
          { class: 'small', dataset: { role: 'pending-evaluation' } },
          h('span', { class: 'chip pending' }, 'evaluate first'),
          ` ${p.pendingEvaluation.action}${p.pendingEvaluation.monthlySavingsUsd != null ? ` · ${f.usd(p.pendingEvaluation.monthlySavingsUsd)}/month at stake` : ''}`,
        )
      : null,
    p.fleet?.text
      ? h(
          'p',
          { class: 'small', dataset: { role: 'fleet' } },
          `Self-hosting ${p.fleet.text}: its share ${f.pct((Number(p.fleet.loadShare) || 0) * 100, 0)} costs ${f.usd(p.fleet.monthlyCostUsd)}/month${p.fleet.standaloneMonthlyCostUsd != null ? ` (stand-alone ${f.usd(p.fleet.standaloneMonthlyCostUsd)})` : ''}.`,
        )
      : null,
    facts,
    (p.nextSteps ?? []).length ? [h('h3', { style: 'margin-top:14px' }, 'Next steps'), h('ul', { class: 'plain' }, p.nextSteps.map((s) => h('li', null, s)))] : null,
    (p.risks ?? []).length ? [h('h3', { style: 'margin-top:14px' }, 'Risks'), h('ul', { class: 'plain' }, p.risks.map((s) => h('li', null, s)))] : null,
    reasons.length
      ? h(
          'details',
          null,
          h('summary', null, `Planner gates (${reasons.filter((r) => r.status === 'pass').length} pass, ${reasons.filter((r) => r.status === 'fail').length} fail)`),
          h('div', { class: 'table-wrap' }, h('table', { class: 'data' }, h('tbody', null, reasons.map((r) => h('tr', null, h('td', null, r.gate), h('td', null, gate(r.status)), h('td', { class: 'small' }, r.detail ?? '')))))),
        )
      : null,
  ];
}

/**
 * `e`: GET /v1/workloads/<slug>/economics.
 * @param {Economics} e
 */
function usageView(e) {
  const m = e.usage?.monthly ?? {};
  const models = e.usage?.models ?? [];
  return [
    h(
      'dl',
      { class: 'facts' },
      fact('Spend / month', f.usd(e.usage?.monthlySpendUsd)),
      fact('Input tokens / month', f.tokens(m.inputTokens)),
      fact('Output tokens / month', f.tokens(m.outputTokens)),
      fact('Requests / month', f.int(m.requests)),
      fact('Current model', e.current?.modelId ?? '—'),
      fact('Current cost / month', `${f.usd(e.current?.monthlyCostUsd)}${e.current?.basis ? ` (${String(e.current.basis).replace(/-/g, ' ')})` : ''}`),
    ),
    models.length
      ? h(
          'div',
          { class: 'table-wrap', style: 'margin-top:12px' },
          h(
            'table',
            { class: 'data' },
            h('thead', null, h('tr', null, h('th', null, 'Model'), h('th', null, 'Provider'), h('th', { class: 'num' }, 'Cost (28 days)'), h('th', { class: 'num' }, 'Share'))),
            h('tbody', null, models.map((x) => h('tr', null, h('td', { class: 'mono' }, x.modelId ?? '—'), h('td', null, x.provider ?? '—'), h('td', { class: 'num' }, f.usd(x.costUsd)), h('td', { class: 'num' }, f.pct((f.num(x.share) || 0) * 100))))),
          ),
        )
      : null,
  ];
}
