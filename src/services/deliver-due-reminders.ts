import { appendAudit } from '../db/repositories/audit.js';
import { enqueue } from '../db/repositories/outbox.js';
import {
  lockDueRemindersOf,
  type ReminderRow,
  scheduleReminder,
  settleReminder,
  upgradesWithDueReminders,
} from '../db/repositories/reminders.js';
import { readUpgradeShared } from '../db/repositories/upgrades.js';
import { evaluateReminder } from '../engine/reminders.js';
import type { ReminderRef } from '../engine/types.js';
import type { ServiceCall } from './shared/context.js';
import { outboxEntry } from './shared/record-effects.js';
import { inTransaction, query } from './shared/transaction.js';

export interface ReminderReport {
  sent: number;
  dropped: number;
}

const UPGRADES_PER_ROUND = 50;
const REMINDERS_PER_UPGRADE = 200;

function refOf(row: ReminderRow): ReminderRef & { dueAt: string } {
  return {
    rule: row.rule,
    scope: row.scope,
    anchor: row.anchor,
    occurrence: row.occurrence,
    dueAt: row.dueAt.toISOString(),
  };
}

/**
 * Sends the reminders that are due. Each upgrade is one transaction that reads its state (waiting for
 * a change in flight, so a gap closed a moment ago sends nothing), re-checks every reminder's condition,
 * queues the message, marks the reminder sent and schedules the next, escalating one. Reminders are
 * locked with SKIP LOCKED, so several bot processes share the work and each reminder goes out once.
 */
export async function deliverDueReminders({
  ctx,
  input,
}: ServiceCall<{ maxRounds?: number }>): Promise<ReminderReport> {
  const report: ReminderReport = { sent: 0, dropped: 0 };
  for (let round = 0; round < (input.maxRounds ?? 20); round++) {
    const now = ctx.now();
    const due = await query(ctx, (db) => upgradesWithDueReminders(db, now.toJSDate(), UPGRADES_PER_ROUND));
    if (due.length === 0) break;
    let progressed = false;
    for (const upgradeId of due) {
      await inTransaction(ctx, async (tx) => {
        // Upgrade row first, reminders second: the same order as a state change, so the two never deadlock.
        const upgrade = await readUpgradeShared(tx, upgradeId);
        if (!upgrade) return;
        const rows = await lockDueRemindersOf(tx, upgradeId, now.toJSDate(), REMINDERS_PER_UPGRADE);
        for (const row of rows) {
          progressed = true;
          const reminder = refOf(row);
          const decision = evaluateReminder(upgrade.state, reminder, now);
          if (!decision.send) {
            await settleReminder(tx, row.id, 'dropped');
            await appendAudit(tx, [
              {
                upgradeId,
                actor: ctx.actor,
                action: 'reminder-dropped',
                stepKey: null,
                detail: { ...reminder, key: row.key, reason: decision.reason },
              },
            ]);
            report.dropped++;
            continue;
          }
          await enqueue(tx, ctx.now(), [
            outboxEntry({
              kind: 'notice',
              upgradeId,
              notice: { kind: 'reminder', notice: decision.notice, reminder },
            }),
          ]);
          await settleReminder(tx, row.id, 'sent');
          if (decision.next) await scheduleReminder(tx, upgradeId, decision.next);
          // The failover banner names the next reminder: the runbook is rendered again to show it. The
          // state keeps its version, so this asks for the next one: no render read before it covers it.
          if (reminder.rule === 'FAILOVER_GAP') {
            await enqueue(tx, ctx.now(), [
              outboxEntry({ kind: 'render', upgradeId, version: upgrade.version + 1 }),
            ]);
          }
          await appendAudit(tx, [
            {
              upgradeId,
              actor: ctx.actor,
              action: 'reminder-sent',
              stepKey: null,
              detail: { ...reminder, key: row.key, mention: decision.notice.mention, next: decision.next },
            },
          ]);
          report.sent++;
        }
      });
    }
    if (!progressed) break;
  }
  if (report.sent > 0) ctx.outboxChanged();
  return report;
}
