import type { RespondFn } from '@slack/bolt';
import type { View } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { describeForModal, type ModalSubject } from '../../../services/describe-for-modal.js';
import { recordFailure } from '../../../services/record-failure.js';
import { stepKeyFromBlockId } from '../../action-ids.js';
import { decode, type ModalMetadata, stepButtonValue } from '../../values.js';
import type { ListenerDeps } from '../context.js';
import { afterClick, rejectClick } from '../malformed.js';
import type { BlockActionPayload } from '../payloads.js';

type Action = BlockActionPayload['actions'][number];

/** What a step button's modal is about: the step from the block id, the upgrade from the value. */
export function stepTarget(
  action: Action,
): { upgradeId: string; step: string; problemId: null; check?: string } | null {
  const value = decode(stepButtonValue, action.value);
  const step = stepKeyFromBlockId(action.block_id);
  // Only a check's own button carries `check` (Confirm anyway on a check); step buttons never do.
  return value && step
    ? { upgradeId: value.upgradeId, step, problemId: null, ...(value.check ? { check: value.check } : {}) }
    : null;
}

/**
 * Opens a modal for a button (skip reason, problem report, resolution). views.open needs the click's
 * trigger within seconds, so it is called here rather than queued; a failure is still audited.
 */
export async function openModal(
  deps: ListenerDeps,
  ack: () => Promise<void>,
  body: unknown,
  client: WebClient,
  respond: RespondFn | undefined,
  target: (action: Action) => { upgradeId: string; step: string | null; problemId: number | null } | null,
  build: (meta: ModalMetadata, subject: ModalSubject) => object,
): Promise<void> {
  await afterClick(deps, ack, body, respond, async ({ payload, ctx, action }) => {
    const about = action ? target(action) : null;
    const subject = about ? await describeForModal({ ctx, input: about }) : null;
    if (!action || !about || !subject) {
      await rejectClick(
        ctx,
        payload,
        'That button is not one this bot understands, or its upgrade no longer exists.',
      );
      return;
    }
    const meta: ModalMetadata = { ...about, responseUrl: payload.response_url ?? null };
    try {
      await client.views.open({ trigger_id: payload.trigger_id, view: build(meta, subject) as View });
    } catch (error) {
      await recordFailure({
        ctx,
        input: {
          upgradeId: about.upgradeId,
          action: 'slack-call-failed',
          error: error instanceof Error ? error.message : String(error),
          detail: { method: 'views.open' },
        },
      });
      await respond?.({
        response_type: 'ephemeral',
        replace_original: false,
        text: 'Slack did not open the form; please click again.',
      });
    }
  });
}
