import type { App } from '@slack/bolt';
import { ACTIONS } from '../../action-ids.js';
import { overrideReasonModal } from '../../blocks/modals.js';
import type { ListenerDeps } from '../context.js';
import { openModal, stepTarget } from './open-modal.js';

/** "Confirm anyway…": the appliance could not be asked; the reason is asked first. */
export function registerOpenOverrideModal(app: App, deps: ListenerDeps): void {
  app.action(ACTIONS.overrideStep, async ({ ack, body, client, respond }) => {
    await openModal(deps, ack, body, client, respond, stepTarget, (meta, subject) =>
      overrideReasonModal(meta, subject.stepTitle ?? meta.step ?? 'this step'),
    );
  });
}
