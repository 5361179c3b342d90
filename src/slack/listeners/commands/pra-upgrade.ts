import type { App } from '@slack/bolt';
import { rejectInput } from '../../../services/reject-input.js';
import { parseCommandText } from '../../parse/command-text.js';
import { acknowledgeAfter, contextFor, type ListenerDeps } from '../context.js';
import { reportMalformed } from '../malformed.js';
import { describeReceived, slashCommandPayload } from '../payloads.js';
import { abort } from './verbs/abort.js';
import { help } from './verbs/help.js';
import { lead } from './verbs/lead.js';
import { resolve } from './verbs/resolve.js';
import { setOption } from './verbs/set-option.js';
import { start } from './verbs/start.js';
import { status } from './verbs/status.js';
import { window } from './verbs/window.js';

export const COMMAND = '/pra-upgrade';

/** `/pra-upgrade …`: parse with zod, hand the verb to its service, acknowledge once it committed. */
export function registerPraUpgradeCommand(app: App, deps: ListenerDeps): void {
  app.command(COMMAND, async ({ ack, command, respond, client }) => {
    await acknowledgeAfter(
      deps,
      () => ack(),
      respond,
      async () => {
        const payload = slashCommandPayload.safeParse(command);
        if (!payload.success) {
          await reportMalformed(deps, command, 'command', payload.error);
          return;
        }
        const ctx = contextFor(deps, payload.data.team_id, payload.data.user_id);
        const parsed = parseCommandText(payload.data.text);
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
        const base = { payload: payload.data, ctx, deps, client, respond };
        const c = parsed.command;
        switch (c.verb) {
          case 'help':
            return help({ ...base, command: c });
          case 'status':
          case 'list':
            return status({ ...base, command: c });
          case 'start':
            return start({ ...base, command: c });
          case 'abort':
            return abort({ ...base, command: c });
          case 'window':
            return window({ ...base, command: c });
          case 'set':
            return setOption({ ...base, command: c });
          case 'lead':
            return lead({ ...base, command: c });
          case 'resolve':
            return resolve({ ...base, command: c });
        }
      },
    );
  });
}
