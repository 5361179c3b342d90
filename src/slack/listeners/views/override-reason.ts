import type { App } from '@slack/bolt';
import { TEXT_LIMITS } from '../../../engine/bounds.js';
import { FIELDS, VIEWS } from '../../action-ids.js';
import type { ListenerDeps } from '../context.js';
import { registerModalSubmission } from './submit-modal.js';

/** The reason to confirm a step (or check) although its appliance could not be asked. */
export function registerOverrideReason(app: App, deps: ListenerDeps): void {
  registerModalSubmission(
    app,
    deps,
    VIEWS.overrideReason,
    { ...FIELDS.reason, what: 'how you checked it instead', max: TEXT_LIMITS.reason },
    (reason, meta) => {
      if (!meta.step) return null;
      return meta.check
        ? { type: 'confirm-check', step: meta.step, check: meta.check, override: reason }
        : { type: 'complete', step: meta.step, override: reason };
    },
  );
}
