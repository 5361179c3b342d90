import type { App } from '@slack/bolt';
import { ACTIONS } from '../../action-ids.js';
import type { ListenerDeps } from '../context.js';
import { registerButton, stepButton } from './step-action.js';

const claimButton = stepButton((step) => ({ type: 'claim', step }));

/** "I'm on it". */
export function registerClaimStep(app: App, deps: ListenerDeps): void {
  registerButton(app, deps, ACTIONS.claimStep, claimButton);
}
