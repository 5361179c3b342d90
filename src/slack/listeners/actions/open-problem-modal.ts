import type { App } from '@slack/bolt';
import { ACTIONS } from '../../action-ids.js';
import { problemReportModal } from '../../blocks/modals.js';
import type { ListenerDeps } from '../context.js';
import { openModal, stepTarget } from './open-modal.js';

/** "Report problem": a modal asking what went wrong; on a base step it repeats the support guidance. */
export function registerOpenProblemModal(app: App, deps: ListenerDeps): void {
  app.action(ACTIONS.reportProblem, async ({ ack, body, client, respond }) => {
    await openModal(deps, ack, body, client, respond, stepTarget, (meta, subject) =>
      problemReportModal(meta, subject.stepTitle ?? meta.step ?? 'this step', subject.baseStep),
    );
  });
}
