import { formatUsd, truncate } from './format.js';
import { anomalyText, budgetText, changeText, spendText, stakeText, verdictCounts, verdictText } from './markdown.js';
import type { DigestView } from './model.js';

/*
 * Slack incoming-webhook messages (https://api.slack.com/messaging/webhooks): `text` is the notification's
 * fallback, `blocks` the message. Tenant text (workload slugs, budget names, customers) is escaped for mrkdwn
 * (&, <, > only; https://api.slack.com/reference/surfaces/formatting#escaping) and every text is bounded by
 * Slack's limits, cut at line boundaries so no escape or link is ever split.
 */

/** Slack's limits: a section's text, a header's text, context elements, blocks per message. */
export const SLACK_SECTION_MAX = 3000;
export const SLACK_HEADER_MAX = 150;
export const SLACK_CONTEXT_ELEMENTS_MAX = 10;
export const SLACK_BLOCKS_MAX = 50;
/** A tenant-chosen name is cut to this many characters before escaping (a 10 kB budget name stays one line). */
export const SLACK_NAME_MAX = 200;

export interface SlackText {
  type: 'mrkdwn' | 'plain_text';
  text: string;
}
export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string } }
  | { type: 'section'; text: SlackText }
  | { type: 'context'; elements: SlackText[] }
  | { type: 'divider' };

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/** Escapes tenant text for Slack mrkdwn (after cutting it to SLACK_NAME_MAX characters). */
export function esc(text: unknown): string {
  return escapeMrkdwn(truncate(String(text ?? ''), SLACK_NAME_MAX));
}

/** &, < and > as Slack's mrkdwn wants them (nothing cut). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A mrkdwn link; the URL cannot end the link early (<, >, | percent-encoded), the text is escaped. */
export function link(text: string, url: string): string {
  const safe = url.replace(/[<>|]/g, (c) => encodeURIComponent(c)).replace(/&/g, '&amp;');
  return `<${safe}|${esc(text)}>`;
}

/** Lines joined up to `max` characters; the lines that do not fit are replaced by "…" (never cut inside one). */
export function boundedLines(lines: string[], max = SLACK_SECTION_MAX): string {
  let out = '';
  for (const line of lines) {
    const next = out ? `${out}\n${line}` : line;
    // A single line over the limit is cut, and a link or escape the cut split is dropped with it.
    if (next.length > max - 2) return out ? `${out}\n…` : truncate(line, max).replace(/(<[^>]*|&[a-z]*)…$/, '…');
    out = next;
  }
  return out;
}

export function header(text: string): SlackBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, SLACK_HEADER_MAX) } };
}

export function section(lines: string[]): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: boundedLines(lines) } };
}

export function context(texts: string[]): SlackBlock {
  return { type: 'context', elements: texts.slice(0, SLACK_CONTEXT_ELEMENTS_MAX).map((t) => ({ type: 'mrkdwn' as const, text: boundedLines([t]) })) };
}

/** A message within Slack's limits: at most SLACK_BLOCKS_MAX blocks, a fallback text of at most a section's length. */
export function message(text: string, blocks: SlackBlock[]): SlackMessage {
  return { text: truncate(text, SLACK_SECTION_MAX), blocks: blocks.slice(0, SLACK_BLOCKS_MAX) };
}

/**
 * The digest as a Slack message: header (title), the spend line, the top 3 actions with dollars, owner and link,
 * what changed (or where the org stands, the first time), anomalies and budgets, and a context line with the link
 * to the roadmap. `view` may be a digest's stored JSON or a digest.created payload (same fields).
 */
export function digestSlackMessage(d: DigestView): SlackMessage {
  const actions = d.topActions.length
    ? d.topActions.map((a, i) => `${i + 1}. *${stakeText(a)}* — ${esc(a.nextStep)}. Owner: ${esc(a.owner)}. ${link(a.workload ?? a.budget ?? 'open', a.url)}`)
    : ['Nothing to do this week: no workload has savings waiting and no budget is over its limit.'];
  if (d.moreActions > 0) actions.push(`${d.moreActions} more on the ${link('roadmap', d.links.roadmap)}`);
  const blocks: SlackBlock[] = [header(d.title), section([`*Spend:* ${esc(spendText(d))}`]), section(['*Top actions*', ...actions])];
  const s = d.standing;
  if (d.changes.first) {
    blocks.push(
      section([
        '*Where you stand*',
        `${s.workloads} workloads planned${s.workloads ? `: ${esc(verdictCounts(s.verdicts))}` : ''}`,
        `Potential savings *${formatUsd(s.potentialMonthlySavingsUsd)}/month*, ${formatUsd(s.readyMonthlySavingsUsd)} ready now; ${s.waitingOnEvaluation} waiting on an evaluation`,
        ...(s.largest.length ? [`Largest: ${s.largest.map((w) => `${link(w.workload, w.url)} ${formatUsd(w.monthlySpendUsd)}/month (${verdictText(w.verdict)})`).join(', ')}`] : []),
      ]),
    );
  } else {
    const items = d.changes.items.map((c) => `• ${changeText(c, link)}`);
    blocks.push(
      section([
        `*What changed* (${d.changes.count})`,
        ...(d.changes.count ? items : ['No verdict changed and nothing moved by more than 10% since the last digest.']),
        ...(d.changes.more > 0 ? [`and ${d.changes.more} more on the ${link('roadmap', d.links.roadmap)}`] : []),
      ]),
    );
  }
  const watch = [
    ...d.anomalies.items.map((a) => `• Anomaly: ${esc(anomalyText(a))}`),
    ...(d.anomalies.more > 0 ? [`and ${d.anomalies.more} more anomalies`] : []),
    ...d.budgets.items.map((b) => `• Budget ${esc(budgetText(b))}`),
    ...(d.budgets.more > 0 ? [`and ${d.budgets.more} more budgets near or over their limit`] : []),
  ];
  blocks.push(section(['*Anomalies and budgets*', ...(watch.length ? watch : ['No spend anomaly this week; every budget is under 80% of its limit.'])]));
  blocks.push(context([`${link('Roadmap', d.links.roadmap)} · generated ${esc(d.generatedAt.slice(0, 16).replace('T', ' '))} UTC`]));
  const top = d.topActions[0];
  return message(escapeMrkdwn(`${d.title}: ${top ? `top action ${stakeText(top)} — ${top.nextStep}` : 'nothing to do this week'}`), blocks);
}
