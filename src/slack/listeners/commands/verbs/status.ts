import { answerStatus } from '../../../../services/answer-status.js';
import type { VerbCall } from './types.js';

/** `status` and `list`: this channel's upgrade, or the team's active ones. */
export const status = ({ ctx, payload, command }: VerbCall<'status' | 'list'>) =>
  answerStatus({
    ctx,
    input: {
      teamId: payload.team_id,
      channelId: payload.channel_id,
      responseUrl: payload.response_url,
      verb: command.verb,
    },
  });
