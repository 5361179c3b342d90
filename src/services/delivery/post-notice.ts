import { appendAudit } from '../../db/repositories/audit.js';
import { planOf } from '../../engine/plan-cache.js';
import { reminderStillApplies } from '../../engine/reminders.js';
import type { DeliveryPorts } from '../ports/delivery.js';
import type { ServiceContext } from '../shared/context.js';
import type { OutboxMessage } from '../shared/outbox-messages.js';
import { type Attempt, NothingToDo, postOnce, requireChannel, requireSnapshot } from './common.js';

/**
 * Posts a notice into the upgrade channel. A reminder is checked once more against the current state:
 * one held back by Slack errors must not announce a failover gap that has since been closed.
 */
export async function postNotice(
  ctx: ServiceContext,
  ports: DeliveryPorts,
  message: Extract<OutboxMessage, { kind: 'notice' }>,
  attempt: Attempt,
): Promise<void> {
  const snapshot = await requireSnapshot(ctx.db, message.upgradeId);
  const { notice } = message;
  if (
    notice.kind === 'reminder' &&
    !reminderStillApplies(snapshot.state, planOf(snapshot.state), notice.reminder)
  ) {
    await appendAudit(ctx.db, [
      {
        upgradeId: snapshot.id,
        actor: ctx.actor,
        action: 'reminder-dropped',
        detail: { ...notice.reminder, reason: 'its condition no longer held when it could be posted' },
      },
    ]);
    throw new NothingToDo('the reminder no longer applies');
  }
  const content = ports.renderer.notice(snapshot, notice, ctx.now());
  const posted = await postOnce(
    ports,
    attempt,
    requireChannel(snapshot),
    content,
    `outbox:${attempt.outboxId}`,
  );
  if (posted.adopted) {
    await appendAudit(ctx.db, [
      {
        upgradeId: snapshot.id,
        actor: ctx.actor,
        action: 'message-adopted',
        detail: {
          outboxId: attempt.outboxId,
          ts: posted.ts,
          reason: 'posted by an earlier, unrecorded attempt',
        },
      },
    ]);
  }
}
