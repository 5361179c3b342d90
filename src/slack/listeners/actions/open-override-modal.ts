import type { App } from '@slack/bolt';
import { ACTIONS, stepKeyFromBlockId } from '../../action-ids.js';
import { overrideReasonModal } from '../../blocks/modals.js';
import { decode, stepButtonValue } from '../../values.js';
import type { ListenerDeps } from '../context.js';
import { openModal } from './open-modal.js';

/** "Confirm anyway…": the appliance could not be asked; the reason is asked first. */
export function registerOpenOverrideModal(app: App, deps: ListenerDeps): void {
  app.action(ACTIONS.overrideStep, async ({ ack, body, client, respond }) => {
    await openModal(
      deps,
      ack,
      body,
      client,
      respond,
      (action) => {
        const value = decode(stepButtonValue, action.value);
        const step = stepKeyFromBlockId(action.block_id);
        return value && step
          ? {
              upgradeId: value.upgradeId,
              step,
              problemId: null,
              ...(value.check ? { check: value.check } : {}),
            }
          : null;
      },
      (meta, subject) => overrideReasonModal(meta, subject.stepTitle ?? meta.step ?? 'this step'),
    );
  });
}
