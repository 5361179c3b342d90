import type { App, RespondFn } from '@slack/bolt';
import type { CommandInput } from '../../../services/apply-command.js';
import { confirmStep } from '../../../services/confirm-step.js';
import { stepKeyFromBlockId } from '../../action-ids.js';
import { decode, type StepButtonValue, stepButtonValue } from '../../values.js';
import type { ListenerDeps } from '../context.js';
import { afterClick, rejectClick } from '../malformed.js';
import { type BlockActionPayload, teamIdOf } from '../payloads.js';

type Action = BlockActionPayload['actions'][number];

/** How one kind of button becomes an engine command: read its value, then build the command. */
export interface ActionReading<T extends { upgradeId: string }> {
  read(action: Action): T | null;
  toCommand(value: T, action: Action): CommandInput | null;
}

/**
 * The common path of every button: parse the payload with zod, read the button, apply the engine
 * command, and acknowledge once it committed. Slack's retries reuse `action_ts`, which makes the request key; a second, separate click is
 * a new request that the engine answers "already done". Anything unreadable is audited and explained.
 */
async function handleAction<T extends { upgradeId: string }>(
  deps: ListenerDeps,
  ack: () => Promise<void>,
  body: unknown,
  respond: RespondFn | undefined,
  reading: ActionReading<T>,
): Promise<void> {
  await afterClick(deps, ack, body, respond, async ({ payload, ctx, action }) => {
    const value = action ? reading.read(action) : null;
    const command = action && value ? reading.toCommand(value, action) : null;
    const reject = (problem: string, upgradeId: string | null) =>
      rejectClick(ctx, payload, problem, upgradeId);
    if (!action || !value || !command) {
      await reject(
        'That button is not one this bot understands. Use the buttons of a current runbook message.',
        null,
      );
      return;
    }
    const outcome = await confirmStep({
      ctx,
      input: {
        target: { upgradeId: value.upgradeId },
        command,
        requestKey: `action:${teamIdOf(payload)}:${payload.user.id}:${action.action_ts}:${action.action_id}`,
        responseUrl: payload.response_url ?? null,
      },
    });
    if (outcome.outcome === 'not-found') await reject('This upgrade no longer exists.', null);
  });
}

/** Registers one kind of button: the common path of handleAction, acknowledged once it committed. */
export function registerButton<T extends { upgradeId: string }>(
  app: App,
  deps: ListenerDeps,
  actionId: string | RegExp,
  reading: ActionReading<T>,
): void {
  app.action(actionId, async ({ ack, body, respond }) => {
    await handleAction(deps, ack, body, respond, reading);
  });
}

/** Step buttons: the step comes from the block id (`step:<key>`), the upgrade from the value. */
export function stepButton(
  toCommand: (step: string, value: StepButtonValue) => CommandInput | null,
): ActionReading<StepButtonValue> {
  return {
    read: (action) => decode(stepButtonValue, action.value),
    toCommand: (value, action) => {
      const step = stepKeyFromBlockId(action.block_id);
      return step ? toCommand(step, value) : null;
    },
  };
}
