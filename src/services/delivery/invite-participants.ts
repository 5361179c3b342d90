import { appendAudit } from '../../db/repositories/audit.js';
import type { DeliveryPorts } from '../ports/delivery.js';
import type { ServiceContext } from '../shared/context.js';
import type { OutboxMessage } from '../shared/outbox-messages.js';
import { requireChannel, requireSnapshot } from './common.js';

/**
 * Invites people made participants after the set-up. Slack's own trouble is thrown and retried like
 * any delivery; someone who cannot be invited at all (a deactivated account) is audited, not retried.
 */
export async function inviteParticipants(
  ctx: ServiceContext,
  ports: DeliveryPorts,
  message: Extract<OutboxMessage, { kind: 'invite' }>,
): Promise<void> {
  const snapshot = await requireSnapshot(ctx.db, message.upgradeId);
  const channelId = requireChannel(snapshot);
  const { failed } = await ports.gateway.invite(channelId, message.userIds);
  if (failed.length > 0) {
    await appendAudit(ctx.db, [
      { upgradeId: snapshot.id, actor: ctx.actor, action: 'invite-failed', detail: { failed, channelId } },
    ]);
  }
}
