import type { DateTime } from 'luxon';
import type { TimeRule, WindowAppliance } from './constants.js';
import { duration, FAILOVER_GAP_REPEAT_CAP, instant, later, shorter, stamp } from './time.js';
import type {
  Effect,
  IsoDuration,
  MaintenanceWindow,
  ReminderSpec,
  Timestamp,
  UpgradeState,
} from './types.js';

/** Reminders are effects with due times; the database keeps them, the engine never sets a timer. */
export function schedule(
  rule: TimeRule,
  scope: string | null,
  anchor: Timestamp,
  dueAt: Timestamp,
  occurrence = 1,
  variant = '',
): Effect {
  const reminder: ReminderSpec = {
    rule,
    scope,
    anchor,
    dueAt,
    occurrence,
    key: [rule, scope ?? '-', anchor, variant, occurrence].filter((part) => part !== '').join('|'),
  };
  return { type: 'reminder-scheduled', reminder };
}

export function cancel(rule: TimeRule | null, scope: string | null = null): Effect {
  return { type: 'reminders-cancelled', rule, scope };
}

export const FAILOVER_SCOPE = 'failover';

export function failoverGapRepeat(limit: IsoDuration): IsoDuration {
  return shorter(limit, FAILOVER_GAP_REPEAT_CAP);
}

export function firstFailoverGapReminder(
  state: UpgradeState,
  brokenAt: Timestamp,
  now: DateTime,
  variant = '',
): Effect {
  const due = later(brokenAt, state.timing.failoverGapLimit);
  const dueAt = instant(due) < now ? stamp(now) : due;
  return schedule('FAILOVER_GAP', FAILOVER_SCOPE, brokenAt, dueAt, 1, variant);
}

/** A day and 15 minutes before the window, and a warning once its expected length has passed. */
export function windowReminders(
  appliance: WindowAppliance,
  window: MaintenanceWindow,
  state: UpgradeState,
  now: DateTime,
): Effect[] {
  const start = instant(window.startsAt).setZone(window.zone);
  const anchor = stamp(start);
  const effects: Effect[] = [cancel('WINDOW_START', appliance), cancel('WINDOW_OVERRUN', appliance)];
  for (const lead of state.timing.windowStartLeadTimes) {
    // Calendar arithmetic in the team's zone: "a day before" keeps the local hour across a DST change.
    const due = start.minus(duration(lead));
    if (due > now) effects.push(schedule('WINDOW_START', appliance, anchor, stamp(due), 1, lead));
  }
  const end = later(anchor, window.length);
  if (instant(end) > now) effects.push(schedule('WINDOW_OVERRUN', appliance, anchor, end));
  return effects;
}
