import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import type { Executor } from '../client.js';
import type { OutboxKind } from '../constants.js';
import { outbox } from '../schema.js';

export type OutboxRow = typeof outbox.$inferSelect;

export interface OutboxEntry {
  upgradeId: string | null;
  kind: OutboxKind;
  payload: Record<string, unknown>;
}

/** Queues deliveries, due `now` by the service clock (never the database's, which tests do not move). */
export async function enqueue(db: Executor, now: DateTime, entries: OutboxEntry[]): Promise<void> {
  for (const entry of entries) {
    await db
      .insert(outbox)
      .values({
        upgradeId: entry.upgradeId,
        kind: entry.kind,
        payload: entry.payload,
        nextAttemptAt: now.toJSDate(),
        createdAt: now.toJSDate(),
      })
      .onConflictDoNothing();
  }
}

/**
 * Claims the oldest due delivery with a lease: locked with SKIP LOCKED (another instance takes the
 * next one), then pushed to `leaseUntil`, so it can be worked on outside any transaction.
 */
export async function claimDueDelivery(db: Executor, now: Date, leaseUntil: Date): Promise<OutboxRow | null> {
  const [row] = await db
    .select()
    .from(outbox)
    .where(and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, now)))
    .orderBy(asc(outbox.id))
    .limit(1)
    .for('update', { skipLocked: true });
  if (!row) return null;
  await db.update(outbox).set({ nextAttemptAt: leaseUntil }).where(eq(outbox.id, row.id));
  return row;
}

/** The channel set-up of an upgrade is still queued (or retrying). */
export async function provisioningPending(db: Executor, upgradeId: string): Promise<boolean> {
  const [pending] = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        eq(outbox.upgradeId, upgradeId),
        eq(outbox.kind, 'provision-channel'),
        eq(outbox.status, 'pending'),
      ),
    )
    .limit(1);
  return pending !== undefined;
}

/** Marks done every queued render of an upgrade asking for version `shown` or older; later ones stay. */
export async function markRendersShown(db: Executor, upgradeId: string, shown: number): Promise<void> {
  await db
    .update(outbox)
    .set({ status: 'delivered', deliveredAt: sql`now()` })
    .where(
      and(
        eq(outbox.upgradeId, upgradeId),
        eq(outbox.kind, 'render'),
        eq(outbox.status, 'pending'),
        lte(sql`(${outbox.payload}->>'version')::int`, shown),
      ),
    );
}

export async function markDelivered(db: Executor, id: number): Promise<void> {
  await db
    .update(outbox)
    .set({
      status: 'delivered',
      deliveredAt: sql`now()`,
      attempts: sql`${outbox.attempts} + 1`,
      lastError: null,
    })
    .where(eq(outbox.id, id));
}

export async function markRetry(db: Executor, id: number, nextAttemptAt: Date, error: string): Promise<void> {
  await db
    .update(outbox)
    .set({ nextAttemptAt, lastError: error, attempts: sql`${outbox.attempts} + 1` })
    .where(eq(outbox.id, id));
}

/** Waiting is not failing: a deferral moves the delivery on without counting an attempt. */
export async function markDeferred(
  db: Executor,
  id: number,
  nextAttemptAt: Date,
  reason: string,
): Promise<void> {
  await db.update(outbox).set({ nextAttemptAt, lastError: reason }).where(eq(outbox.id, id));
}

export async function markDead(db: Executor, id: number, error: string): Promise<void> {
  await db
    .update(outbox)
    .set({ status: 'dead', lastError: error, attempts: sql`${outbox.attempts} + 1` })
    .where(eq(outbox.id, id));
}

export async function pendingDeliveries(db: Executor, upgradeId?: string): Promise<OutboxRow[]> {
  return db
    .select()
    .from(outbox)
    .where(and(eq(outbox.status, 'pending'), upgradeId ? eq(outbox.upgradeId, upgradeId) : undefined))
    .orderBy(asc(outbox.id));
}
