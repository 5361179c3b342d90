import type { App } from '@slack/bolt';
import { FIELDS, VIEWS } from '../../action-ids.js';
import type { ListenerDeps } from '../context.js';
import { registerModalSubmission } from './submit-modal.js';

export function registerProblemReport(app: App, deps: ListenerDeps): void {
  registerModalSubmission(
    app,
    deps,
    VIEWS.problemReport,
    { ...FIELDS.description, what: 'what went wrong' },
    (description, meta) => (meta.step ? { type: 'report-problem', step: meta.step, description } : null),
  );
}
