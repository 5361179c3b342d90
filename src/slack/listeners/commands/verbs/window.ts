import { DEFAULT_TIMING } from '../../../../engine/time.js';
import { rejectInput } from '../../../../services/reject-input.js';
import { USAGE } from '../../../parse/command-text.js';
import { parseWindow } from '../../../parse/window.js';
import { userTimezone } from '../../context.js';
import { applyInUpgradeChannel } from './in-upgrade-channel.js';
import type { VerbCall } from './types.js';

/** `window a|b <date> <time> [zone] [length]`: zone from the command, else the person's Slack zone. */
export async function window(call: VerbCall<'window'>): Promise<void> {
  const { command, payload, ctx, deps, client } = call;
  const zone = command.zone ?? (await userTimezone(client, deps, payload.user_id));
  const parsed = parseWindow(command.dateTime, zone, command.length ?? DEFAULT_TIMING.windowLength);
  if (!parsed.ok) {
    await rejectInput({
      ctx,
      input: {
        source: 'command:window',
        problems: [parsed.problem],
        usage: USAGE.window,
        received: payload.text,
        responseUrl: payload.response_url,
        upgradeId: null,
      },
    });
    return;
  }
  await applyInUpgradeChannel(call, {
    type: 'set-window',
    appliance: command.appliance,
    window: parsed.window,
  });
}
