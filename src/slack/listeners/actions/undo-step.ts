import type { App } from '@slack/bolt';
import { ACTIONS } from '../../action-ids.js';
import type { ListenerDeps } from '../context.js';
import { registerButton, stepButton } from './step-action.js';

const undoButton = stepButton((step) => ({ type: 'undo', step }));

/** "Undo" (the engine keeps it for the lead). */
export function registerUndoStep(app: App, deps: ListenerDeps): void {
  registerButton(app, deps, ACTIONS.undoStep, undoButton);
}
