import { z } from 'zod';
import { MAX_MENTIONS } from '../../../../engine/bounds.js';
import { addParticipants } from '../../../../services/add-participants.js';
import { recordFailure } from '../../../../services/record-failure.js';
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
 * in the channel yet are invited, after the change committed (an invite that fails is audited).
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
    const { ctx, payload, client, args } = call;
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
    if (outcome.outcome !== 'added' || outcome.added.length === 0) return;
    // `force` invites whoever can be; people already in the channel (watchers) are the usual case.
    type PerUser = { user?: string; error?: string };
    let problems: PerUser[] = [];
    try {
      const result = await client.conversations.invite({
        channel: outcome.channelId,
        users: outcome.added.join(','),
        force: true,
      });
      problems = (result as { errors?: PerUser[] }).errors ?? [];
    } catch (error) {
      const data = (error as { data?: { error?: string; errors?: PerUser[] } }).data;
      problems = data?.errors ?? [
        { error: data?.error ?? (error instanceof Error ? error.message : String(error)) },
      ];
    }
    const failed = problems.filter((p) => p.error !== 'already_in_channel' && p.error !== 'cant_invite_self');
    if (failed.length === 0) return;
    await recordFailure({
      ctx,
      input: {
        upgradeId: outcome.upgradeId,
        action: 'slack-call-failed',
        error: failed.map((p) => p.error ?? 'unknown').join(', '),
        detail: { method: 'conversations.invite', failed },
      },
    });
  },
});
