import { appendAudit } from '../db/repositories/audit.js';
import { claimRequest } from '../db/repositories/handled-requests.js';
import { addParticipants, isParticipant, removeParticipant } from '../db/repositories/participants.js';
import { findUpgradeByChannel } from '../db/repositories/upgrades.js';
import type { ServiceCall } from './shared/context.js';
import { inTransaction } from './shared/transaction.js';

export interface MembershipChange {
  channelId: string;
  userId: string;
  change: 'joined' | 'left';
  /** Who added them to the channel (Slack's `inviter`); null when they joined by themselves. */
  inviter: string | null;
  requestKey: string | null;
}

export type MembershipOutcome = 'participant' | 'observer' | 'left' | 'not-an-upgrade-channel' | 'unchanged';

/**
 * Who may act is decided by the team, not by who can find the channel: the upgrade channel is public
 * so anyone can follow along, but only someone added by a participant becomes one. Joining by oneself
 * makes an observer; leaving ends being a participant.
 */
export async function recordMembership({
  ctx,
  input,
}: ServiceCall<MembershipChange>): Promise<MembershipOutcome> {
  return inTransaction(ctx, async (tx): Promise<MembershipOutcome> => {
    const upgrade = await findUpgradeByChannel(tx, input.channelId);
    if (!upgrade) return 'not-an-upgrade-channel';
    if (input.requestKey && !(await claimRequest(tx, input.requestKey, upgrade.id))) return 'unchanged';
    const audit = (action: 'participant-left' | 'observer-joined' | 'participant-joined') =>
      appendAudit(tx, [
        {
          upgradeId: upgrade.id,
          actor: ctx.actor,
          action,
          detail: { userId: input.userId, inviter: input.inviter },
        },
      ]);
    if (input.change === 'left') {
      if (!(await removeParticipant(tx, upgrade.id, input.userId))) return 'unchanged';
      await audit('participant-left');
      return 'left';
    }
    const addedByParticipant = input.inviter !== null && (await isParticipant(tx, upgrade.id, input.inviter));
    if (!addedByParticipant) {
      await audit('observer-joined');
      return 'observer';
    }
    if ((await addParticipants(tx, upgrade.id, [input.userId])).length === 0) return 'unchanged';
    await audit('participant-joined');
    return 'participant';
  });
}
