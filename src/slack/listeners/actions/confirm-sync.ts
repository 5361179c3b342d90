import type { App } from '@slack/bolt';
import { ACTIONS } from '../../action-ids.js';
import { decode, upgradeButtonValue } from '../../values.js';
import type { ListenerDeps } from '../context.js';
import { registerButton } from './step-action.js';

/** "Sync date/time confirmed" on the SYNC_CONFIRM reminder. */
export function registerConfirmSync(app: App, deps: ListenerDeps): void {
  registerButton(app, deps, ACTIONS.confirmSync, {
    read: (action) => decode(upgradeButtonValue, action.value),
    toCommand: () => ({ type: 'confirm-sync' }),
  });
}
