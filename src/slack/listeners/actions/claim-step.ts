import type { App } from '@slack/bolt';
import { ACTIONS } from '../../action-ids.js';
import type { ListenerDeps } from '../context.js';
import { handleAction, stepButton } from './step-action.js';

/** "I'm on it". */
export function registerClaimStep(app: App, deps: ListenerDeps): void {
  app.action(ACTIONS.claimStep, async ({ ack, body, respond }) => {
    await handleAction(
      deps,
      ack,
      body,
      respond,
      stepButton((step) => ({ type: 'claim', step })),
    );
  });
}
