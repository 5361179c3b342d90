import { loadSnapshots } from '../../db/repositories/snapshots.js';
import { OPEN_STATUSES } from '../../engine/constants.js';
import type { DeliveryPorts } from '../ports/delivery.js';
import type { ServiceContext } from '../shared/context.js';
import type { OutboxMessage } from '../shared/outbox-messages.js';

/** The App Home tab of one person: the team's active upgrades, read at delivery time. */
export async function publishHome(
  ctx: ServiceContext,
  ports: DeliveryPorts,
  message: Extract<OutboxMessage, { kind: 'publish-home' }>,
): Promise<void> {
  const active = await loadSnapshots(ctx.db, message.teamId, OPEN_STATUSES);
  await ports.gateway.publishHome(message.userId, ports.renderer.home(message.userId, active, ctx.now()));
}
