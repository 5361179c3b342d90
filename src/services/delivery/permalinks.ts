import { appendAudit } from '../../db/repositories/audit.js';
import { recordPermalink } from '../../db/repositories/slack-messages.js';
import type { DeliveryPorts } from '../ports/delivery.js';
import { SlackCallError } from '../ports/slack.js';
import type { ServiceContext } from '../shared/context.js';

/** Slots whose messages the overview links to: the runbook parts (the overview itself needs none). */
export function wantsPermalink(slot: string): boolean {
  return slot.startsWith('runbook:');
}

/**
 * Fetches a posted message's permalink once and keeps it, so rendering stays a pure function of the
 * database. A failure is audited and never holds up the delivery: the overview shows the step's title
 * without a link until a later render fetches it.
 */
export async function keepPermalink(
  ctx: ServiceContext,
  ports: DeliveryPorts,
  message: { upgradeId: string; slot: string; channelId: string; ts: string },
): Promise<void> {
  try {
    const permalink = await ports.gateway.permalink(message.channelId, message.ts);
    await recordPermalink(ctx.db, message.upgradeId, message.slot, permalink);
  } catch (error) {
    if (!(error instanceof SlackCallError)) throw error;
    await appendAudit(ctx.db, [
      {
        upgradeId: message.upgradeId,
        actor: ctx.actor,
        action: 'slack-call-failed',
        detail: { method: error.method, error: error.code, slot: message.slot },
      },
    ]);
  }
}
