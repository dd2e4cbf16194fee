import {
  context,
  dashboardBase,
  digestSlackMessage,
  esc,
  escapeMrkdwn,
  formatIsoDayShort,
  formatSignedPercent,
  formatUsd,
  header,
  isDigestView,
  link,
  message,
  moneyOrNull,
  section,
  windowText,
  type SlackMessage,
} from '../domain/digest/index.js';
import { Money } from '../domain/money.js';

/*
 * What a `slack` webhook posts for each event: a Slack incoming-webhook message rendered at delivery time from
 * the delivery's stored payload (the same one a `standard` webhook is sent), so the outbox, its retries and
 * idempotency are the same for both formats. Payloads come from other features; every field is read defensively
 * and a payload of an unknown shape still gives a readable message.
 */

/** At most this many contributors of each kind (models, customers, workloads) are listed in an anomaly message. */
export const MAX_CONTRIBUTORS = 5;

type Data = Record<string, any>;
const obj = (v: unknown): Data => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Data) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

function budgetMessage(d: Data, dash: string): SlackMessage {
  const budget = obj(d.budget);
  const name = str(budget.name) || 'Budget';
  const spend = moneyOrNull(d.spendUsd) ?? new Money(0);
  const limit = moneyOrNull(d.limitUsd);
  const percent = limit && limit.gt(0) ? spend.div(limit).mul(100).toDecimalPlaces(1).toNumber() : null;
  const window = str(d.window) || 'month';
  const period = str(d.period) || str(d.month);
  const scope = Object.entries(obj(budget.scope)).filter(([, v]) => typeof v === 'string' && v !== '');
  const threshold = typeof d.threshold === 'number' ? d.threshold : null;
  const lines = [
    `*${formatUsd(spend)}* of *${formatUsd(limit)}* spent${percent === null ? '' : ` (${percent}%)`} — ${esc(windowText(window))} budget${period ? `, ${esc(period)}` : ''}`,
    `Scope: ${scope.length ? scope.map(([k, v]) => `${esc(k)} ${esc(v)}`).join(', ') : 'all spend'}`,
  ];
  if (d.hard === true) lines.push('Hard budget: the decision endpoint denies requests once the limit is reached.');
  return message(escapeMrkdwn(`Budget ${name} crossed ${threshold ?? '?'}%: ${formatUsd(spend)} of ${formatUsd(limit)}`), [
    header(`Budget ${name}: ${threshold ?? '?'}% of its limit`),
    section(lines),
    context([link('Open budgets in Crossover', `${dash}#/`)]),
  ]);
}

function contributorLines(title: string, items: unknown[], key: string): string[] {
  const rows = items.map(obj).slice(0, MAX_CONTRIBUTORS);
  if (!rows.length) return [];
  return [
    `*${title}*`,
    ...rows.map((r) => `• ${esc(str(r[key]) || '(unnamed)')}: ${formatUsd(r.costUsd)}${r.expectedUsd === undefined ? '' : ` (expected ${formatUsd(r.expectedUsd)})`}`),
  ];
}

function anomalyMessage(d: Data, dash: string): SlackMessage {
  const scope = obj(d.scope);
  const kind = str(scope.kind) || 'scope';
  const value = str(scope.value);
  const direction = str(d.direction) === 'below' ? 'below' : 'above';
  const day = str(d.day);
  const top = obj(d.topContributors);
  const url = str(d.dashboardUrl) || `${dash}#/`;
  const lines = [
    `*${formatUsd(d.observedUsd)}* on ${esc(formatIsoDayShort(day))}${d.partialDay === true ? ' (so far: the day is not over)' : ''}, ${direction} the expected range *${formatUsd(d.lowerUsd)}–${formatUsd(d.upperUsd)}* (expected ${formatUsd(d.expectedUsd)})`,
  ];
  const contributors = [
    ...contributorLines('Top models', arr(top.models), 'model'),
    ...contributorLines('Top customers', arr(top.customers), 'customer'),
    ...contributorLines('Top workloads', arr(top.workloads), 'workload'),
  ];
  const blocks = [header(`Spend anomaly: ${kind} ${value}`), section(lines)];
  if (contributors.length) blocks.push(section(contributors));
  const notes = [link('Open in Crossover', url)];
  if (d.minimumUsd !== undefined) notes.push(`Alerts only above ${formatUsd(d.minimumUsd)} a day`);
  blocks.push(context(notes));
  return message(escapeMrkdwn(`Spend anomaly on ${kind} ${value}: ${formatUsd(d.observedUsd)} on ${day}, ${direction} ${formatUsd(d.lowerUsd)}–${formatUsd(d.upperUsd)}`), blocks);
}

function driftMessage(d: Data, dash: string): SlackMessage {
  const provider = str(d.provider) || 'provider';
  const day = str(d.day);
  const pct = typeof d.deltaPercent === 'number' ? ` (${formatSignedPercent(d.deltaPercent)})` : '';
  const reasons = arr(d.reasons).map(str);
  const lines = [`Billed *${formatUsd(d.billedCostUsd)}* vs metered *${formatUsd(d.meteredCostUsd)}*: delta *${formatUsd(d.deltaUsd)}*${pct}`];
  if (typeof d.coverage === 'number') lines.push(`Coverage ${new Money(d.coverage).mul(100).toDecimalPlaces(1).toFixed()}% of billed tokens metered${reasons.includes('coverage') ? ' (below the threshold)' : ''}`);
  const explained = arr(d.explanations).map(obj).slice(0, MAX_CONTRIBUTORS);
  for (const e of explained) lines.push(`• ${esc(str(e.cause) || 'cause')}: ${formatUsd(e.estimatedUsd)}${e.detail ? ` — ${esc(e.detail)}` : ''}`);
  if (d.unexplainedUsd !== undefined) lines.push(`Unexplained: ${formatUsd(d.unexplainedUsd)}`);
  return message(escapeMrkdwn(`Invoice drift for ${provider} on ${day}: billed ${formatUsd(d.billedCostUsd)} vs metered ${formatUsd(d.meteredCostUsd)}`), [
    header(`Invoice drift: ${provider}, ${day}`),
    section(lines),
    context([link('Open reconciliation in Crossover', `${dash}#/reconciliation`)]),
  ]);
}

/** A digest.created payload carries the digest's view (everything but the plan); an older one only its summary. */
function digestMessage(d: Data, dash: string): SlackMessage {
  if (isDigestView(d)) return digestSlackMessage(d);
  const title = str(d.title) || `Digest ${str(d.period)}`;
  return message(escapeMrkdwn(title), [header(title), section([`A new digest is ready: ${link('open the roadmap', `${dash}#/roadmap`)}`])]);
}

/** The Slack message for a delivery's payload ({ type, timestamp, data }); `publicUrl` roots the dashboard links. */
export function slackMessageFor(payload: unknown, publicUrl: string): SlackMessage {
  const p = obj(payload);
  const type = str(p.type);
  const data = obj(p.data);
  const dash = dashboardBase(publicUrl);
  switch (type) {
    case 'budget.threshold_crossed':
      return budgetMessage(data, dash);
    case 'spend.anomaly':
      return anomalyMessage(data, dash);
    case 'digest.created':
      return digestMessage(data, dash);
    case 'reconciliation.drift':
      return driftMessage(data, dash);
    default:
      return message(escapeMrkdwn(`Crossover: ${type || 'event'}`), [header(`Crossover: ${type || 'event'}`), context([link('Open Crossover', `${dash}#/`)])]);
  }
}
