import { appendAudit } from '../db/repositories/audit.js';
import { claimRequest } from '../db/repositories/handled-requests.js';
import { addParticipants, removeParticipant } from '../db/repositories/participants.js';
import { findUpgradeByChannel } from '../db/repositories/upgrades.js';
import type { ServiceCall } from './context.js';
import { inTransaction } from './transaction.js';

/** Participants are the members of the upgrade channel: joining makes one, leaving ends it. */
export async function recordMembership({
  ctx,
  input,
}: ServiceCall<{
  channelId: string;
  userId: string;
  change: 'joined' | 'left';
  requestKey: string | null;
}>): Promise<'recorded' | 'not-an-upgrade-channel' | 'unchanged'> {
  return inTransaction(ctx, async (tx) => {
    const upgrade = await findUpgradeByChannel(tx, input.channelId);
    if (!upgrade) return 'not-an-upgrade-channel';
    if (input.requestKey && !(await claimRequest(tx, input.requestKey, upgrade.id))) return 'unchanged';
    const changed =
      input.change === 'joined'
        ? (await addParticipants(tx, upgrade.id, [input.userId])).length > 0
        : await removeParticipant(tx, upgrade.id, input.userId);
    if (!changed) return 'unchanged';
    await appendAudit(tx, [
      {
        upgradeId: upgrade.id,
        actor: ctx.actor,
        action: input.change === 'joined' ? 'participant-joined' : 'participant-left',
        detail: { userId: input.userId },
      },
    ]);
    return 'recorded';
  });
}
