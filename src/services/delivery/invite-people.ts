import { appendAudit } from '../../db/repositories/audit.js';
import type { ServiceContext } from '../context.js';
import type { OutboxMessage } from '../outbox-messages.js';
import { type DeliveryPorts, requireChannel, requireSnapshot } from './ports.js';

/** Invites people into the upgrade channel; those who cannot be invited at all are audited. */
export async function invitePeople(
  ctx: ServiceContext,
  ports: DeliveryPorts,
  message: Extract<OutboxMessage, { kind: 'invite' }>,
): Promise<void> {
  const snapshot = await requireSnapshot(ctx.db, message.upgradeId);
  const { failed } = await ports.gateway.invite(requireChannel(snapshot), message.userIds);
  if (failed.length > 0) {
    await appendAudit(ctx.db, [
      { upgradeId: snapshot.id, actor: ctx.actor, action: 'invite-failed', detail: { failed } },
    ]);
  }
}
