import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { PlanName, UpgradeStatus } from '../../engine/constants.js';
import type { UpgradeState } from '../../engine/types.js';
import type { Executor } from '../client.js';
import { precompiled } from '../precompiled.js';
import { upgrades } from '../schema.js';

export type UpgradeRow = typeof upgrades.$inferSelect;

export interface NewUpgrade {
  /** From the service clock, like every time the bot reasons with. */
  createdAt: Date;
  teamId: string;
  plan: PlanName;
  state: UpgradeState;
  ticket: string | null;
  applianceA: string | null;
  applianceB: string | null;
}

export async function insertUpgrade(db: Executor, upgrade: NewUpgrade): Promise<UpgradeRow> {
  const [row] = await db
    .insert(upgrades)
    .values({ ...upgrade, status: upgrade.state.status })
    .returning();
  if (!row) throw new Error('insert into upgrades returned nothing');
  return row;
}

export async function findUpgrade(db: Executor, id: string): Promise<UpgradeRow | undefined> {
  const [row] = await upgradeById(db, { id });
  return row;
}

const upgradeById = precompiled<{ id: string }, UpgradeRow[]>('find_upgrade', (db) =>
  db
    .select()
    .from(upgrades)
    .where(eq(upgrades.id, sql.placeholder('id'))),
);

export async function findUpgradeByChannel(db: Executor, channelId: string): Promise<UpgradeRow | undefined> {
  const [row] = await db.select().from(upgrades).where(eq(upgrades.channelId, channelId));
  return row;
}

/**
 * Loads an upgrade to change it, locking its row for the transaction: concurrent changes queue up in
 * PostgreSQL instead of colliding (the version check stays as the guard).
 */
export async function findUpgradeToChange(
  db: Executor,
  target: { upgradeId: string } | { channelId: string },
): Promise<UpgradeRow | undefined> {
  const [row] = await ('upgradeId' in target
    ? upgradeToChangeById(db, { id: target.upgradeId })
    : upgradeToChangeByChannel(db, { channelId: target.channelId }));
  return row;
}

const upgradeToChangeById = precompiled<{ id: string }, UpgradeRow[]>('find_upgrade_to_change', (db) =>
  db
    .select()
    .from(upgrades)
    .where(eq(upgrades.id, sql.placeholder('id')))
    .for('update'),
);

const upgradeToChangeByChannel = precompiled<{ channelId: string }, UpgradeRow[]>(
  'find_upgrade_to_change_by_channel',
  (db) =>
    db
      .select()
      .from(upgrades)
      .where(eq(upgrades.channelId, sql.placeholder('channelId')))
      .for('update'),
);

/**
 * Upgrades in these statuses, oldest first: of one team, or of every team (the appliance watch walks
 * them). With `appliances`, only those that may concern one of them: naming it (case aside), or naming
 * no appliance at all, which may well be the same site. No names given: every upgrade may.
 */
export async function listUpgrades(
  db: Executor,
  filter: { teamId?: string; statuses: readonly UpgradeStatus[]; limit?: number; appliances?: string[] },
): Promise<UpgradeRow[]> {
  const names = (filter.appliances ?? []).map((name) => name.toLowerCase());
  const query = db
    .select()
    .from(upgrades)
    .where(
      and(
        filter.teamId === undefined ? undefined : eq(upgrades.teamId, filter.teamId),
        inArray(upgrades.status, filter.statuses),
        names.length === 0
          ? undefined
          : or(
              and(isNull(upgrades.applianceA), isNull(upgrades.applianceB)),
              inArray(sql`lower(${upgrades.applianceA})`, names),
              inArray(sql`lower(${upgrades.applianceB})`, names),
            ),
      ),
    )
    .orderBy(upgrades.createdAt);
  return filter.limit === undefined ? query : query.limit(filter.limit);
}

/** Writes a new state only if nobody else did since `version` was read; false means "reload and retry". */
export async function saveState(
  db: Executor,
  id: string,
  version: number,
  state: UpgradeState,
): Promise<boolean> {
  const updated = await stateSaved(db, { id, version, state: JSON.stringify(state), status: state.status });
  return updated.length === 1;
}

const stateSaved = precompiled<
  { id: string; version: number; state: string; status: UpgradeStatus },
  { id: string }[]
>('save_state', (db) =>
  db
    .update(upgrades)
    .set({
      // jsonb as drizzle sends it (JSON text); the version goes up in the database, from the one read.
      state: sql`${sql.placeholder('state')}`,
      status: sql`${sql.placeholder('status')}`,
      version: sql`${upgrades.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(upgrades.id, sql.placeholder('id')), eq(upgrades.version, sql.placeholder('version'))))
    .returning({ id: upgrades.id }),
);

export async function recordChannel(
  db: Executor,
  id: string,
  channelId: string,
  channelName: string,
): Promise<void> {
  await db.update(upgrades).set({ channelId, channelName, updatedAt: sql`now()` }).where(eq(upgrades.id, id));
}

/** The channel name about to be asked of Slack, kept so a retry can recognise a channel that was made. */
export async function recordIntendedChannel(db: Executor, id: string, channelName: string): Promise<void> {
  await db.update(upgrades).set({ channelName, updatedAt: sql`now()` }).where(eq(upgrades.id, id));
}

/**
 * Reads an upgrade under a share lock for the transaction: a state no change is in the middle of
 * (it waits for one in flight), and no change starts until the transaction ends.
 */
export async function readUpgradeShared(db: Executor, id: string): Promise<UpgradeRow | undefined> {
  const [row] = await upgradeShared(db, { id });
  return row;
}

const upgradeShared = precompiled<{ id: string }, UpgradeRow[]>('read_upgrade_shared', (db) =>
  db
    .select()
    .from(upgrades)
    .where(eq(upgrades.id, sql.placeholder('id')))
    .for('share'),
);

/** The open upgrade of the same change as a start, and whether its channel is still being set up. */
export interface OpenUpgradeOfChange {
  row: UpgradeRow;
  beingSetUp: boolean;
}

/**
 * The earliest open upgrade of the same change a `start` names: the same plan, ticket and appliances
 * (names compared as the appliances file does, without case). A start that does not `identify` its
 * change could be of any appliance: only the same person's start still being set up counts as the same
 * then. Takes a transaction lock on the change first, so two `start`s sent at once see each other.
 */
export async function findOpenUpgradeOfChange(
  db: Executor,
  key: {
    teamId: string;
    lead: string;
    plan: PlanName;
    ticket: string | null;
    applianceA: string | null;
    applianceB: string | null;
    /** What counts as open: the engine's OPEN_STATUSES. */
    statuses: readonly UpgradeStatus[];
    /** Whether the ticket and appliances tell this change from another (the service decides). */
    identifies: boolean;
  },
): Promise<OpenUpgradeOfChange | undefined> {
  const lower = (name: string | null) => name?.toLowerCase() ?? null;
  const change = [key.teamId, key.plan, lower(key.ticket), lower(key.applianceA), lower(key.applianceB)];
  await db.execute(
    sql`select pg_advisory_xact_lock(hashtext('pra-upgrade:start'), hashtext(${JSON.stringify(change)}))`,
  );
  // Spelt out: drizzle leaves the columns of a selected field unqualified, and outbox has an id too.
  const beingSetUp = sql<boolean>`exists (select 1 from "outbox" where "outbox"."upgrade_id" = "upgrades"."id" and "outbox"."kind" = 'provision-channel' and "outbox"."status" = 'pending')`;
  const [found] = await db
    .select({ row: upgrades, beingSetUp })
    .from(upgrades)
    .where(
      and(
        eq(upgrades.teamId, key.teamId),
        eq(upgrades.plan, key.plan),
        inArray(upgrades.status, [...key.statuses]),
        sql`lower(${upgrades.ticket}) is not distinct from ${lower(key.ticket)}`,
        sql`lower(${upgrades.applianceA}) is not distinct from ${lower(key.applianceA)}`,
        sql`lower(${upgrades.applianceB}) is not distinct from ${lower(key.applianceB)}`,
        key.identifies ? undefined : and(sql`${upgrades.state}->>'lead' = ${key.lead}`, beingSetUp),
      ),
    )
    .orderBy(upgrades.createdAt)
    .limit(1);
  return found;
}
