import {
  and,
  asc,
  eq,
  inArray,
  isNotNull,
  isNull,
  lte,
  ne,
  notInArray,
  or,
  type Placeholder,
  sql,
} from 'drizzle-orm';
import type { DateTime } from 'luxon';
import type { Executor } from '../client.js';
import type { OutboxKind } from '../constants.js';
import { precompiled, precompiledStatement } from '../precompiled.js';
import { deliveryLeases, deliveryOwners, outbox } from '../schema.js';

export type OutboxRow = typeof outbox.$inferSelect;

export interface OutboxEntry {
  upgradeId: string | null;
  kind: OutboxKind;
  payload: Record<string, unknown>;
}

/** Answers to one person and App Home views: delivered at once, in parallel, never behind channel updates. */
export const DIRECT_KINDS = ['respond', 'publish-home'] as const satisfies readonly OutboxKind[];

/**
 * Other processes learn of new deliveries and of freed upgrades on this channel (PostgreSQL NOTIFY).
 * The payload is the sender's `application_name`, so a process can pass by what it sent itself.
 */
export const OUTBOX_NOTIFY_CHANNEL = 'pra_upgrade_outbox';
const NOTIFY_OTHERS = sql`pg_notify(${OUTBOX_NOTIFY_CHANNEL}, current_setting('application_name'))`;

/** Whether a notification on the outbox channel came from another process than the one named `self`. */
export function sentByAnother(payload: string, self: string | null): boolean {
  return self === null || payload !== self;
}

/** Queues deliveries, due `now` by the service clock (never the database's, which tests do not move). */
export async function enqueue(db: Executor, now: DateTime, entries: OutboxEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await queued(db, {
    entries: JSON.stringify(entries.map(({ upgradeId, kind, payload }) => ({ upgradeId, kind, payload }))),
    now: now.toJSDate().toISOString(),
  });
}

// One statement for any number of entries (a JSON array, inserted in its order, so ids follow it). A
// data-modifying CTE always runs; the notification goes out at commit (or never, on rollback), so the
// other processes look only at work that exists.
const queued = precompiledStatement<{ entries: string; now: string }>(
  'enqueue',
  sql`with queued as (
      insert into ${outbox} (upgrade_id, kind, payload, next_attempt_at, created_at)
      select (e.value->>'upgradeId')::uuid, e.value->>'kind', e.value->'payload',
        ${sql.placeholder('now')}::timestamptz, ${sql.placeholder('now')}::timestamptz
      from jsonb_array_elements(${sql.placeholder('entries')}::jsonb) with ordinality as e(value, n)
      order by e.n
      on conflict do nothing
    ) select ${NOTIFY_OTHERS}`,
);

/** Owners whose heartbeat is recent, by the database clock: the processes still alive. */
function liveOwners(db: Executor, staleSeconds: number | Placeholder) {
  return db
    .select({ id: deliveryOwners.id })
    .from(deliveryOwners)
    .where(sql`${deliveryOwners.heartbeatAt} > now() - ${staleSeconds} * interval '1 second'`);
}

/** Registers this process as a delivery owner, or renews its heartbeat. */
export async function beatHeart(db: Executor, ownerId: string): Promise<void> {
  await db
    .insert(deliveryOwners)
    .values({ id: ownerId })
    .onConflictDoUpdate({ target: deliveryOwners.id, set: { heartbeatAt: sql`now()` } });
}

/** Deletes owners dead this long, so the table stays about as long as the processes running. */
export async function pruneDeadOwners(db: Executor, pruneAfterSeconds: number): Promise<void> {
  await db
    .delete(deliveryOwners)
    .where(sql`${deliveryOwners.heartbeatAt} < now() - ${pruneAfterSeconds} * interval '1 second'`);
}

/** A process that knows it is the only one (embedded database) declares every other owner dead. */
export async function forgetOtherOwners(db: Executor, ownerId: string): Promise<void> {
  await db.delete(deliveryOwners).where(sql`${deliveryOwners.id} <> ${ownerId}`);
}

/** A clean stop: this owner's leases and claims are handed back at once instead of timing out. */
export async function retireOwner(db: Executor, ownerId: string): Promise<void> {
  await db.delete(deliveryLeases).where(eq(deliveryLeases.ownerId, ownerId));
  await db
    .update(outbox)
    .set({ claimedBy: null })
    .where(and(eq(outbox.claimedBy, ownerId), eq(outbox.status, 'pending')));
  await db.delete(deliveryOwners).where(eq(deliveryOwners.id, ownerId));
  await db.execute(sql`select ${NOTIFY_OTHERS}`);
}

/** Upgrades another live process is delivering right now (this process keeps track of its own). */
function heldUpgrades(db: Executor, ownerId: string | Placeholder, staleSeconds: number | Placeholder) {
  return db
    .select({ upgradeId: deliveryLeases.upgradeId })
    .from(deliveryLeases)
    .where(
      and(ne(deliveryLeases.ownerId, ownerId), inArray(deliveryLeases.ownerId, liveOwners(db, staleSeconds))),
    );
}

function claimable(db: Executor, staleSeconds: number | Placeholder) {
  return or(isNull(outbox.claimedBy), notInArray(outbox.claimedBy, liveOwners(db, staleSeconds)));
}

const isDirect = or(isNull(outbox.upgradeId), inArray(outbox.kind, [...DIRECT_KINDS]));

interface ClaimOptions {
  ownerId: string;
  now: Date;
  staleSeconds: number;
}

/** A claim's placeholder values: the timestamp as text, as every precompiled statement takes it. */
function claimValues(options: ClaimOptions) {
  return { ownerId: options.ownerId, now: options.now.toISOString(), staleSeconds: options.staleSeconds };
}

/** A claim's SET: the row is this owner's, and the claim counted. A new object for each statement built. */
function claimedByOwner() {
  return { claimedBy: sql`${sql.placeholder('ownerId')}`, claims: sql`${outbox.claims} + 1` };
}

/**
 * Claims due direct deliveries (replies, App Home) in one statement: locked with SKIP LOCKED, so of
 * several processes each takes different rows, and marked as this owner's until done (counting the
 * claim: a second claim means an uncertain first attempt).
 */
export function claimDirectDeliveries(
  db: Executor,
  options: ClaimOptions & { limit: number },
): Promise<OutboxRow[]> {
  return claimDirect(db, { ...claimValues(options), limit: options.limit }).then((rows) =>
    rows.sort((a, b) => a.id - b.id),
  );
}

const claimDirect = precompiled<
  { ownerId: string; now: string; staleSeconds: number; limit: number },
  OutboxRow[]
>('claim_direct_deliveries', (db) => {
  const due = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        eq(outbox.status, 'pending'),
        lte(outbox.nextAttemptAt, sql.placeholder('now')),
        isDirect,
        claimable(db, sql.placeholder('staleSeconds')),
      ),
    )
    .orderBy(asc(outbox.id))
    .limit(sql.placeholder('limit'))
    .for('update', { skipLocked: true });
  return db.update(outbox).set(claimedByOwner()).where(inArray(outbox.id, due)).returning();
});

/** The channel set-up goes first (the other messages need its channel), then oldest first. */
const SETUP_FIRST = sql`(${outbox.kind} <> 'provision-channel')`;
const headId = sql<number>`coalesce(min(${outbox.id}) filter (where ${outbox.kind} = 'provision-channel'), min(${outbox.id}))`;

/** Each upgrade with pending channel messages, and the one of them to deliver next (its head). */
function channelHeads(db: Executor) {
  return db
    .select({ upgradeId: outbox.upgradeId, firstId: headId.as('first_id') })
    .from(outbox)
    .where(
      and(
        eq(outbox.status, 'pending'),
        isNotNull(outbox.upgradeId),
        notInArray(outbox.kind, [...DIRECT_KINDS]),
      ),
    )
    .groupBy(outbox.upgradeId);
}

/**
 * Upgrades whose oldest pending channel delivery is due and which no live process is delivering, oldest
 * first. An upgrade waiting for a retry waits whole: its later messages never overtake the earlier one.
 */
export async function upgradesDueForDelivery(
  db: Executor,
  options: ClaimOptions & { limit: number; exclude: string[] },
): Promise<string[]> {
  const rows = await dueUpgrades(db, {
    ...claimValues(options),
    limit: options.limit,
    exclude: options.exclude,
  });
  return rows.map((r) => r.upgradeId).filter((id): id is string => id !== null);
}

const dueUpgrades = precompiled<
  { ownerId: string; now: string; staleSeconds: number; limit: number; exclude: string[] },
  { upgradeId: string | null }[]
>('upgrades_due_for_delivery', (db) => {
  const heads = channelHeads(db).as('heads');
  return db
    .select({ upgradeId: outbox.upgradeId })
    .from(heads)
    .innerJoin(outbox, eq(outbox.id, heads.firstId))
    .where(
      and(
        lte(outbox.nextAttemptAt, sql.placeholder('now')),
        notInArray(
          outbox.upgradeId,
          heldUpgrades(db, sql.placeholder('ownerId'), sql.placeholder('staleSeconds')),
        ),
        // An array parameter keeps one statement for any number of upgrades excluded.
        sql`${outbox.upgradeId} <> all(${sql.placeholder('exclude')}::uuid[])`,
      ),
    )
    .orderBy(asc(outbox.id))
    .limit(sql.placeholder('limit'));
});

/** Takes an upgrade's delivery lease: free, or held by an owner whose heartbeat stopped. True when taken. */
export async function takeUpgradeLease(
  db: Executor,
  upgradeId: string,
  ownerId: string,
  staleSeconds: number,
): Promise<boolean> {
  const taken = await db
    .insert(deliveryLeases)
    .values({ upgradeId, ownerId })
    .onConflictDoUpdate({
      target: deliveryLeases.upgradeId,
      set: { ownerId, takenAt: sql`now()` },
      where: or(
        eq(deliveryLeases.ownerId, ownerId),
        notInArray(deliveryLeases.ownerId, liveOwners(db, staleSeconds)),
      ),
    })
    .returning({ upgradeId: deliveryLeases.upgradeId });
  return taken.length > 0;
}

/** Frees the upgrade and wakes the other processes, which may have passed it by while it was taken. */
export async function releaseUpgradeLease(db: Executor, upgradeId: string, ownerId: string): Promise<void> {
  // One statement, so the others are woken exactly when the lease is gone.
  await db.execute(sql`with released as (
      delete from ${deliveryLeases}
      where ${deliveryLeases.upgradeId} = ${upgradeId} and ${deliveryLeases.ownerId} = ${ownerId}
    ) select ${NOTIFY_OTHERS}`);
}

/**
 * Claims the oldest pending channel delivery of an upgrade whose lease this owner holds, if it is due.
 * The lease hands the upgrade to one process; the row lock waits rather than skips, so no later message
 * ever overtakes an earlier one.
 */
export async function claimNextOfUpgrade(
  db: Executor,
  upgradeId: string,
  options: ClaimOptions,
): Promise<OutboxRow | null> {
  const [row] = await claimHead(db, { upgradeId, ownerId: options.ownerId, now: options.now.toISOString() });
  return row ?? null;
}

const claimHead = precompiled<{ upgradeId: string; ownerId: string; now: string }, OutboxRow[]>(
  'claim_next_of_upgrade',
  (db) => {
    // One statement: the head is locked (waiting, never skipping), then claimed only if it is due.
    const head = db
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        and(
          eq(outbox.status, 'pending'),
          eq(outbox.upgradeId, sql.placeholder('upgradeId')),
          notInArray(outbox.kind, [...DIRECT_KINDS]),
        ),
      )
      .orderBy(SETUP_FIRST, asc(outbox.id))
      .limit(1)
      .for('update');
    return db
      .update(outbox)
      .set(claimedByOwner())
      .where(and(sql`${outbox.id} = (${head})`, lte(outbox.nextAttemptAt, sql.placeholder('now'))))
      .returning();
  },
);

/**
 * When the next delivery that can be made falls due, by the service clock (null when none can), and
 * whether anything is pending at all. Only a direct delivery or the head of an upgrade's channel
 * messages can be made (the messages behind a head that waits for its retry wait with it, whatever
 * their own time), and none another live process is making: a time that has passed but cannot be
 * acted on would wake the drainer again at once.
 */
export async function nextDelivery(
  db: Executor,
  staleSeconds: number,
): Promise<{ dueAt: Date | null; pending: boolean }> {
  const heads = channelHeads(db).as('heads');
  const deliverable = and(
    or(isDirect, inArray(outbox.id, db.select({ id: heads.firstId }).from(heads))),
    claimable(db, staleSeconds),
  );
  const [row] = await db
    .select({
      dueAt: sql<Date | null>`min(${outbox.nextAttemptAt}) filter (where ${deliverable})`.mapWith(
        outbox.nextAttemptAt,
      ),
      pending: sql<number>`count(*)`.mapWith(Number),
    })
    .from(outbox)
    .where(eq(outbox.status, 'pending'));
  return { dueAt: row?.dueAt ?? null, pending: (row?.pending ?? 0) > 0 };
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

/**
 * A render delivered: its own row, and every queued render of the upgrade asking for version `shown`
 * or older (later ones stay), in one UPDATE, so no transaction is held open around it.
 */
export async function markRenderDelivered(
  db: Executor,
  id: number,
  upgradeId: string,
  shown: number,
): Promise<void> {
  await renderDelivered(db, { id, upgradeId, shown });
}

const renderDelivered = precompiled<{ id: number; upgradeId: string; shown: number }, unknown>(
  'mark_render_delivered',
  (db) => {
    const own = eq(outbox.id, sql.placeholder('id'));
    return db
      .update(outbox)
      .set({
        status: 'delivered',
        deliveredAt: sql`now()`,
        claimedBy: null,
        // Only the delivered row counts an attempt; the ones it covers were never tried.
        attempts: sql`case when ${own} then ${outbox.attempts} + 1 else ${outbox.attempts} end`,
        lastError: sql`case when ${own} then null else ${outbox.lastError} end`,
      })
      .where(
        or(
          own,
          and(
            eq(outbox.upgradeId, sql.placeholder('upgradeId')),
            eq(outbox.kind, 'render'),
            eq(outbox.status, 'pending'),
            lte(sql`(${outbox.payload}->>'version')::int`, sql.placeholder('shown')),
          ),
        ),
      );
  },
);

export async function markDelivered(db: Executor, id: number): Promise<void> {
  await delivered(db, { id });
}

const delivered = precompiled<{ id: number }, unknown>('mark_delivered', (db) =>
  db
    .update(outbox)
    .set({
      status: 'delivered',
      deliveredAt: sql`now()`,
      attempts: sql`${outbox.attempts} + 1`,
      lastError: null,
      claimedBy: null,
    })
    .where(eq(outbox.id, sql.placeholder('id'))),
);

export async function markRetry(db: Executor, id: number, nextAttemptAt: Date, error: string): Promise<void> {
  await db
    .update(outbox)
    .set({ nextAttemptAt, lastError: error, attempts: sql`${outbox.attempts} + 1`, claimedBy: null })
    .where(eq(outbox.id, id));
}

/** Waiting is not failing: a deferral moves the delivery on without counting an attempt. */
export async function markDeferred(
  db: Executor,
  id: number,
  nextAttemptAt: Date,
  reason: string,
): Promise<void> {
  await db.update(outbox).set({ nextAttemptAt, lastError: reason, claimedBy: null }).where(eq(outbox.id, id));
}

export async function markDead(db: Executor, id: number, error: string): Promise<void> {
  await db
    .update(outbox)
    .set({ status: 'dead', lastError: error, attempts: sql`${outbox.attempts} + 1`, claimedBy: null })
    .where(eq(outbox.id, id));
}

export async function pendingDeliveries(db: Executor, upgradeId?: string): Promise<OutboxRow[]> {
  return db
    .select()
    .from(outbox)
    .where(and(eq(outbox.status, 'pending'), upgradeId ? eq(outbox.upgradeId, upgradeId) : undefined))
    .orderBy(asc(outbox.id));
}
