import type { App, RespondFn } from '@slack/bolt';
import { rejectInput } from '../../../services/reject-input.js';
import { replyTo } from '../../../services/reply-to.js';
import { ACTIONS, stepKeyFromBlockId } from '../../action-ids.js';
import { problemReportModal } from '../../blocks/modals.js';
import { decode, type StepMenuValue, stepMenuValue } from '../../values.js';
import { acknowledgeAfter, type ListenerDeps } from '../context.js';
import { parseClick } from '../malformed.js';
import { type BlockActionPayload, blockActionPayload, describeReceived } from '../payloads.js';
import { openModal } from './open-modal.js';

type Action = BlockActionPayload['actions'][number];

/** The option chosen in a step menu: the step from the block id, the upgrade and action from the value. */
function menuChoice(action: Action): (StepMenuValue & { step: string }) | null {
  const value = decode(stepMenuValue, action.selected_option?.value);
  const step = stepKeyFromBlockId(action.block_id);
  return value && step ? { ...value, step } : null;
}

/** What the menu option asks for, read before the work starts (the full parse happens in each path). */
function chosenAction(body: unknown): StepMenuValue['action'] | null {
  const parsed = blockActionPayload.safeParse(body);
  const action = parsed.success ? parsed.data.actions[0] : undefined;
  return action ? (menuChoice(action)?.action ?? null) : null;
}

/**
 * A done step's menu. "Report problem…" opens the same modal as the button; "Show instructions" and
 * "Undo…" answer the chooser alone (the undo answer carries the confirmed Undo button).
 */
export function registerStepMenu(app: App, deps: ListenerDeps): void {
  app.action(ACTIONS.stepMenu, async ({ ack, body, client, respond }) => {
    if (chosenAction(body) === ACTIONS.reportProblem) {
      await openModal(
        deps,
        ack,
        body,
        client,
        respond,
        (action) => {
          const choice = menuChoice(action);
          return choice ? { upgradeId: choice.upgradeId, step: choice.step, problemId: null } : null;
        },
        (meta, subject) =>
          problemReportModal(meta, subject.stepTitle ?? meta.step ?? 'this step', subject.baseStep),
      );
      return;
    }
    await answerChoice(deps, ack, body, respond);
  });
}

async function answerChoice(
  deps: ListenerDeps,
  ack: () => Promise<void>,
  body: unknown,
  respond: RespondFn | undefined,
): Promise<void> {
  await acknowledgeAfter(deps, ack, respond, async () => {
    const click = await parseClick(deps, body);
    if (!click) return;
    const { payload, ctx } = click;
    const action = payload.actions[0];
    const choice = action ? menuChoice(action) : null;
    const responseUrl = payload.response_url;
    if (!choice || !responseUrl) {
      await rejectInput({
        ctx,
        input: {
          source: `action:${action?.action_id ?? 'unknown'}`,
          problems: [
            'That menu option is not one this bot understands. Use the menu of a current runbook message.',
          ],
          usage: null,
          received: describeReceived(action ?? {}),
          responseUrl: responseUrl ?? null,
          upgradeId: null,
        },
      });
      return;
    }
    const about = { upgradeId: choice.upgradeId, step: choice.step };
    await replyTo({
      ctx,
      input: {
        responseUrl,
        upgradeId: choice.upgradeId,
        reply:
          choice.action === ACTIONS.undoStep
            ? { kind: 'undo-offer', ...about }
            : { kind: 'step-instructions', ...about },
      },
    });
  });
}
