import type { App } from '@slack/bolt';
import { TEXT_LIMITS } from '../../../engine/bounds.js';
import { FIELDS, VIEWS } from '../../action-ids.js';
import type { ListenerDeps } from '../context.js';
import { submitModal } from './submit-modal.js';

export function registerSkipReason(app: App, deps: ListenerDeps): void {
  app.view(VIEWS.skipReason, async ({ ack, body }) => {
    await submitModal(
      deps,
      body,
      ack,
      { ...FIELDS.reason, what: 'why this step is skipped', max: TEXT_LIMITS.reason },
      (reason, meta) => (meta.step ? { type: 'skip', step: meta.step, reason } : null),
    );
  });
}
