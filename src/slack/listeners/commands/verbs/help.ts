import { z } from 'zod';
import { replyTo } from '../../../../services/reply-to.js';
import { defineVerb, helpLine } from './verb.js';

/** `help` (or nothing at all): every command and option; words after it are ignored. */
export const help = defineVerb({
  name: 'help',
  usage: '/pra-upgrade help',
  help: [helpLine('help', 'this text.')],
  parser: z.object({}).transform(() => ({})),
  handle: ({ ctx, payload }) =>
    replyTo({ ctx, input: { responseUrl: payload.response_url, reply: { kind: 'help' }, upgradeId: null } }),
});
