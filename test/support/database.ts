import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll } from 'vitest';
import { createDatabase, type Database } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';

export interface TestDatabase {
  database: Database;
  /** postgres:// URL of this test's own database, or null on PGlite. */
  url: string | null;
  dispose(): Promise<void>;
}

/** The server under test: PostgreSQL when DATABASE_URL is set (always in CI), else in-memory PGlite. */
export const usingPostgres = Boolean(process.env.DATABASE_URL);

function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** The local server of this machine, for the tests that need a real PostgreSQL even without DATABASE_URL. */
export const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Creates an empty database of its own for one test file, so no run depends on another's data. */
export async function createEmptyDatabase(
  options: { poolSize?: number; server?: 'default' | 'postgres' } = {},
): Promise<TestDatabase> {
  if (!usingPostgres && options.server !== 'postgres') {
    const database = createDatabase({ kind: 'pglite', dataDir: null });
    return { database, url: null, dispose: () => database.close() };
  }
  const baseUrl = POSTGRES_URL;
  const name = `pra_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = withDatabaseName(baseUrl, name);
  const database = createDatabase({ kind: 'postgres', url, poolSize: options.poolSize ?? 10 });
  return {
    database,
    url,
    async dispose() {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export async function createTestDatabase(
  options: { poolSize?: number; server?: 'default' | 'postgres' } = {},
): Promise<TestDatabase> {
  const test = await createEmptyDatabase(options);
  await runMigrations(test.database);
  return test;
}

/**
 * A migrated database of its own for the `describe` block (or file) that calls this: made before its
 * tests, dropped after them. Read its fields inside tests and hooks, once it exists.
 */
export function useTestDatabase(
  options: { poolSize?: number; server?: 'default' | 'postgres' } = {},
): TestDatabase {
  let current: TestDatabase | undefined;
  beforeAll(async () => {
    current = await createTestDatabase(options);
  });
  afterAll(() => current?.dispose());
  const made = (): TestDatabase => {
    if (!current) throw new Error('the test database is made in beforeAll: use it inside a test or hook');
    return current;
  };
  return {
    get database() {
      return made().database;
    },
    get url() {
      return made().url;
    },
    dispose: () => made().dispose(),
  };
}

/** The database error behind drizzle's "Failed query" wrapper. */
export async function databaseError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause;
    return cause?.message ?? String(error);
  }
  throw new Error('the statement succeeded');
}
