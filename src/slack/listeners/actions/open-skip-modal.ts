import type { App } from '@slack/bolt';
import { ACTIONS, stepKeyFromBlockId } from '../../action-ids.js';
import { skipReasonModal } from '../../blocks/modals.js';
import { decode, stepButtonValue } from '../../values.js';
import type { ListenerDeps } from '../context.js';
import { openModal } from './open-modal.js';

/** "Skip…": asks for the reason first; the skip itself happens on submission. */
export function registerOpenSkipModal(app: App, deps: ListenerDeps): void {
  app.action(ACTIONS.skipStep, async ({ ack, body, client, respond }) => {
    await ack();
    await openModal(
      deps,
      body,
      client,
      respond,
      (action) => {
        const value = decode(stepButtonValue, action.value);
        const step = stepKeyFromBlockId(action.block_id);
        return value && step ? { upgradeId: value.upgradeId, step, problemId: null } : null;
      },
      (meta, subject) => skipReasonModal(meta, subject.stepTitle ?? meta.step ?? 'this step'),
    );
  });
}
