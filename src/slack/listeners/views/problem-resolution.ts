import type { App } from '@slack/bolt';
import { FIELDS, VIEWS } from '../../action-ids.js';
import type { ListenerDeps } from '../context.js';
import { registerModalSubmission } from './submit-modal.js';

export function registerProblemResolution(app: App, deps: ListenerDeps): void {
  registerModalSubmission(
    app,
    deps,
    VIEWS.problemResolution,
    { ...FIELDS.resolution, what: 'how the problem was resolved' },
    (resolution, meta) => ({
      type: 'resolve-problem',
      problemId: meta.problemId,
      resolution,
    }),
  );
}
