import type { AckFn, App, ViewResponseAction } from '@slack/bolt';
import type { CommandInput } from '../../../services/apply-command.js';
import { confirmStep } from '../../../services/confirm-step.js';
import { rejectInput } from '../../../services/reject-input.js';
import { decode, type ModalMetadata, modalMetadata } from '../../values.js';
import { acknowledgeAfter, contextFor, type ListenerDeps } from '../context.js';
import { reportMalformed } from '../malformed.js';
import { inputValue, teamIdOf, viewSubmissionPayload } from '../payloads.js';

/**
 * A modal submission: empty text is answered inside the modal (that ack must carry the errors); the
 * rest is applied through the engine and acknowledged once it committed, answering refusals via the
 * original click.
 */
export async function submitModal(
  deps: ListenerDeps,
  body: unknown,
  ack: AckFn<ViewResponseAction> | AckFn<void>,
  field: { block: string; action: string; what: string; max: number },
  toCommand: (text: string, meta: ModalMetadata) => CommandInput | null,
): Promise<void> {
  const parsed = viewSubmissionPayload.safeParse(body);
  const meta = parsed.success ? decode(modalMetadata, parsed.data.view.private_metadata) : null;
  const text = parsed.success ? inputValue(parsed.data, field.block, field.action) : '';
  const tooShort = text.length < 3;
  if (parsed.success && meta && (tooShort || text.length > field.max)) {
    await (ack as AckFn<ViewResponseAction>)({
      response_action: 'errors',
      errors: {
        [field.block]: tooShort
          ? `Please write ${field.what} (a few words at least).`
          : `Please keep ${field.what} to at most ${field.max} characters (this is ${text.length}).`,
      },
    });
    return;
  }
  await acknowledgeAfter(
    deps,
    () => (ack as AckFn<void>)(),
    undefined,
    async () => {
      if (!parsed.success) {
        await reportMalformed(deps, body, 'view', parsed.error);
        return;
      }
      const payload = parsed.data;
      const ctx = contextFor(deps, teamIdOf(payload), payload.user.id);
      const command = meta ? toCommand(text, meta) : null;
      if (!meta || !command) {
        await rejectInput({
          ctx,
          input: {
            source: `view:${payload.view.callback_id}`,
            problems: ['The form did not say which upgrade it was for.'],
            usage: null,
            received: payload.view.private_metadata.slice(0, 200),
            responseUrl: null,
            upgradeId: null,
          },
        });
        return;
      }
      await confirmStep({
        ctx,
        input: {
          target: { upgradeId: meta.upgradeId },
          command,
          requestKey: payload.view.id ? `view:${payload.view.id}` : null,
          responseUrl: meta.responseUrl,
        },
      });
    },
  );
}

/** Registers one modal: its submission goes through submitModal with its field and command. */
export function registerModalSubmission(
  app: App,
  deps: ListenerDeps,
  callbackId: string,
  field: { block: string; action: string; what: string; max: number },
  toCommand: (text: string, meta: ModalMetadata) => CommandInput | null,
): void {
  app.view(callbackId, async ({ ack, body }) => {
    await submitModal(deps, body, ack, field, toCommand);
  });
}
