import type { App } from '@slack/bolt';
import { ACTIONS } from '../../action-ids.js';
import { decode, upgradeButtonValue } from '../../values.js';
import type { ListenerDeps } from '../context.js';
import { handleAction } from './step-action.js';

/** "Sync date/time confirmed" on the SYNC_CONFIRM reminder. */
export function registerConfirmSync(app: App, deps: ListenerDeps): void {
  app.action(ACTIONS.confirmSync, async ({ ack, body, respond }) => {
    await handleAction(deps, ack, body, respond, {
      read: (action) => decode(upgradeButtonValue, action.value),
      toCommand: () => ({ type: 'confirm-sync' }),
    });
  });
}
