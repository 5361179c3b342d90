import type { App } from '@slack/bolt';
import { ACTIONS } from '../../action-ids.js';
import type { ListenerDeps } from '../context.js';
import { registerButton, stepButton } from './step-action.js';

// Check buttons share a prefix so each one in a block keeps a unique action_id (`step.check:keys`).
const CHECK_ACTION = new RegExp(`^${ACTIONS.confirmCheck.replace('.', '\\.')}(:[a-z0-9-]+)?$`);

/** A step's check, such as "Keys match" before Establish Relationship. */
export function registerConfirmCheck(app: App, deps: ListenerDeps): void {
  registerButton(
    app,
    deps,
    CHECK_ACTION,
    stepButton((step, value) => (value.check ? { type: 'confirm-check', step, check: value.check } : null)),
  );
}
