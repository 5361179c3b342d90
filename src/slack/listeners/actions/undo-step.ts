import type { App } from '@slack/bolt';
import { ACTIONS } from '../../action-ids.js';
import type { ListenerDeps } from '../context.js';
import { handleAction, stepButton } from './step-action.js';

/** "Undo" (the engine keeps it for the lead). */
export function registerUndoStep(app: App, deps: ListenerDeps): void {
  app.action(ACTIONS.undoStep, async ({ ack, body, respond }) => {
    await handleAction(
      deps,
      ack,
      body,
      respond,
      stepButton((step) => ({ type: 'undo', step })),
    );
  });
}
