import { answerStatus } from '../../../../services/answer-status.js';
import { noArguments } from './no-arguments.js';
import { defineVerb, helpLine } from './verb.js';

/** A verb that answers with upgrades' progress: `status` (this channel's) or `list` (the team's). */
export function progressVerb<const N extends 'status' | 'list'>(name: N, what: string) {
  return defineVerb({
    name,
    usage: `/pra-upgrade ${name}`,
    help: [helpLine(name, what)],
    parser: noArguments(name),
    handle: ({ ctx, payload }) =>
      answerStatus({
        ctx,
        input: {
          teamId: payload.team_id,
          channelId: payload.channel_id,
          responseUrl: payload.response_url,
          verb: name,
        },
      }),
  });
}

/** `status`: progress of this channel's upgrade (elsewhere, the team's active ones). */
export const status = progressVerb('status', 'progress of the upgrade in this channel.');
