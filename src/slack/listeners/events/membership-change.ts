import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { recordMembership } from '../../../services/record-membership.js';
import { afterAck, contextFor, type ListenerDeps } from '../context.js';
import { reportMalformed } from '../malformed.js';
import { membershipEvent, teamIdOf } from '../payloads.js';

type MembershipArgs = SlackEventMiddlewareArgs<'member_joined_channel' | 'member_left_channel'> &
  AllMiddlewareArgs;

/** Shared by the join and leave listeners: members of the upgrade channel are its participants. */
export function membershipListener(deps: ListenerDeps, change: 'joined' | 'left') {
  return async ({ event, body, context }: MembershipArgs): Promise<void> => {
    await afterAck(deps, undefined, async () => {
      const parsed = membershipEvent.safeParse(event);
      if (!parsed.success) {
        await reportMalformed(deps, body, `event:member_${change}_channel`, parsed.error);
        return;
      }
      if (parsed.data.user === context.botUserId) return;
      const envelope = body as { event_id?: string };
      const teamId = teamIdOf(body, parsed.data);
      await recordMembership({
        ctx: contextFor(deps, teamId, parsed.data.user),
        input: {
          channelId: parsed.data.channel,
          userId: parsed.data.user,
          change,
          inviter: parsed.data.inviter ?? null,
          requestKey: envelope.event_id ? `event:${envelope.event_id}` : null,
        },
      });
    });
  };
}
