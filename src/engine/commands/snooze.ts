import { refuse } from '../refusals.js';
import { reminderStillApplies } from '../reminders.js';
import { later, shorter, stamp } from '../time.js';
import { cancel, schedule } from '../time-rules.js';
import type { Command } from '../types.js';
import type { CommandHandler } from './context.js';

/**
 * Postpones the next reminder of a chain. The failover-gap reminder is never silenced for longer
 * than its limit: a day's snooze on a four-hour limit comes back after four hours.
 */
export const snooze: CommandHandler<Extract<Command, { type: 'snooze' }>> = ({
  state,
  plan,
  command,
  now,
}) => {
  const { reminder } = command;
  if (reminder.rule === 'WINDOW_START') {
    return refuse(
      'INVALID_INPUT',
      'A maintenance window does not move by snoozing; use `/pra-upgrade window` to move it.',
    );
  }
  if (!reminderStillApplies(state, plan, reminder)) {
    return refuse('ALREADY_DONE', 'That reminder no longer applies, so there is nothing to snooze.', {
      duplicate: true,
    });
  }
  const requested = command.duration;
  const granted =
    reminder.rule === 'FAILOVER_GAP' ? shorter(requested, state.timing.failoverGapLimit) : requested;
  const until = later(now, granted);
  return {
    ok: true,
    next: state,
    effects: [
      { type: 'reminder-snoozed', rule: reminder.rule, scope: reminder.scope, requested, until },
      cancel(reminder.rule, reminder.scope),
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
