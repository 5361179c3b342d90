import { answerStatus } from '../../../../services/answer-status.js';
import { noArguments } from './no-arguments.js';
import { defineVerb, helpLine } from './verb.js';

/** `list`: the team's active upgrades. */
export const list = defineVerb({
  name: 'list',
  usage: '/pra-upgrade list',
  help: [helpLine('list', 'the active upgrades of this workspace.')],
  parser: noArguments('list'),
  handle: ({ ctx, payload }) =>
    answerStatus({
      ctx,
      input: {
        teamId: payload.team_id,
        channelId: payload.channel_id,
        responseUrl: payload.response_url,
        verb: 'list',
      },
    }),
});
