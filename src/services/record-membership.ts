import { appendAudit } from '../db/repositories/audit.js';
import { claimRequest } from '../db/repositories/handled-requests.js';
import { enqueue } from '../db/repositories/outbox.js';
import {
  addParticipants,
  isParticipant,
  listParticipants,
  removeParticipant,
} from '../db/repositories/participants.js';
import { findUpgradeByChannel } from '../db/repositories/upgrades.js';
import type { ServiceCall } from './shared/context.js';
import { outboxEntry } from './shared/record-effects.js';
import { recordRefusal } from './shared/record-refusal.js';
import { inTransaction } from './shared/transaction.js';
import { otherWorkspaceRefusal } from './shared/workspace.js';

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
 * makes an observer; leaving ends being a participant, except for the lead, who stays both. When the
 * last participant besides the lead leaves, the channel is told.
 */
export async function recordMembership({
  ctx,
  input,
}: ServiceCall<MembershipChange>): Promise<MembershipOutcome> {
  let outboxChanged = false;
  const outcome = await inTransaction(ctx, async (tx): Promise<MembershipOutcome> => {
    const upgrade = await findUpgradeByChannel(tx, input.channelId);
    if (!upgrade) return 'not-an-upgrade-channel';
    const foreign =
      ctx.actor.type === 'slack' ? otherWorkspaceRefusal(upgrade.teamId, ctx.actor.teamId) : null;
    if (foreign) {
      // An event: nobody is waiting for an answer, so the refusal is only audited.
      await recordRefusal(tx, ctx.now(), {
        upgradeId: upgrade.id,
        actor: ctx.actor,
        command: `member-${input.change}`,
        refusal: foreign,
        detail: { userId: input.userId },
        responseUrl: null,
      });
      return 'unchanged';
    }
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
    const isLead = input.userId === upgrade.state.lead;
    if (input.change === 'left') {
      // The lead stays lead and a participant: leaving the channel must not lock them out of abort.
      if (isLead) {
        await appendAudit(tx, [
          {
            upgradeId: upgrade.id,
            actor: ctx.actor,
            action: 'participant-left',
            detail: { userId: input.userId, inviter: input.inviter, lead: true, stillParticipant: true },
          },
        ]);
        return 'left';
      }
      if (!(await removeParticipant(tx, upgrade.id, input.userId))) return 'unchanged';
      await audit('participant-left');
      const remaining = await listParticipants(tx, upgrade.id);
      if (remaining.every((userId) => userId === upgrade.state.lead)) {
        // Nobody but the lead can act any more: say so where the team looks, and how to fix it.
        await enqueue(tx, ctx.now(), [
          outboxEntry({
            kind: 'notice',
            upgradeId: upgrade.id,
            notice: { kind: 'lead-alone', left: input.userId, lead: upgrade.state.lead },
          }),
        ]);
        outboxChanged = true;
      }
      return 'left';
    }
    if (await isParticipant(tx, upgrade.id, input.userId)) return 'unchanged';
    if (isLead) {
      await addParticipants(tx, upgrade.id, [input.userId]);
      await audit('participant-joined');
      return 'participant';
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
  if (outboxChanged) ctx.outboxChanged();
  return outcome;
}
