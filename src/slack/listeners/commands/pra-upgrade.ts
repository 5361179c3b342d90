import type { App } from '@slack/bolt';
import { rejectInput } from '../../../services/reject-input.js';
import { afterAck, contextFor, type ListenerDeps } from '../context.js';
import { reportMalformed } from '../malformed.js';
import { describeReceived, slashCommandPayload } from '../payloads.js';
import { readCommandText } from './parse-command.js';

export const COMMAND = '/pra-upgrade';

/** `/pra-upgrade …`: ack at once, parse with zod, hand the verb (verbs/) its arguments. */
export function registerPraUpgradeCommand(app: App, deps: ListenerDeps): void {
  app.command(COMMAND, async ({ ack, command, respond, client }) => {
    await ack();
    await afterAck(deps, respond, async () => {
      const payload = slashCommandPayload.safeParse(command);
      if (!payload.success) {
        await reportMalformed(deps, command, 'command', payload.error);
        return;
      }
      const ctx = contextFor(deps, payload.data.team_id, payload.data.user_id);
      const parsed = readCommandText(payload.data.text);
      if (!parsed.ok) {
        await rejectInput({
          ctx,
          input: {
            source: 'command',
            problems: parsed.problems,
            usage: parsed.usage,
            received: describeReceived(payload.data.text),
            responseUrl: payload.data.response_url,
            upgradeId: null,
          },
        });
        return;
      }
      await parsed.run({ payload: payload.data, ctx, deps, client, respond });
    });
  });
}
