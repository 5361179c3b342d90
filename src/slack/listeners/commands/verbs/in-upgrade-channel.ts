import { type ApplyCommandInput, applyCommand } from '../../../../services/apply-command.js';
import { rejectInput } from '../../../../services/reject-input.js';
import type { VerbCall } from './verb.js';

/** Runs an engine command on the upgrade of the channel the command was typed in. */
export async function applyInUpgradeChannel(
  call: VerbCall<object>,
  verb: string,
  command: ApplyCommandInput['command'],
): Promise<void> {
  const { ctx, payload } = call;
  const outcome = await applyCommand({
    ctx,
    input: {
      target: { channelId: payload.channel_id },
      command,
      requestKey: `command:${payload.trigger_id}`,
      responseUrl: payload.response_url,
    },
  });
  if (outcome.outcome === 'not-found') {
    await rejectInput({
      ctx,
      input: {
        source: `command:${verb}`,
        problems: [`${verb} works in an upgrade's own channel, and this channel is not one.`],
        usage: call.usage,
        received: payload.text,
        responseUrl: payload.response_url,
        upgradeId: null,
      },
    });
  }
}
