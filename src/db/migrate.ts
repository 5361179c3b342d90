import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type postgres from 'postgres';
import {
  type Database,
  endsConnection,
  reserveWithin,
  type Schema,
  TransactionConnectionLost,
} from './client.js';

/** `drizzle/` at the package root, whether running from src/ (tsx) or dist/ (node). */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));

// Any constant: instances starting together take turns instead of racing through the same migrations.
const MIGRATION_LOCK = 727_274_001;

export interface MigrationLimits {
  /** How long a start waits for another instance's migrations before it gives up. */
  waitMs?: number;
  /** Each query of the lock's own session: postgres.js 3.4 may never answer one whose socket died. */
  queryLimitMs?: number;
}

const DEFAULTS: Required<MigrationLimits> = { waitMs: 120_000, queryLimitMs: 10_000 };
const TRY_EVERY_MS = 250;

class MigrationSessionLost extends Error {}

/** `work` within `ms`, or an error saying what did not answer: a start that fails says so, never hangs. */
async function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new MigrationSessionLost(`PostgreSQL did not answer ${what} within ${ms} ms`)),
      ms,
    );
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A query of the lock's session, within its time limit. */
type Ask = <T>(query: Promise<T>, what: string) => Promise<T>;

/** Who holds the migrations lock, as pg_stat_activity names it (the bot names its sessions). */
async function lockHolder(session: postgres.ReservedSql, ask: Ask): Promise<string> {
  // A one-bigint advisory key is kept as its high and low 32 bits (this one fits in the low half), and
  // per database: pg_locks lists the whole server's.
  const [holder] = await ask(
    session<{ pid: number; name: string }[]>`
      select a.pid, a.application_name as name from pg_locks l join pg_stat_activity a using (pid)
      where l.locktype = 'advisory' and l.classid = 0 and l.objid = ${MIGRATION_LOCK} and l.objsubid = 1
        and l.granted and l.database = (select oid from pg_database where datname = current_database())`,
    'who holds the migrations lock',
  );
  return holder ? `${holder.name ? `"${holder.name}"` : 'a session'} (pid ${holder.pid})` : 'a session';
}

/**
 * Applies the migrations, one instance at a time. The lock is held by a session of its own, whose
 * every query has a time limit: a start fails, saying what did not answer, rather than hang. If that
 * session stops answering it is never given back to the pool (the caller closes the database).
 */
export async function runMigrations(database: Database, limits: MigrationLimits = {}): Promise<void> {
  if (database.kind === 'pglite') {
    await migratePglite(database.db as unknown as PgliteDatabase<Schema>, {
      migrationsFolder: MIGRATIONS_FOLDER,
    });
    return;
  }
  const client = database.postgres;
  if (!client) throw new Error('postgres client missing');
  const { waitMs, queryLimitMs } = { ...DEFAULTS, ...limits };
  // A late connection is given back by reserveWithin; a lost one is said as what it was.
  const session = await reserveWithin(client, queryLimitMs).catch((error: unknown) => {
    throw error instanceof TransactionConnectionLost ? error.cause : error;
  });
  let sessionAnswers = true;
  const ask: Ask = (query, what) =>
    within(query, queryLimitMs, what).catch((error: unknown) => {
      if (error instanceof MigrationSessionLost || endsConnection(error)) sessionAnswers = false;
      throw error;
    });
  let locked = false;
  let failure: { error: unknown } | null = null;
  try {
    // Tried rather than waited on: a wait on a session whose socket died would never end.
    const startedAt = Date.now();
    for (;;) {
      const [row] = await ask(
        session<{ locked: boolean }[]>`select pg_try_advisory_lock(${MIGRATION_LOCK}) as locked`,
        'the migrations lock',
      );
      if (row?.locked) break;
      if (Date.now() - startedAt >= waitMs) {
        // The wait is what went wrong: a holder that cannot be asked does not hide it.
        const holder = await lockHolder(session, ask).catch(() => 'a session (it could not be asked which)');
        throw new Error(
          `waited ${((Date.now() - startedAt) / 1000).toFixed(1)} s for the migrations lock, held by ${holder}: another instance is migrating (start this one once it is up), or end that session if nothing is`,
        );
      }
      await sleep(TRY_EVERY_MS);
    }
    locked = true;
    await migratePostgres(database.db as unknown as PostgresJsDatabase<Schema>, {
      migrationsFolder: MIGRATIONS_FOLDER,
    });
  } catch (error) {
    failure = { error };
  }
  // A session that stopped answering is not given back to the pool; the caller closes the database.
  if (!sessionAnswers) throw failure?.error;
  const unlockFailure = locked
    ? await ask(session`select pg_advisory_unlock(${MIGRATION_LOCK})`, 'the unlock').then(
        () => null,
        (error: unknown) => ({ error }),
      )
    : null;
  if (!unlockFailure) session.release();
  if (failure) throw failure.error;
  // Perhaps still held: the start must fail, so that closing the database ends the session.
  if (unlockFailure)
    throw new Error('the migrations lock could not be released', { cause: unlockFailure.error });
}

/** How many migrations ship with this build (drizzle's journal). */
export function expectedMigrationCount(): number {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

/** Ready means reachable and every shipped migration applied. */
export async function migrationsApplied(database: Database): Promise<boolean> {
  const result = await database.db.execute<{ count: number }>(
    sql`select count(*)::int as count from drizzle.__drizzle_migrations`,
  );
  const rows = Array.isArray(result) ? result : (result as unknown as { rows: { count: number }[] }).rows;
  return (rows[0]?.count ?? 0) >= expectedMigrationCount();
}
