import { loadSnapshot, loadSnapshots } from '../../db/repositories/snapshots.js';
import { OPEN_STATUSES } from '../../engine/constants.js';
import type { DeliveryPorts } from '../ports/delivery.js';
import type { ReplyData } from '../ports/slack.js';
import type { ServiceContext } from '../shared/context.js';
import type { OutboxMessage } from '../shared/outbox-messages.js';

/** Answers one person through the response_url of what they typed or clicked (ephemeral). */
export async function sendReply(
  ctx: ServiceContext,
  ports: DeliveryPorts,
  message: Extract<OutboxMessage, { kind: 'respond' }>,
): Promise<void> {
  const { reply } = message;
  const aboutUpgrade = 'upgradeId' in reply ? reply.upgradeId : message.upgradeId;
  const data: ReplyData = {
    snapshot: aboutUpgrade ? await loadSnapshot(ctx.db, aboutUpgrade) : null,
    upgrades: reply.kind === 'list' ? await loadSnapshots(ctx.db, reply.teamId, OPEN_STATUSES) : [],
  };
  await ports.gateway.respond(message.responseUrl, ports.renderer.reply(reply, data, ctx.now()));
}
