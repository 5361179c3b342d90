import { DateTime } from 'luxon';
import { refuse } from '../refusals.js';
import { reminderStillApplies } from '../reminders.js';
import { instant, later, shorter, stamp } from '../time.js';
import { cancel, schedule } from '../time-rules.js';
import type { Command, Effect } from '../types.js';
import type { CommandHandler } from './context.js';

/**
 * Postpones a reminder. The failover-gap reminder is never silenced for longer than its limit (a day's
 * snooze on a four-hour limit comes back after four hours), and a window reminder never past the start
 * of its window.
 */
export const snooze: CommandHandler<Extract<Command, { type: 'snooze' }>> = ({
  state,
  plan,
  command,
  now,
}) => {
  const { reminder } = command;
  if (!reminderStillApplies(state, plan, reminder)) {
    return refuse('ALREADY_DONE', 'That reminder no longer applies, so there is nothing to snooze.', {
      duplicate: true,
    });
  }
  const id = [reminder.rule, reminder.scope ?? '-', reminder.anchor, reminder.occurrence].join('|');
  const earlier = state.snoozed[id];
  if (earlier)
    return refuse('ALREADY_DONE', `That reminder is already snoozed until ${earlier}.`, { duplicate: true });
  const requested = command.duration;
  let until = later(
    now,
    reminder.rule === 'FAILOVER_GAP' ? shorter(requested, state.timing.failoverGapLimit) : requested,
  );
  const effects: Effect[] = [];
  if (reminder.rule === 'WINDOW_START') {
    const opens = instant(reminder.anchor);
    if (opens <= now)
      return refuse(
        'INVALID_INPUT',
        'That maintenance window has already opened; there is nothing left to remind of.',
      );
    until = stamp(DateTime.min(instant(until), opens) ?? opens);
  } else {
    // A chain (failover gap, sync, clients…) has one pending reminder: the snoozed one replaces it.
    effects.push(cancel(reminder.rule, reminder.scope));
  }
  state.snoozed[id] = until;
  return {
    ok: true,
    next: state,
    effects: [
      { type: 'reminder-snoozed', rule: reminder.rule, scope: reminder.scope, requested, until },
      ...effects,
      schedule(
        reminder.rule,
        reminder.scope,
        reminder.anchor,
        until,
        reminder.occurrence + 1,
        `snoozed-${stamp(now)}`,
      ),
    ],
  };
};
