// Pieces of text derived from an upgrade's state, shared by the overview, topic, Home tab and replies.
import type { DateTime } from 'luxon';
import {
  failoverIsBroken,
  isPairPlan,
  later,
  openProblems,
  type Plan,
  planOf,
  progressCounts,
  readySteps,
  type UpgradeState,
} from '../../engine/index.js';
import type { UpgradeSnapshot } from '../../services/ports/slack.js';
import {
  escapeText,
  fitLines,
  humanBetween,
  humanDuration,
  slackDate,
  truncate,
  user,
  zonedTime,
} from './format.js';
import { methodLabel, statusEmoji, statusLabel, switchLabel } from './labels.js';

export function planOfSnapshot(snapshot: UpgradeSnapshot): Plan {
  return planOf(snapshot.state);
}

/** User-typed names are escaped and kept short: they appear in fields, topics and titles. */
export function ticketText(snapshot: UpgradeSnapshot, max = 80): string | null {
  return snapshot.ticket ? escapeText(truncate(snapshot.ticket.trim(), max)) : null;
}

export function applianceName(name: string | null): string {
  return name ? escapeText(truncate(name.trim(), 120)) : '_not named_';
}

export function progressText(plan: Plan, state: UpgradeState): string {
  const p = progressCounts(plan, state);
  const waiting = p.awaitingSecond > 0 ? ` (${p.awaitingSecond} awaiting a second person)` : '';
  return `${p.resolved}/${p.total} steps${waiting}`;
}

/** `▓▓▓░░░░░░░ 12/31`: ten cells, for the Home tab. */
export function progressBar(plan: Plan, state: UpgradeState): string {
  const p = progressCounts(plan, state);
  const filled = p.total === 0 ? 0 : Math.round((p.resolved / p.total) * 10);
  return `${'▓'.repeat(filled)}${'░'.repeat(10 - filled)} ${p.resolved}/${p.total}`;
}

export function statusText(state: UpgradeState): string {
  const label = `${statusEmoji(state.status)} ${statusLabel(state.status)}`;
  switch (state.status) {
    case 'blocked': {
      const base = openProblems(state).filter((p) => p.base);
      return base.length > 0 ? `${label} (problem ${base.map((p) => `#${p.id}`).join(', ')})` : label;
    }
    case 'completed':
      return state.endedAt ? `${label} ${slackDate(state.endedAt)}` : label;
    case 'aborted':
      return state.abortReason ? `${label}: ${escapeText(truncate(state.abortReason, 300))}` : label;
    default:
      return label;
  }
}

/** The failover state in words, or null for plans without a failover pair. */
export function failoverText(snapshot: UpgradeSnapshot, now: DateTime): string | null {
  const { state } = snapshot;
  if (!isPairPlan(state.plan)) return null;
  const { brokenAt, restoredAt, syncConfirmedAt, syncConfirmedBy } = state.failover;
  if (brokenAt === null) return 'on (not broken yet)';
  if (restoredAt === null) {
    return `*OFF* since ${slackDate(brokenAt)} (${humanBetween(brokenAt, now)} so far, limit ${humanDuration(state.timing.failoverGapLimit)})`;
  }
  const sync = syncConfirmedAt
    ? `first sync confirmed${syncConfirmedBy ? ` by ${user(syncConfirmedBy)}` : ''}`
    : 'first sync not confirmed yet';
  return `on: re-established after ${humanBetween(brokenAt, restoredAt)}; ${sync}`;
}

/**
 * The warning line that opens the overview and every runbook part while failover is broken: since
 * when, the limit, and when the next reminder comes. Null while failover is on (or never was a pair).
 */
export function failoverBanner(snapshot: UpgradeSnapshot): string | null {
  const { state } = snapshot;
  if (!isPairPlan(state.plan) || !failoverIsBroken(state) || !state.failover.brokenAt) return null;
  const limit = state.timing.failoverGapLimit;
  // The reminder table knows the real next one (after snoozes and repeats); before the first is
  // scheduled, it is due at the limit.
  const next = snapshot.nextFailoverReminderAt ?? later(state.failover.brokenAt, limit);
  return `🚨 *Failover is OFF* since ${slackDate(state.failover.brokenAt)} · limit ${humanDuration(limit)} · next reminder ${slackDate(next)}. Re-establish it as soon as both appliances are updated and verified.`;
}

/** `failover OFF` and friends, for the channel topic. */
export function failoverShort(state: UpgradeState): string | null {
  if (!isPairPlan(state.plan)) return null;
  if (failoverIsBroken(state)) return 'failover OFF';
  return state.failover.restoredAt ? 'failover re-established' : 'failover on';
}

export function methodsText(plan: Plan): string {
  const { options } = plan;
  const lines: string[] = [];
  if (isPairPlan(plan.name)) {
    lines.push(`A: ${methodLabel(options.methodA)} · B: ${methodLabel(options.methodB ?? 'manual')}`);
  } else {
    lines.push(methodLabel(options.methodA));
  }
  if (options.switchMethod) lines.push(`B becomes primary by ${switchLabel(options.switchMethod)}`);
  if (options.baseOnly) lines.push('base software only');
  return lines.join('\n');
}

export function windowsText(snapshot: UpgradeSnapshot): string {
  const plan = planOfSnapshot(snapshot);
  return plan.windows
    .map((appliance) => {
      const window = snapshot.state.windows[appliance];
      const label = plan.windows.length > 1 ? `${appliance.toUpperCase()}: ` : '';
      if (!window) return `${label}not set`;
      return `${label}${slackDate(window.startsAt)} (${zonedTime(window.startsAt, window.zone)}), ${humanDuration(window.length)}`;
    })
    .join('\n');
}

export function applianceText(snapshot: UpgradeSnapshot): string {
  if (isPairPlan(snapshot.plan)) {
    return `A: ${applianceName(snapshot.applianceA)}\nB: ${applianceName(snapshot.applianceB)}`;
  }
  return applianceName(snapshot.applianceA);
}

/**
 * The steps ready now, each a link to the runbook message that shows it when its permalink is known
 * (`link` gives it), else its title alone.
 */
export function readyText(
  plan: Plan,
  state: UpgradeState,
  max: number,
  limit = 8,
  link: (key: string) => string | null = () => null,
): string {
  const ready = readySteps(plan, state);
  if (ready.length === 0) {
    return openProblems(state).length > 0
      ? '_Nothing: an open problem or a second confirmation holds the next steps._'
      : '_Nothing right now._';
  }
  const lines = ready.slice(0, limit).map((s) => {
    const number = plan.steps.indexOf(s) + 1;
    const title = `${number}. ${escapeText(s.title)}`;
    const url = link(s.key);
    return url ? `• <${url}|${title}>` : `• ${title}`;
  });
  if (ready.length > limit) lines.push(`…and ${ready.length - limit} more`);
  return fitLines(lines, max);
}

export function isOpen(state: UpgradeState): boolean {
  return state.status === 'active' || state.status === 'blocked';
}
