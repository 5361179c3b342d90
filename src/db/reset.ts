import { sql } from 'drizzle-orm';
import type { Database } from './client.js';

/**
 * Empties an embedded database for `npm start -- --reset`: every table, type and applied migration
 * goes (DROP, so audit_events' refusal of DELETE and TRUNCATE does not stand in the way). PostgreSQL
 * servers are never emptied this way: they may hold more than this bot's data.
 */
export async function emptyEmbeddedDatabase(database: Database): Promise<void> {
  if (database.kind !== 'pglite') throw new Error('only the embedded database is emptied by --reset');
  await database.db.execute(sql.raw('drop schema if exists drizzle cascade'));
  await database.db.execute(sql.raw('drop schema if exists public cascade'));
  await database.db.execute(sql.raw('create schema public'));
}
