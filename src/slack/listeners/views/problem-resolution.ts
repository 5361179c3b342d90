import type { App } from '@slack/bolt';
import { TEXT_LIMITS } from '../../../engine/bounds.js';
import { FIELDS, VIEWS } from '../../action-ids.js';
import type { ListenerDeps } from '../context.js';
import { submitModal } from './submit-modal.js';

export function registerProblemResolution(app: App, deps: ListenerDeps): void {
  app.view(VIEWS.problemResolution, async ({ ack, body }) => {
    await submitModal(
      deps,
      body,
      ack,
      { ...FIELDS.resolution, what: 'how the problem was resolved', max: TEXT_LIMITS.resolution },
      (resolution, meta) => ({
        type: 'resolve-problem',
        problemId: meta.problemId,
        resolution,
      }),
    );
  });
}
