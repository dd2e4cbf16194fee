import { formatIsoDayShort, formatSignedPercent, formatUsd } from './format.js';
import { windowText, type DigestAction, type DigestChange, type DigestMove, type DigestView } from './model.js';

/** How a verdict (planner recommendation) reads in a sentence. */
export const VERDICT_TEXT: Record<string, string> = {
  stay_closed: 'stay',
  cheaper_closed: 'cheaper closed model',
  managed_open: 'managed open model',
  pilot_self_host: 'pilot self-hosting',
  self_host: 'self-host',
};

export const verdictText = (v: string | null) => (v === null ? 'none' : (VERDICT_TEXT[v] ?? v));

/** "$9,000.00/month" or "$120.00 over the limit". */
export function stakeText(a: Pick<DigestAction, 'atStakeUsd' | 'atStakeUnit'>): string {
  return a.atStakeUnit === 'per_month' ? `${formatUsd(a.atStakeUsd)}/month` : `${formatUsd(a.atStakeUsd)} over the limit`;
}

function moveText(m: DigestMove): string {
  const pct = m.changePercent === null ? '' : ` (${formatSignedPercent(m.changePercent)})`;
  if (m.metric === 'break_even') return `break-even ${m.from} → ${m.to} months${pct}`;
  return `${m.metric === 'spend' ? 'spend' : 'savings'} ${formatUsd(m.from)} → ${formatUsd(m.to)}/month${pct}`;
}

/** One line per changed workload: its verdict change and its moves; `link` renders the workload's link. */
export function changeText(c: DigestChange, link: (text: string, url: string) => string): string {
  const parts: string[] = [];
  if (c.verdict) {
    parts.push(
      c.verdict.from === null ? `new, ${verdictText(c.verdict.to)}` : c.verdict.to === null ? 'no longer planned' : `${verdictText(c.verdict.from)} → ${verdictText(c.verdict.to)}`,
    );
  }
  parts.push(...c.moves.map(moveText));
  return `${link(c.workload, c.url)}: ${parts.join('; ')}`;
}

/** "2 self-host, 1 managed open model, 6 stay": a standing's verdict counts, largest first. */
export function verdictCounts(verdicts: Record<string, number | undefined>): string {
  return Object.entries(verdicts)
    .filter(([, n]) => (n ?? 0) > 0)
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0) || a[0].localeCompare(b[0]))
    .map(([v, n]) => `${n} ${verdictText(v)}`)
    .join(', ');
}

/** The spend line: "$4,210.00 in the last 7 days (previous 7 days $3,900.00, +7.9%)". */
export function spendText(d: DigestView): string {
  const pct = d.spend.changePercent === null ? '' : `, ${formatSignedPercent(d.spend.changePercent)}`;
  return `${formatUsd(d.spend.thisPeriodUsd)} in the last 7 days (previous 7 days ${formatUsd(d.spend.lastPeriodUsd)}${pct})`;
}

export function anomalyText(a: DigestView['anomalies']['items'][number]): string {
  return `${formatIsoDayShort(a.day)}, ${a.scopeKind} ${a.scopeValue}: ${formatUsd(a.observedUsd)}${a.partialDay ? ' so far' : ''}, expected ${formatUsd(a.lowerUsd)}–${formatUsd(a.upperUsd)} (${a.direction})`;
}

export function budgetText(b: DigestView['budgets']['items'][number]): string {
  return `${b.name} (${windowText(b.window)}${b.hard ? ', hard' : ''}): ${formatUsd(b.spentUsd)} of ${formatUsd(b.limitUsd)}, ${b.usedPercent}%${b.status === 'over' ? ' — over' : ''}`;
}

/** Markdown link text: brackets escaped so a slug cannot close the link early. */
const mdLink = (text: string, url: string) => `[${text.replace(/([\\[\]])/g, '\\$1')}](${url})`;

/**
 * The digest as Markdown, short enough to read in a minute: title, spend, top 3 actions (dollars, next step,
 * owner, link), what changed (or, the first time, where the org stands), anomalies and budgets.
 */
export function renderDigestMarkdown(d: DigestView): string {
  const lines = [`# ${d.title}`, ''];
  if (!d.dataFreshness.complete) lines.push(`> Usage of ${d.dataFreshness.pendingRollupHours ?? 'some'} hour(s) was still being rolled up: figures may be low.`, '');
  const next = d.forecast[0];
  lines.push(
    `**Spend:** ${spendText(d)}.${next ? ` Forecast for ${next.month}: ${formatUsd(next.expectedUsd)} (${formatUsd(next.p10Usd)}–${formatUsd(next.p90Usd)}).` : ''}`,
    '',
    '## Top actions',
    '',
  );
  if (!d.topActions.length) lines.push('Nothing to do this week: no workload has savings waiting and no budget is over its limit.');
  d.topActions.forEach((a, i) => lines.push(`${i + 1}. **${stakeText(a)}** — ${a.nextStep}. Owner: ${a.owner}. ${mdLink(a.workload ?? a.budget ?? 'open', a.url)}`));
  if (d.moreActions > 0) lines.push('', `${d.moreActions} more on the ${mdLink('roadmap', d.links.roadmap)}.`);
  lines.push('');
  const s = d.standing;
  if (d.changes.first) {
    lines.push('## Where you stand', '');
    lines.push(`- ${s.workloads} workload${s.workloads === 1 ? '' : 's'} planned${s.workloads ? `: ${verdictCounts(s.verdicts)}` : ''}.`);
    lines.push(`- Potential savings ${formatUsd(s.potentialMonthlySavingsUsd)}/month, ${formatUsd(s.readyMonthlySavingsUsd)} of it ready now; ${s.waitingOnEvaluation} waiting on an evaluation.`);
    if (s.largest.length) lines.push(`- Largest: ${s.largest.map((w) => `${mdLink(w.workload, w.url)} ${formatUsd(w.monthlySpendUsd)}/month (${verdictText(w.verdict)})`).join(', ')}.`);
  } else {
    lines.push('## What changed', '');
    if (!d.changes.count) lines.push('No verdict changed and nothing moved by more than 10% since the last digest.');
    for (const c of d.changes.items) lines.push(`- ${changeText(c, mdLink)}`);
    if (d.changes.more > 0) lines.push(`- and ${d.changes.more} more on the ${mdLink('roadmap', d.links.roadmap)}`);
  }
  lines.push('', '## Anomalies and budgets', '');
  if (!d.anomalies.count && !d.budgets.count) lines.push('No spend anomaly this week; every budget is under 80% of its limit.');
  for (const a of d.anomalies.items) lines.push(`- Anomaly: ${anomalyText(a)}`);
  if (d.anomalies.more > 0) lines.push(`- and ${d.anomalies.more} more anomalies`);
  for (const b of d.budgets.items) lines.push(`- Budget ${budgetText(b)}`);
  if (d.budgets.more > 0) lines.push(`- and ${d.budgets.more} more budgets near or over their limit`);
  return lines.join('\n') + '\n';
}
