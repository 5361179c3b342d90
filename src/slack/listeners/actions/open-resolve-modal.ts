import type { App } from '@slack/bolt';
import { ACTIONS } from '../../action-ids.js';
import { problemResolutionModal } from '../../blocks/modals.js';
import { decode, problemButtonValue } from '../../values.js';
import type { ListenerDeps } from '../context.js';
import { openModal } from './open-modal.js';

/** "Resolved…" on a problem: asks how it was resolved. */
export function registerOpenResolveModal(app: App, deps: ListenerDeps): void {
  app.action(ACTIONS.resolveProblem, async ({ ack, body, client, respond }) => {
    await openModal(
      deps,
      ack,
      body,
      client,
      respond,
      (action) => {
        const value = decode(problemButtonValue, action.value);
        return value ? { upgradeId: value.upgradeId, step: null, problemId: value.problemId } : null;
      },
      (meta, subject) => problemResolutionModal(meta, subject.problemDescription ?? 'the problem'),
    );
  });
}
