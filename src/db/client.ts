import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema.js';

export type Schema = typeof schema;
/** The database or a transaction: both drivers share drizzle's PostgreSQL query builder. */
export type Executor = PgDatabase<PgQueryResultHKT, Schema>;

export type DatabaseTarget =
  | { kind: 'postgres'; url: string; poolSize?: number }
  | { kind: 'pglite'; dataDir: string | null };

export interface Database {
  kind: DatabaseTarget['kind'];
  db: Executor;
  close(): Promise<void>;
  /** postgres.js only: the raw client, for a session-level advisory lock during migrations. */
  postgres?: postgres.Sql;
  pglite?: PGlite;
}

/**
 * PostgreSQL through postgres.js when DATABASE_URL is set, otherwise PGlite (PostgreSQL compiled to
 * WebAssembly) persisted under DATA_DIR, so a fresh machine needs no database server.
 * `dataDir: null` keeps PGlite in memory (tests).
 */
export function createDatabase(target: DatabaseTarget): Database {
  if (target.kind === 'postgres') {
    const client = postgres(target.url, {
      max: target.poolSize ?? 10,
      onnotice: () => {},
      // Fail fast when the server is down, so a click gets "try again" within Slack's patience.
      connect_timeout: 5,
    });
    return {
      kind: 'postgres',
      db: drizzlePostgres(client, { schema }) as unknown as Executor,
      postgres: client,
      close: () => client.end({ timeout: 5 }),
    };
  }
  let dataDir: string | undefined;
  if (target.dataDir !== null) {
    dataDir = join(target.dataDir, 'pglite');
    mkdirSync(dataDir, { recursive: true });
  }
  const client = new PGlite(dataDir);
  return {
    kind: 'pglite',
    db: drizzlePglite(client, { schema }) as unknown as Executor,
    pglite: client,
    close: () => client.close(),
  };
}
