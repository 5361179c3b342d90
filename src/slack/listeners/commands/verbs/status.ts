import { answerStatus } from '../../../../services/answer-status.js';
import { noArguments } from './no-arguments.js';
import { defineVerb, helpLine } from './verb.js';

/** `status`: progress of this channel's upgrade (elsewhere, the team's active ones). */
export const status = defineVerb({
  name: 'status',
  usage: '/pra-upgrade status',
  help: [helpLine('status', 'progress of the upgrade in this channel.')],
  parser: noArguments('status'),
  handle: ({ ctx, payload }) =>
    answerStatus({
      ctx,
      input: {
        teamId: payload.team_id,
        channelId: payload.channel_id,
        responseUrl: payload.response_url,
        verb: 'status',
      },
    }),
});
