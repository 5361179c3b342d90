import type { DateTime } from 'luxon';
import type { Executor } from '../../db/client.js';
import { type AuditEntry, appendAudit } from '../../db/repositories/audit.js';
import { enqueue, type OutboxEntry } from '../../db/repositories/outbox.js';
import { cancelReminders, matchesFilter, scheduleReminder } from '../../db/repositories/reminders.js';
import type { AuditActor } from '../../db/schema.js';
import type { Effect } from '../../engine/types.js';
import { isAnnounced, type OutboxMessage } from './outbox-messages.js';

function stepOfEffect(effect: Effect): string | null {
  return 'step' in effect && typeof effect.step === 'string' ? effect.step : null;
}

/** The audit row of an effect: the action is the effect's type, the detail everything else it carries. */
function auditEntryFor(
  upgradeId: string,
  actor: AuditActor,
  effect: Effect,
  extra: Record<string, unknown> = {},
): AuditEntry {
  const { type, ...detail } = effect;
  return { upgradeId, actor, action: type, stepKey: stepOfEffect(effect), detail: { ...detail, ...extra } };
}

type Cancellation = Extract<Effect, { type: 'reminders-cancelled' }>;

/** The effects in order, with each run of consecutive reminder cancellations gathered into one list. */
function inRuns(effects: Effect[]): (Effect | Cancellation[])[] {
  const runs: (Effect | Cancellation[])[] = [];
  for (const effect of effects) {
    const last = runs.at(-1);
    if (effect.type !== 'reminders-cancelled') runs.push(effect);
    else if (Array.isArray(last)) last.push(effect);
    else runs.push([effect]);
  }
  return runs;
}

export function outboxEntry(message: OutboxMessage): OutboxEntry {
  const upgradeId = 'upgradeId' in message ? message.upgradeId : null;
  // Nothing coalesces: a render carries the version it must show at least, and a Home tab refresh
  // that arrives while another is being sent must still be sent after it.
  return { upgradeId, kind: message.kind, payload: message };
}

/**
 * Writes what an engine transition set in motion, inside the caller's transaction: audit rows,
 * reminders (scheduled and cancelled, in order) and the Slack deliveries that show the change.
 */
export async function recordEffects(
  tx: Executor,
  now: DateTime,
  upgrade: { id: string; version: number },
  actor: AuditActor,
  effects: Effect[],
  extra: OutboxMessage[] = [],
): Promise<void> {
  const upgradeId = upgrade.id;
  const audit: AuditEntry[] = [];
  // In the engine's order: a cancel followed by a schedule of the same rule keeps the new one.
  for (const step of inRuns(effects)) {
    if (!Array.isArray(step)) {
      if (step.type === 'reminder-scheduled') await scheduleReminder(tx, upgradeId, step.reminder);
      audit.push(auditEntryFor(upgradeId, actor, step));
      continue;
    }
    // Consecutive cancellations go out as one statement; a reminder is credited to the first that names it.
    const cancelled = await cancelReminders(tx, upgradeId, step);
    for (const [index, cancel] of step.entries()) {
      const mine = cancelled.filter((row) => step.findIndex((c) => matchesFilter(row, c)) === index);
      // Only a cancellation that cancelled something is news, and it says which reminders.
      if (mine.length > 0)
        audit.push(auditEntryFor(upgradeId, actor, cancel, { cancelled: mine.map((r) => r.key) }));
    }
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
  // Independent writes, sent together in one round trip.
  await Promise.all([appendAudit(tx, audit), enqueue(tx, now, messages.map(outboxEntry))]);
}
