import type { App } from '@slack/bolt';
import { FIELDS, VIEWS } from '../../action-ids.js';
import type { ListenerDeps } from '../context.js';
import { registerModalSubmission } from './submit-modal.js';

export function registerSkipReason(app: App, deps: ListenerDeps): void {
  registerModalSubmission(
    app,
    deps,
    VIEWS.skipReason,
    { ...FIELDS.reason, what: 'why this step is skipped' },
    (reason, meta) => (meta.step ? { type: 'skip', step: meta.step, reason } : null),
  );
}
