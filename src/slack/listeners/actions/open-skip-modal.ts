import type { App } from '@slack/bolt';
import { ACTIONS } from '../../action-ids.js';
import { skipReasonModal } from '../../blocks/modals.js';
import type { ListenerDeps } from '../context.js';
import { openModal, stepTarget } from './open-modal.js';

/** "Skip…": asks for the reason first; the skip itself happens on submission. */
export function registerOpenSkipModal(app: App, deps: ListenerDeps): void {
  app.action(ACTIONS.skipStep, async ({ ack, body, client, respond }) => {
    await openModal(deps, ack, body, client, respond, stepTarget, (meta, subject) =>
      skipReasonModal(meta, subject.stepTitle ?? meta.step ?? 'this step'),
    );
  });
}
