import { appendAudit } from '../../db/repositories/audit.js';
import type { DeliveryPorts } from '../ports/delivery.js';
import type { ServiceContext } from '../shared/context.js';
import type { OutboxMessage } from '../shared/outbox-messages.js';
import { requireChannel, requireSnapshot } from './common.js';

/**
 * Invites people to an upgrade channel. Slack's own trouble is thrown and retried like any delivery;
 * someone who cannot be invited at all (a deactivated account) is audited, not retried.
 */
export async function inviteToChannel(
  ctx: ServiceContext,
  ports: DeliveryPorts,
  upgradeId: string,
  channelId: string,
  userIds: string[],
): Promise<void> {
  const { failed } = await ports.gateway.invite(channelId, userIds);
  if (failed.length > 0) {
    await appendAudit(ctx.db, [
      { upgradeId, actor: ctx.actor, action: 'invite-failed', detail: { failed, channelId } },
    ]);
  }
}

/** Invites people made participants after the set-up (the set-up invites the first ones itself). */
export async function inviteParticipants(
  ctx: ServiceContext,
  ports: DeliveryPorts,
  message: Extract<OutboxMessage, { kind: 'invite' }>,
): Promise<void> {
  const snapshot = await requireSnapshot(ctx.db, message.upgradeId);
  await inviteToChannel(ctx, ports, snapshot.id, requireChannel(snapshot), message.userIds);
}
