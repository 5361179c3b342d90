import { and, asc, eq, lte, or, sql } from 'drizzle-orm';
import type { TimeRule } from '../../engine/constants.js';
import type { ReminderSpec } from '../../engine/types.js';
import type { Executor } from '../client.js';
import type { ReminderStatus } from '../constants.js';
import { reminders } from '../schema.js';

export type ReminderRow = typeof reminders.$inferSelect;

/** Scheduling a pending or sent key again is a no-op, so a replayed effect never doubles a reminder. */
export async function scheduleReminder(
  db: Executor,
  upgradeId: string,
  spec: ReminderSpec,
): Promise<boolean> {
  const inserted = await db
    .insert(reminders)
    .values({
      upgradeId,
      rule: spec.rule,
      key: spec.key,
      scope: spec.scope,
      anchor: spec.anchor,
      occurrence: spec.occurrence,
      dueAt: new Date(spec.dueAt),
    })
    // A key cancelled earlier (a window moved away and back) comes back to life; a sent one stays sent.
    .onConflictDoUpdate({
      target: [reminders.upgradeId, reminders.key],
      set: { status: 'pending', dueAt: new Date(spec.dueAt), settledAt: null },
      where: eq(reminders.status, 'cancelled'),
    })
    .returning({ id: reminders.id });
  return inserted.length > 0;
}

/** Which pending reminders to cancel: of a rule (every rule when null), within a scope when given. */
export interface ReminderFilter {
  rule: TimeRule | null;
  scope: string | null;
}

/** Whether a reminder is one a filter cancels. */
export function matchesFilter(row: Pick<ReminderRow, 'rule' | 'scope'>, filter: ReminderFilter): boolean {
  return (
    (filter.rule === null || row.rule === filter.rule) &&
    (filter.scope === null || row.scope === filter.scope)
  );
}

/** Cancels the pending reminders any of the filters names, in one statement; returns them. */
export async function cancelReminders(
  db: Executor,
  upgradeId: string,
  filters: ReminderFilter[],
): Promise<ReminderRow[]> {
  if (filters.length === 0) return [];
  // A filter without rule or scope names every pending reminder of the upgrade.
  const everything = filters.some((filter) => filter.rule === null && filter.scope === null);
  const named = everything
    ? undefined
    : or(
        ...filters.map((filter) =>
          and(
            filter.rule === null ? undefined : eq(reminders.rule, filter.rule),
            filter.scope === null ? undefined : eq(reminders.scope, filter.scope),
          ),
        ),
      );
  return db
    .update(reminders)
    .set({ status: 'cancelled', settledAt: sql`now()` })
    .where(and(eq(reminders.upgradeId, upgradeId), eq(reminders.status, 'pending'), named))
    .returning();
}

export async function settleReminder(
  db: Executor,
  id: number,
  status: Exclude<ReminderStatus, 'pending'>,
): Promise<void> {
  await db.update(reminders).set({ status, settledAt: sql`now()` }).where(eq(reminders.id, id));
}

export async function pendingReminders(db: Executor, upgradeId: string): Promise<ReminderRow[]> {
  return db
    .select()
    .from(reminders)
    .where(and(eq(reminders.upgradeId, upgradeId), eq(reminders.status, 'pending')))
    .orderBy(asc(reminders.dueAt));
}

/**
 * When the earliest pending reminder falls due, or null when none is pending: of one upgrade's rule
 * (a failover gap's deadline), or of any upgrade (the local workspace's "next reminder").
 */
export async function nextPendingDue(
  db: Executor,
  of?: { upgradeId: string; rule: TimeRule },
): Promise<Date | null> {
  const [row] = await db
    .select({ dueAt: reminders.dueAt })
    .from(reminders)
    .where(
      and(
        eq(reminders.status, 'pending'),
        ...(of ? [eq(reminders.upgradeId, of.upgradeId), eq(reminders.rule, of.rule)] : []),
      ),
    )
    .orderBy(asc(reminders.dueAt))
    .limit(1);
  return row?.dueAt ?? null;
}

/** Upgrades with reminders due, without locking anything: the per-upgrade transactions lock. */
export async function upgradesWithDueReminders(db: Executor, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectDistinct({ upgradeId: reminders.upgradeId })
    .from(reminders)
    .where(and(eq(reminders.status, 'pending'), lte(reminders.dueAt, now)))
    .limit(limit);
  return rows.map((r) => r.upgradeId);
}

/** Locks the due reminders of one upgrade; another process holding some simply gets the rest. */
export async function lockDueRemindersOf(
  db: Executor,
  upgradeId: string,
  now: Date,
  limit: number,
): Promise<ReminderRow[]> {
  return db
    .select()
    .from(reminders)
    .where(
      and(eq(reminders.upgradeId, upgradeId), eq(reminders.status, 'pending'), lte(reminders.dueAt, now)),
    )
    .orderBy(asc(reminders.dueAt), asc(reminders.id))
    .limit(limit)
    .for('update', { skipLocked: true });
}
