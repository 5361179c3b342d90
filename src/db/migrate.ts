import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { type Database, endsConnection, type Schema } from './client.js';

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
  const session = await within(client.reserve(), queryLimitMs, 'a connection for the migrations lock');
  let answering = true;
  try {
    // Tried rather than waited on: a wait on a session whose socket died would never end.
    const deadline = Date.now() + waitMs;
    for (;;) {
      const [row] = await within(
        session<{ locked: boolean }[]>`select pg_try_advisory_lock(${MIGRATION_LOCK}) as locked`,
        queryLimitMs,
        'the migrations lock',
      );
      if (row?.locked) break;
      if (Date.now() >= deadline) {
        throw new Error(
          `another pra-upgrade instance has held the migrations lock for ${Math.round(waitMs / 1000)} s; if none is migrating, end the session holding advisory lock ${MIGRATION_LOCK} (pg_locks)`,
        );
      }
      await sleep(TRY_EVERY_MS);
    }
    await migratePostgres(database.db as unknown as PostgresJsDatabase<Schema>, {
      migrationsFolder: MIGRATIONS_FOLDER,
    });
  } catch (error) {
    if (error instanceof MigrationSessionLost || endsConnection(error)) answering = false;
    throw error;
  } finally {
    // A session that stopped answering is not given back to the pool: the start fails and closes it.
    const unlocked =
      answering &&
      (await within(session`select pg_advisory_unlock(${MIGRATION_LOCK})`, queryLimitMs, 'the unlock').then(
        () => true,
        () => false,
      ));
    if (unlocked) session.release();
  }
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
