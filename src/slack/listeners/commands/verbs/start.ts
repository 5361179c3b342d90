import { DEFAULT_TIMING } from '../../../../engine/time.js';
import type { MaintenanceWindow } from '../../../../engine/types.js';
import { rejectInput } from '../../../../services/reject-input.js';
import { startUpgrade } from '../../../../services/start-upgrade.js';
import { USAGE } from '../../../parse/command-text.js';
import { parseLength } from '../../../parse/durations.js';
import { parseWindow } from '../../../parse/window.js';
import { userTimezone } from '../../context.js';
import type { VerbCall } from './types.js';

/** `start <plan> …`: opens a new upgrade; the channel is set up by the outbox after commit. */
export async function start(call: VerbCall<'start'>): Promise<void> {
  const { command, payload, ctx, deps, client } = call;
  const { options } = command;
  const problems: string[] = [];
  const windows: Partial<Record<'a' | 'b', MaintenanceWindow>> = {};
  const windowTexts = { a: options['window-a'], b: options['window-b'] };
  if (windowTexts.a || windowTexts.b) {
    const zone = options.tz ?? (await userTimezone(client, deps, payload.user_id));
    for (const appliance of ['a', 'b'] as const) {
      const text = windowTexts[appliance];
      if (!text) continue;
      const parsed = parseWindow(text, zone, DEFAULT_TIMING.windowLength);
      if (parsed.ok) windows[appliance] = parsed.window;
      else problems.push(`--window-${appliance}: ${parsed.problem}`);
    }
  }
  if (problems.length > 0) {
    await rejectInput({
      ctx,
      input: {
        source: 'command:start',
        problems,
        usage: USAGE.start,
        received: payload.text,
        responseUrl: payload.response_url,
        upgradeId: null,
      },
    });
    return;
  }
  await startUpgrade({
    ctx,
    input: {
      teamId: payload.team_id,
      plan: command.plan,
      options: {
        ...(options.method ? { method: options.method } : {}),
        ...(options['method-a'] ? { methodA: options['method-a'] } : {}),
        ...(options['method-b'] ? { methodB: options['method-b'] } : {}),
        ...(options.switch ? { switchMethod: options.switch } : {}),
        ...(options['base-only'] !== undefined ? { baseOnly: options['base-only'] } : {}),
      },
      ticket: options.ticket ?? null,
      applianceA: options.a ?? null,
      applianceB: options.b ?? null,
      applianceOld: options.old ?? null,
      applianceNew: options.new ?? null,
      targetVersion: options.to ?? null,
      invite: command.invite,
      windows,
      gapLimit: options['gap-limit'] ? parseLength(options['gap-limit']) : null,
      requestKey: `command:${payload.trigger_id}`,
      responseUrl: payload.response_url,
    },
  });
}
