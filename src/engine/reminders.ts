import type { DateTime } from 'luxon';
import type { WindowAppliance } from './constants.js';
import { planOf } from './plan-cache.js';
import { isClosed, isResolved, lastInstallOf, progressOf, stepOf, windowEndStep } from './state-queries.js';
import { duration, elapsed, instant, later, SYNC_CONFIRM_MAX_OCCURRENCES, stamp } from './time.js';
import { failoverGapRepeat, schedule } from './time-rules.js';
import type { IsoDuration, Plan, ReminderRef, ReminderSpec, Timestamp, UpgradeState } from './types.js';

export type Mention = { kind: 'none' } | { kind: 'user'; userId: string } | { kind: 'channel' };

/** What a due reminder says; the Slack layer words it, with dates in each reader's time zone. */
export interface ReminderNotice {
  rule: ReminderRef['rule'];
  occurrence: number;
  mention: Mention;
  scope: string | null;
  /** The step it is about, if any. */
  stepTitle: string | null;
  since: Timestamp;
  elapsed: IsoDuration;
  limit: IsoDuration | null;
  windowStartsAt: Timestamp | null;
  windowZone: string | null;
  /** Buttons offered with the reminder. */
  snoozable: boolean;
}

export type ReminderDecision =
  | { send: true; notice: ReminderNotice; next: ReminderSpec | null }
  | { send: false; reason: string };

const isWindowAppliance = (scope: string | null): scope is WindowAppliance => scope === 'a' || scope === 'b';

/** Is the condition a reminder was scheduled for still true? Checked again when it falls due. */
export function reminderStillApplies(state: UpgradeState, plan: Plan, ref: ReminderRef): boolean {
  if (isClosed(state)) return false;
  const { rule, scope, anchor } = ref;
  switch (rule) {
    case 'FAILOVER_GAP':
      return state.failover.brokenAt === anchor && state.failover.restoredAt === null;
    case 'WINDOW_START':
    case 'WINDOW_OVERRUN': {
      if (isWindowAppliance(scope)) {
        const window = state.windows[scope];
        return (
          window !== undefined &&
          stamp(instant(window.startsAt)) === anchor &&
          !isResolved(progressOf(state, windowEndStep(plan, scope)))
        );
      }
      if (rule === 'WINDOW_START' || scope === null) return false;
      const progress = progressOf(state, scope);
      return progress.claimedAt === anchor && !isResolved(progress);
    }
    case 'INSTALL_AFTER_DOWNLOAD':
      return (
        isWindowAppliance(scope) &&
        progressOf(state, `${scope}.update.fetch`).completedAt === anchor &&
        !isResolved(progressOf(state, lastInstallOf(plan, scope)))
      );
    case 'SYNC_CONFIRM':
      return state.failover.restoredAt === anchor && state.failover.syncConfirmedAt === null;
    case 'CLIENTS_SETTLE':
      return (
        plan.clientsUnlockedBy !== null &&
        progressOf(state, plan.clientsUnlockedBy).completedAt === anchor &&
        stepOf(plan, 'clients.settle') !== undefined &&
        !isResolved(progressOf(state, 'clients.settle'))
      );
    case 'CLAIM_STALE': {
      if (scope === null) return false;
      const progress = progressOf(state, scope);
      return progress.claimedAt === anchor && !isResolved(progress);
    }
  }
}

function mentionFor(state: UpgradeState, ref: ReminderRef, dueAt: Timestamp): Mention {
  const lead: Mention = { kind: 'user', userId: state.lead };
  const claimant = (key: string | null): Mention => {
    const by = key ? progressOf(state, key).claimedBy : null;
    return by ? { kind: 'user', userId: by } : lead;
  };
  switch (ref.rule) {
    case 'FAILOVER_GAP':
      // Escalates: the lead first, then everyone in the channel.
      return ref.occurrence <= 1 ? lead : { kind: 'channel' };
    case 'WINDOW_START':
      return duration('PT1H').toMillis() >= instant(ref.anchor).diff(instant(dueAt)).toMillis()
        ? { kind: 'channel' }
        : { kind: 'none' };
    case 'WINDOW_OVERRUN':
      return isWindowAppliance(ref.scope) ? lead : claimant(ref.scope);
    case 'INSTALL_AFTER_DOWNLOAD': {
      const by = progressOf(state, `${ref.scope}.update.fetch`).confirmations[0]?.by;
      return by ? { kind: 'user', userId: by } : lead;
    }
    case 'SYNC_CONFIRM':
      return ref.occurrence <= 1 ? { kind: 'none' } : lead;
    case 'CLIENTS_SETTLE':
      return { kind: 'none' };
    case 'CLAIM_STALE':
      return claimant(ref.scope);
  }
}

function nextOccurrence(state: UpgradeState, ref: ReminderRef, now: DateTime): ReminderSpec | null {
  const repeatEvery = (every: IsoDuration) => {
    const effect = schedule(ref.rule, ref.scope, ref.anchor, later(now, every), ref.occurrence + 1);
    return effect.type === 'reminder-scheduled' ? effect.reminder : null;
  };
  switch (ref.rule) {
    case 'FAILOVER_GAP':
      return repeatEvery(failoverGapRepeat(state.timing.failoverGapLimit));
    case 'SYNC_CONFIRM':
      return ref.occurrence < SYNC_CONFIRM_MAX_OCCURRENCES
        ? repeatEvery(state.timing.syncConfirmRepeat)
        : null;
    case 'CLIENTS_SETTLE':
      return repeatEvery(state.timing.clientsSettleRepeat);
    default:
      return null;
  }
}

/** Decides, when a reminder falls due, whether it still matters, what it says and when it comes again. */
export function evaluateReminder(
  state: UpgradeState,
  ref: ReminderRef & { dueAt: Timestamp },
  now: DateTime,
): ReminderDecision {
  const plan = planOf(state);
  if (isClosed(state)) return { send: false, reason: `the upgrade is ${state.status}` };
  if (!reminderStillApplies(state, plan, ref))
    return { send: false, reason: 'its condition no longer holds' };
  const window = isWindowAppliance(ref.scope) ? state.windows[ref.scope] : undefined;
  const stepTitle = ref.scope ? (stepOf(plan, ref.scope)?.title ?? null) : null;
  return {
    send: true,
    notice: {
      rule: ref.rule,
      occurrence: ref.occurrence,
      mention: mentionFor(state, ref, ref.dueAt),
      scope: ref.scope,
      stepTitle,
      since: ref.anchor,
      elapsed: elapsed(ref.anchor, now),
      limit: ref.rule === 'FAILOVER_GAP' ? state.timing.failoverGapLimit : null,
      windowStartsAt: window ? window.startsAt : null,
      windowZone: window ? window.zone : null,
      snoozable: true,
    },
    next: nextOccurrence(state, ref, now),
  };
}
