import type { App } from '@slack/bolt';
import { ACTIONS } from '../../action-ids.js';
import type { ListenerDeps } from '../context.js';
import { handleAction, stepButton } from './step-action.js';

/** "Done" / "Confirm as second person". */
export function registerCompleteStep(app: App, deps: ListenerDeps): void {
  app.action(ACTIONS.completeStep, async ({ ack, body, respond }) => {
    await handleAction(
      deps,
      ack,
      body,
      respond,
      stepButton((step) => ({ type: 'complete', step })),
    );
  });
}
