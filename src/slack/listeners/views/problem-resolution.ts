import type { App } from '@slack/bolt';
import { FIELDS, VIEWS } from '../../action-ids.js';
import type { ListenerDeps } from '../context.js';
import { submitModal } from './submit-modal.js';

export function registerProblemResolution(app: App, deps: ListenerDeps): void {
  app.view(VIEWS.problemResolution, async ({ ack, body }) => {
    await submitModal(
      deps,
      body,
      ack,
      { ...FIELDS.resolution, what: 'how the problem was resolved' },
      (resolution, meta) => ({
        type: 'resolve-problem',
        problemId: meta.problemId,
        resolution,
      }),
    );
  });
}
