import type { App } from '@slack/bolt';
import { ACTIONS } from '../../action-ids.js';
import { decode, snoozeButtonValue } from '../../values.js';
import type { ListenerDeps } from '../context.js';
import { registerButton } from './step-action.js';

// One button per duration, each with its own action_id: `reminder.snooze.PT1H`.
const SNOOZE_ACTION = new RegExp(`^${ACTIONS.snoozeReminder.replace('.', '\\.')}\\.`);

/** "Snooze 1 h" on a reminder; the engine caps the failover-gap reminder at its limit. */
export function registerSnoozeReminder(app: App, deps: ListenerDeps): void {
  registerButton(app, deps, SNOOZE_ACTION, {
    read: (action) => decode(snoozeButtonValue, action.value),
    toCommand: (value) => ({ type: 'snooze', reminder: value.reminder, duration: value.duration }),
  });
}
