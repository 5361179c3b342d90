import { refuse } from '../refusals.js';
import { instant } from '../time.js';
import { windowReminders } from '../time-rules.js';
import type { Command } from '../types.js';
import { windowProblem } from '../windows.js';
import type { CommandHandler } from './context.js';

/** Records (or moves) a maintenance window and re-plans its reminders. */
export const setWindow: CommandHandler<Extract<Command, { type: 'set-window' }>> = ({
  state,
  plan,
  command,
  now,
}) => {
  const problem = windowProblem(plan, command.appliance, command.window, now);
  if (problem) return refuse(problem.reason, problem.message);
  const current = state.windows[command.appliance];
  if (
    current &&
    instant(current.startsAt).equals(instant(command.window.startsAt)) &&
    current.length === command.window.length &&
    current.zone === command.window.zone
  ) {
    return refuse('ALREADY_DONE', 'That maintenance window is already recorded.', { duplicate: true });
  }
  state.windows[command.appliance] = command.window;
  return {
    ok: true,
    next: state,
    effects: [
      { type: 'window-set', appliance: command.appliance, window: command.window, by: command.actor.userId },
      ...windowReminders(command.appliance, command.window, state, now),
    ],
  };
};
