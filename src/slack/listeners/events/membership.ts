import type { App } from '@slack/bolt';
import { recordMembership } from '../../../services/record-membership.js';
import { afterAck, contextFor, type ListenerDeps } from '../context.js';
import { membershipEvent } from '../payloads.js';

/** Joining or leaving an upgrade channel makes or ends a participant. */
export function registerMembership(app: App, deps: ListenerDeps): void {
  for (const [type, change] of [
    ['member_joined_channel', 'joined'],
    ['member_left_channel', 'left'],
  ] as const) {
    app.event(type, async ({ event, body, context }) => {
      await afterAck(deps, undefined, async () => {
        const parsed = membershipEvent.safeParse(event);
        if (!parsed.success || parsed.data.user === context.botUserId) return;
        const envelope = body as { team_id?: string; event_id?: string };
        const teamId = envelope.team_id ?? parsed.data.team ?? 'unknown';
        await recordMembership({
          ctx: contextFor(deps, teamId, parsed.data.user),
          input: {
            channelId: parsed.data.channel,
            userId: parsed.data.user,
            change,
            requestKey: envelope.event_id ? `event:${envelope.event_id}` : null,
          },
        });
      });
    });
  }
}
