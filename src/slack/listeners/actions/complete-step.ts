import type { App } from '@slack/bolt';
import { ACTIONS } from '../../action-ids.js';
import type { ListenerDeps } from '../context.js';
import { registerButton, stepButton } from './step-action.js';

const completeButton = stepButton((step) => ({ type: 'complete', step }));

/** "Done" / "Confirm as second person". */
export function registerCompleteStep(app: App, deps: ListenerDeps): void {
  registerButton(app, deps, ACTIONS.completeStep, completeButton);
}
