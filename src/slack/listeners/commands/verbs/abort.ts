import { z } from 'zod';
import { applyInUpgradeChannel } from './in-upgrade-channel.js';
import { defineVerb, helpLine } from './verb.js';

/** `abort <reason>` (the engine keeps it for the lead). */
export const abort = defineVerb({
  name: 'abort',
  usage: '/pra-upgrade abort <reason>',
  help: [helpLine('abort <reason>', 'ends the upgrade early (lead only).')],
  parser: z
    .object({ rest: z.string().trim().min(3, 'give a reason for aborting') })
    .transform(({ rest }) => ({ reason: rest })),
  handle: (call) => applyInUpgradeChannel(call, 'abort', { type: 'abort', reason: call.args.reason }),
});
