import { z } from 'zod';
import { mentionsIn } from '../../../parse/mentions.js';
import { applyInUpgradeChannel } from './in-upgrade-channel.js';
import { defineVerb, helpLine } from './verb.js';

const EXACTLY_ONE = 'mention exactly one person, e.g. /pra-upgrade lead @alice';

/** `lead @person`: hands the lead to another member of the channel. */
export const lead = defineVerb({
  name: 'lead',
  usage: '/pra-upgrade lead @person',
  help: [helpLine('lead @user', 'hands the lead to someone else (lead only).')],
  parser: z
    .object({ rest: z.string() })
    .transform(({ rest }) => mentionsIn(rest))
    .pipe(z.array(z.string()).length(1, EXACTLY_ONE))
    .transform((mentioned) => ({ userId: mentioned[0] ?? '' })),
  handle: (call) => applyInUpgradeChannel(call, 'lead', { type: 'reassign-lead', to: call.args.userId }),
});
