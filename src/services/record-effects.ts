import type { Executor } from '../db/client.js';
import { type AuditEntry, appendAudit } from '../db/repositories/audit.js';
import { enqueue, type OutboxEntry } from '../db/repositories/outbox.js';
import { cancelReminders, scheduleReminder } from '../db/repositories/reminders.js';
import type { AuditActor } from '../db/schema.js';
import type { Effect } from '../engine/types.js';
import { isAnnounced, type OutboxMessage } from './outbox-messages.js';

function stepOfEffect(effect: Effect): string | null {
  return 'step' in effect && typeof effect.step === 'string' ? effect.step : null;
}

/** An audit row per effect: the action is the effect's type, the detail everything else it carries. */
export function auditEntriesFor(upgradeId: string, actor: AuditActor, effects: Effect[]): AuditEntry[] {
  return effects.map((effect) => {
    const { type, ...detail } = effect;
    return { upgradeId, actor, action: type, stepKey: stepOfEffect(effect), detail };
  });
}

export function outboxEntry(message: OutboxMessage): OutboxEntry {
  const upgradeId = 'upgradeId' in message ? message.upgradeId : null;
  // Nothing coalesces: a render carries the version it must show at least, and a Home tab refresh
  // that arrives while another is being sent must still be sent after it.
  return { upgradeId, kind: message.kind, payload: message, coalesceKey: null };
}

/**
 * Writes what an engine transition set in motion, inside the caller's transaction: audit rows,
 * reminders (scheduled and cancelled, in order) and the Slack deliveries that show the change.
 */
export async function recordEffects(
  tx: Executor,
  upgrade: { id: string; version: number },
  actor: AuditActor,
  effects: Effect[],
  extra: OutboxMessage[] = [],
): Promise<void> {
  const upgradeId = upgrade.id;
  await appendAudit(tx, auditEntriesFor(upgradeId, actor, effects));
  for (const effect of effects) {
    if (effect.type === 'reminder-scheduled') await scheduleReminder(tx, upgradeId, effect.reminder);
    if (effect.type === 'reminders-cancelled')
      await cancelReminders(tx, upgradeId, effect.rule, effect.scope);
  }
  const actorUserId = actor.type === 'slack' ? actor.userId : null;
  const messages: OutboxMessage[] = [
    { kind: 'render', upgradeId, version: upgrade.version },
    ...effects.filter(isAnnounced).map(
      (effect): OutboxMessage => ({
        kind: 'notice',
        upgradeId,
        notice: { kind: 'effect', effect, actorUserId },
      }),
    ),
    ...extra,
  ];
  await enqueue(tx, messages.map(outboxEntry));
}
