// A message in the upgrade channel for one effect or one due reminder. Announced effects get their
// own wording; the rest (which only change the runbook) still render, tersely, should one be sent.
import type { DateTime } from 'luxon';
import {
  BASE_PROBLEM_GUIDANCE,
  type Effect,
  later,
  ORDERING_RULE_REASONS,
  type Plan,
  planOf,
} from '../../engine/index.js';
import { stepOf, titleOf } from '../../engine/state-queries.js';
import type { RenderedMessage, UpgradeSnapshot } from '../../services/ports/slack.js';
import type { Notice } from '../../services/shared/outbox-messages.js';
import {
  escapeKeepingTokens,
  escapeText,
  humanBetween,
  humanDuration,
  quoted,
  slackDate,
  truncate,
  user,
  users,
  zonedTime,
} from './format.js';
import { type Block, context, header, section } from './kit.js';
import { applianceWords, optionLabel, reminderLabel } from './labels.js';
import { SLACK_LIMITS } from './limits.js';
import { problemLine, resolveButton } from './overview.js';
import { reminderMessage, snoozeWasCapped } from './reminder.js';
import { completionMessage } from './summary.js';

function quotedTitle(plan: Plan, key: string): string {
  return quoted(titleOf(plan, key));
}

function simple(text: string, extra: Block[] = []): RenderedMessage {
  return { text: truncate(text, SLACK_LIMITS.messageText), blocks: [section(text), ...extra] };
}

function problemReported(
  snapshot: UpgradeSnapshot,
  plan: Plan,
  effect: Extract<Effect, { type: 'problem-reported' }>,
): RenderedMessage {
  const problem = snapshot.state.problems.find((p) => p.id === effect.problemId) ?? {
    id: effect.problemId,
    step: effect.step,
    by: effect.by,
    at: snapshot.state.startedAt,
    description: effect.description,
    base: effect.base,
    resolvedBy: null,
    resolvedAt: null,
    resolution: null,
  };
  const line = problemLine(plan, { ...problem, description: effect.description, base: effect.base });
  const open = problem.resolvedAt === null;
  return {
    text: truncate(
      `⚠️ Problem #${effect.problemId} reported on ${quotedTitle(plan, effect.step)} by ${user(effect.by)}: ${escapeText(effect.description)}`,
      SLACK_LIMITS.messageText,
    ),
    blocks: [
      section(
        line,
        // Once resolved, a re-render must not offer the button again: that would invite a second resolution.
        open
          ? {
              blockId: `problem:${effect.problemId}`,
              accessory: resolveButton(snapshot.id, effect.problemId),
            }
          : { blockId: `problem:${effect.problemId}` },
      ),
    ],
  };
}

function guidance(effect: Extract<Effect, { type: 'guidance' }>): RenderedMessage {
  const base = effect.kind === 'base-problem';
  const title = base ? '🛑 Do not restart the appliance' : '⚠️ Failover is still broken';
  // The guide's exact words for a base-update problem, whatever the effect carries.
  const message = escapeKeepingTokens(
    base && !effect.message.includes(BASE_PROBLEM_GUIDANCE)
      ? `${BASE_PROBLEM_GUIDANCE} ${effect.message}`
      : effect.message,
  );
  return {
    text: truncate(`${title}: ${message}`, SLACK_LIMITS.messageText),
    blocks: [header(title), section(`*${message}*`, { blockId: `guidance:${effect.kind}` })],
  };
}

function effectMessage(snapshot: UpgradeSnapshot, effect: Effect, now: DateTime): RenderedMessage {
  const plan = planOf(snapshot.state);
  const { state } = snapshot;
  switch (effect.type) {
    case 'warning':
      return simple(`⚠️ ${escapeKeepingTokens(effect.message)}`, [context([`Warning ${effect.code}`])]);
    case 'guidance':
      return guidance(effect);
    case 'problem-reported':
      return problemReported(snapshot, plan, effect);
    case 'problem-resolved': {
      const problem = state.problems.find((p) => p.id === effect.problemId);
      const where = problem ? ` on ${quotedTitle(plan, problem.step)}` : '';
      return simple(
        `✅ Problem #${effect.problemId}${where} resolved by ${user(effect.by)}: ${escapeText(truncate(effect.resolution, 2000))}`,
      );
    }
    case 'upgrade-blocked':
      return simple(
        `⏸️ *The upgrade is on hold* until problem #${effect.problemId} is resolved: it happened during a base software update. Use the *Resolved…* button once it is sorted.`,
      );
    case 'upgrade-unblocked':
      return simple('▶️ *The upgrade can continue*: no base software problem is open any more.');
    case 'option-changed':
      return simple(
        `🔧 ${user(effect.by)} changed ${optionLabel(effect.option)} from \`${escapeText(effect.from)}\` to \`${escapeText(effect.to)}\`. The runbook above now follows the new plan.`,
      );
    case 'window-set':
      return simple(
        `🗓️ ${user(effect.by)} set the maintenance window for ${applianceWords(snapshot.plan, effect.appliance)}: ${slackDate(effect.window.startsAt)} (${zonedTime(effect.window.startsAt, effect.window.zone)}), ${humanDuration(effect.window.length)}.`,
      );
    case 'lead-reassigned':
      return simple(`👤 ${user(effect.by)} made ${user(effect.to)} the lead (was ${user(effect.from)}).`);
    case 'failover-gap-opened': {
      const limit = state.timing.failoverGapLimit;
      return simple(
        `🔓 *Failover is OFF* since ${slackDate(effect.at)}. The limit is ${humanDuration(limit)}: if failover is not re-established by ${slackDate(later(effect.at, limit))}, the first reminder goes to the lead, and later ones to the whole channel.`,
        [context(['Rule `FAILOVER_GAP`'])],
      );
    }
    case 'failover-gap-closed':
      return simple(
        `🔒 *Failover is re-established* (${slackDate(effect.at)}). It was off for ${humanDuration(effect.duration)}, since ${slackDate(effect.openedAt)}. The first sync starts after about 60 seconds; confirm its date and time once the Failover page shows it.`,
      );
    case 'failover-gap-reopened':
      return simple(
        `🔓 *Failover is OFF again*: re-establishing was undone ${slackDate(effect.at)}. It has been off since ${state.failover.brokenAt ? `${slackDate(state.failover.brokenAt)} (${humanBetween(state.failover.brokenAt, now)})` : 'the break'}; the reminders start again.`,
      );
    case 'failover-gap-withdrawn':
      return simple(
        `↩️ The break of the failover relationship was undone ${slackDate(effect.at)}: failover counts as on again and the failover-gap reminders stop.`,
      );
    case 'sync-confirmed':
      return simple(
        `✅ ${user(effect.by)} confirmed the date and time of the first sync after re-establishing failover.`,
      );
    case 'upgrade-completed':
      return completionMessage(snapshot, now);
    case 'upgrade-aborted':
      return simple(
        `🛑 ${user(effect.by)} aborted the upgrade: ${escapeText(truncate(effect.reason, 2000))}`,
      );
    case 'reminder-snoozed': {
      const capped = snoozeWasCapped(effect.rule, effect.requested, state.timing.failoverGapLimit)
        ? ` (asked for ${humanDuration(effect.requested)}; the failover-gap reminder never sleeps past its limit)`
        : '';
      return simple(
        `😴 The ${reminderLabel(effect.rule)} reminder is snoozed until ${slackDate(effect.until)}${capped}.`,
        [context([`Rule \`${effect.rule}\``])],
      );
    }
    case 'upgrade-started':
      return simple(
        `🚀 ${user(effect.lead)} started a \`${effect.plan}\` upgrade: ${escapeText(plan.title)}.`,
      );
    case 'step-claimed':
      return simple(`🙋 ${user(effect.by)} is on ${quotedTitle(plan, effect.step)}.`);
    case 'step-confirmed':
      return simple(
        `☑️ ${user(effect.by)} confirmed ${quotedTitle(plan, effect.step)}; it needs a second person.`,
      );
    case 'step-completed':
      return simple(`✅ ${quotedTitle(plan, effect.step)} done by ${effect.by.map(user).join(' and ')}.`);
    case 'step-skipped':
      return simple(
        `⏭️ ${user(effect.by)} skipped ${quotedTitle(plan, effect.step)}: ${escapeText(truncate(effect.reason, 1000))}`,
      );
    case 'check-confirmed': {
      const check = stepOf(plan, effect.step)?.checks.find((c) => c.id === effect.check);
      return simple(
        `☑️ ${user(effect.by)} confirmed “${escapeText(check?.title ?? effect.check)}” on ${quotedTitle(plan, effect.step)}${check ? `: ${ORDERING_RULE_REASONS[check.rule]}` : ''}.`,
        check ? [context([`Rule \`${check.rule}\``])] : [],
      );
    }
    case 'step-undone':
      return simple(
        `↩️ ${user(effect.by)} undid ${quotedTitle(plan, effect.step)} (it was ${effect.previous}).`,
      );
    case 'reminder-scheduled':
      return simple(`⏰ A ${effect.reminder.rule} reminder is due ${slackDate(effect.reminder.dueAt)}.`);
    case 'verification-started':
      return simple(`🔎 Checking ${titleOf(plan, effect.step)} with the appliances…`);
    case 'step-verified':
      return simple(`🛰️ ${titleOf(plan, effect.step)}: ${escapeText(truncate(effect.evidence, 1000))}.`);
    case 'verification-noted':
      return simple(
        `${effect.outcome === 'disagreed' ? '❌' : '⚠️'} ${titleOf(plan, effect.step)}: ${escapeText(truncate(effect.text, 1000))}.`,
      );
    case 'verification-overridden':
      return simple(
        `⚠️ ${user(effect.by)} confirmed ${titleOf(plan, effect.step)} without the appliance (${escapeText(truncate(effect.why, 500))}): ${escapeText(truncate(effect.reason, 1000))}`,
      );
    case 'sync-observed':
      return simple(
        `✅ ${escapeText(effect.appliance.toUpperCase())} reports a data sync at ${slackDate(effect.lastSyncAt)}, after failover was re-established: the first sync is confirmed by the appliance.`,
      );
    case 'jump-clients-counted':
      return simple(
        effect.pending === 0
          ? `✅ No Jump Client waits to upgrade any more (${effect.total} in all).`
          : `⏳ ${effect.pending} of ${effect.total} Jump Clients still wait to upgrade.`,
      );
    case 'reminders-cancelled':
      return simple(
        `🔕 ${effect.rule ?? 'All'} reminders${effect.scope ? ` for ${escapeText(effect.scope)}` : ''} are cancelled.`,
      );
  }
}

export function noticeMessage(snapshot: UpgradeSnapshot, notice: Notice, now: DateTime): RenderedMessage {
  switch (notice.kind) {
    case 'effect':
      return effectMessage(snapshot, notice.effect, now);
    case 'reminder':
      return reminderMessage(snapshot, notice.notice, notice.reminder, now);
    case 'participants-added':
      return simple(
        `👥 ${user(notice.by)} added ${users(notice.added)} as ${notice.added.length === 1 ? 'a participant' : 'participants'}.`,
      );
    case 'lead-alone':
      return simple(
        `👤 ${user(notice.left)} was the last participant besides the lead ${user(notice.lead)}, who alone can act on this upgrade now; reminders go on. Add people with \`/pra-upgrade add @someone\`.`,
      );
    case 'text':
      return simple(notice.text);
  }
}
