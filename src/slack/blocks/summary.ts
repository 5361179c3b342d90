// The closing message of a completed upgrade: durations, failover gap, and who confirmed each step.
import type { DateTime } from 'luxon';
import { type Plan, planOf, summarize, type UpgradeSummary } from '../../engine/index.js';
import { stepOf } from '../../engine/state-queries.js';
import { capitalise } from '../../engine/words.js';
import type { RenderedMessage, UpgradeSnapshot } from '../../services/ports/slack.js';
import { ticketText } from './facts.js';
import { chunkLines, escapeText, humanDuration, slackDate, truncate, user, users } from './format.js';
import { type Block, context, header, section } from './kit.js';
import { applianceWords } from './labels.js';
import { SLACK_LIMITS } from './limits.js';

// Header, totals, the "who confirmed what" title and a context line leave this many for step lists.
const MAX_STEP_SECTIONS = 40;

function evidenceSuffix(step: UpgradeSummary['steps'][number]): string {
  const verified = step.verified;
  if (step.status !== 'done' || !verified) return '';
  if (verified.outcome === 'agreed') return ` · 🛰️ ${escapeText(truncate(verified.text, 200))}`;
  if (verified.outcome === 'overridden') {
    return ` · ⚠️ confirmed without the appliance by ${users(verified.by ? [verified.by] : [])}: ${escapeText(truncate(verified.reason ?? '', 200))} (${escapeText(truncate(verified.text, 150))})`;
  }
  return '';
}

function summaryStepLine(plan: Plan, step: UpgradeSummary['steps'][number]): string {
  const critical = stepOf(plan, step.key)?.critical ? ' 👥' : '';
  const title = `*${escapeText(step.title)}*${critical}`;
  switch (step.status) {
    case 'done':
      return `✅ ${title}: ${users(step.by)}${step.at ? ` · ${slackDate(step.at)}` : ''}${evidenceSuffix(step)}`;
    case 'skipped':
      return `⏭️ ${title}: skipped by ${users(step.by)}: ${escapeText(truncate(step.reason ?? 'no reason given', 300))}`;
    case 'awaiting-second':
      return `⏳ ${title}: confirmed by ${users(step.by)} only, no second person`;
    default:
      return `◻️ ${title}: not done`;
  }
}

function totalsText(snapshot: UpgradeSnapshot, summary: UpgradeSummary): string {
  const { state } = snapshot;
  const lines = [
    `*Total:* ${humanDuration(summary.total)} (started ${slackDate(state.startedAt)}${state.endedAt ? `, finished ${slackDate(state.endedAt)}` : ''})`,
  ];
  for (const span of summary.perAppliance) {
    lines.push(
      `• ${capitalise(applianceWords(snapshot.plan, span.appliance))}: ${humanDuration(span.duration)} (${slackDate(span.from)} to ${slackDate(span.to)})`,
    );
  }
  if (summary.failoverOff !== null)
    lines.push(`*Failover was off for:* ${humanDuration(summary.failoverOff)}`);
  return lines.join('\n');
}

export function completionMessage(snapshot: UpgradeSnapshot, now: DateTime): RenderedMessage {
  const plan = planOf(snapshot.state);
  const summary = summarize(snapshot.state, now);
  const stepSections = chunkLines(
    summary.steps.map((s) => summaryStepLine(plan, s)),
    SLACK_LIMITS.sectionText,
  ).slice(0, MAX_STEP_SECTIONS);
  const ticket = ticketText(snapshot);
  const blocks: Block[] = [
    header(`🏁 Upgrade completed: ${plan.title}`),
    section(totalsText(snapshot, summary), { blockId: 'summary:totals' }),
    section('*Who confirmed what* (👥 = needed two people)', { blockId: 'summary:steps' }),
    ...stepSections.map((text, i) => section(text, { blockId: `summary:steps:${i + 1}` })),
    context([`Lead ${user(snapshot.state.lead)}${ticket ? ` · ticket ${ticket}` : ''}`]),
  ];
  return {
    text: truncate(
      `🏁 The PRA upgrade (${plan.title}) is completed after ${humanDuration(summary.total)}.${summary.failoverOff !== null ? ` Failover was off for ${humanDuration(summary.failoverOff)}.` : ''}`,
      SLACK_LIMITS.messageText,
    ),
    blocks,
  };
}
