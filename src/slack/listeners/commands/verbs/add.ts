import { z } from 'zod';
import { MAX_MENTIONS } from '../../../../engine/bounds.js';
import { addParticipants } from '../../../../services/add-participants.js';
import { rejectInput } from '../../../../services/reject-input.js';
import { mentionsIn, withoutMentions } from '../../../parse/mentions.js';
import { defineVerb, helpLine } from './verb.js';

const people = z
  .object({ rest: z.string() })
  .refine(
    ({ rest }) => withoutMentions(rest).trim() === '',
    'mention the people to add, e.g. /pra-upgrade add @alice @bob',
  )
  .transform(({ rest }) => [...new Set(mentionsIn(rest))])
  .pipe(
    z
      .array(z.string())
      .min(1, 'mention the people to add, e.g. /pra-upgrade add @alice @bob')
      .max(MAX_MENTIONS, `add at most ${MAX_MENTIONS} people at once`),
  )
  .transform((userIds) => ({ userIds }));

/**
 * `add @someone …`: a participant makes a watcher (or anyone in the workspace) a participant; those not
 * in the channel yet are invited through the outbox once the change is committed.
 */
export const add = defineVerb({
  name: 'add',
  usage: '/pra-upgrade add @person [@person …]',
  help: [
    helpLine(
      'add @user [@user …]',
      `makes people participants who can act (participants only; invites them to the channel; at most ${MAX_MENTIONS}).`,
    ),
  ],
  parser: people,
  async handle(call) {
    const { ctx, payload, args } = call;
    const outcome = await addParticipants({
      ctx,
      input: {
        channelId: payload.channel_id,
        userIds: args.userIds,
        requestKey: `command:${payload.trigger_id}`,
        responseUrl: payload.response_url,
      },
    });
    if (outcome.outcome === 'not-found') {
      await rejectInput({
        ctx,
        input: {
          source: 'command:add',
          problems: ["add works in an upgrade's own channel, and this channel is not one."],
          usage: call.usage,
          received: payload.text,
          responseUrl: payload.response_url,
          upgradeId: null,
        },
      });
      return;
    }
  },
});
