import type { App } from '@slack/bolt';
import { ACTIONS, stepKeyFromBlockId } from '../../action-ids.js';
import { problemReportModal } from '../../blocks/modals.js';
import { decode, stepButtonValue } from '../../values.js';
import type { ListenerDeps } from '../context.js';
import { openModal } from './open-modal.js';

/** "Report problem": a modal asking what went wrong; on a base step it repeats the support guidance. */
export function registerOpenProblemModal(app: App, deps: ListenerDeps): void {
  app.action(ACTIONS.reportProblem, async ({ ack, body, client, respond }) => {
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
      (meta, subject) =>
        problemReportModal(meta, subject.stepTitle ?? meta.step ?? 'this step', subject.baseStep),
    );
  });
}
