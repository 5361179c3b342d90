import { IANAZone } from 'luxon';
import { z } from 'zod';
import { WINDOW_APPLIANCES } from '../../../../engine/constants.js';
import { DEFAULT_TIMING } from '../../../../engine/time.js';
import { rejectInput } from '../../../../services/reject-input.js';
import { parseLength } from '../../../parse/durations.js';
import { parseWindow, WINDOW_FORMAT_HELP } from '../../../parse/window.js';
import { userTimezone } from '../../context.js';
import { applyInUpgradeChannel } from './in-upgrade-channel.js';
import { defineVerb, helpLine } from './verb.js';

const zone = z.string().refine((word) => IANAZone.isValidZone(word));
const length = z.string().refine((word) => parseLength(word) !== null);
const start = z.string({ error: `give the start as ${WINDOW_FORMAT_HELP}` });

const windowWords = z
  .tuple(
    [z.enum(WINDOW_APPLIANCES, { error: 'say which appliance the window is for: a or b' }), start, start],
    {
      error: `give the start as ${WINDOW_FORMAT_HELP}`,
    },
  )
  .rest(
    z.union([zone, length], {
      error: (issue) =>
        `“${String(issue.input)}” is neither a time zone (e.g. Europe/Amsterdam) nor a length (e.g. 2h)`,
    }),
  );

/** `window a|b <date> <time> [zone] [length]`: zone from the command, else the person's Slack zone. */
export const window = defineVerb({
  name: 'window',
  usage: `/pra-upgrade window a|b <${WINDOW_FORMAT_HELP}> [time zone] [length, e.g. 2h]`,
  help: [
    helpLine(
      'window a|b <YYYY-MM-DD> <HH:MM> [zone] [length e.g. 2h]',
      'sets or moves a maintenance window.',
    ),
  ],
  parser: z
    .object({ words: z.array(z.string()) })
    .transform(({ words }) => words.map((word, i) => (i === 0 ? word.toLowerCase() : word)))
    .pipe(windowWords)
    .transform(([appliance, date, time, ...more]) => ({
      appliance,
      dateTime: `${date} ${time}`,
      zone: more.find((word) => IANAZone.isValidZone(word)) ?? null,
      length: more.find((word) => !IANAZone.isValidZone(word)) ?? null,
    })),
  async handle(call) {
    const { args, payload, ctx, deps, client } = call;
    const zoneName = args.zone ?? (await userTimezone(client, deps, payload.user_id));
    const parsed = parseWindow(args.dateTime, zoneName, args.length ?? DEFAULT_TIMING.windowLength);
    if (!parsed.ok) {
      await rejectInput({
        ctx,
        input: {
          source: 'command:window',
          problems: [parsed.problem],
          usage: call.usage,
          received: payload.text,
          responseUrl: payload.response_url,
          upgradeId: null,
        },
      });
      return;
    }
    await applyInUpgradeChannel(call, 'window', {
      type: 'set-window',
      appliance: args.appliance,
      window: parsed.window,
    });
  },
});
