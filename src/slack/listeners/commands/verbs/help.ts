import { replyTo } from '../../../../services/reply-to.js';
import type { VerbCall } from './types.js';

/** `help`: every command and option. */
export const help = ({ ctx, payload }: VerbCall<'help'>) =>
  replyTo({ ctx, input: { responseUrl: payload.response_url, reply: { kind: 'help' }, upgradeId: null } });
