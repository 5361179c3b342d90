import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { handledRequests } from '../../../src/db/schema.js';
import { type TestDatabase, useTestDatabase } from '../../support/database.js';

// An unnamed query with parameters costs postgres.js two round trips and holds back the queries sent
// after it on the connection; a prepared one is described once per connection and then pipelined.
describe('drizzle queries on PostgreSQL', () => {
  const test = useTestDatabase({ server: 'postgres' });

  const preparedOn = async (db: TestDatabase['database']['db'], table: string) => {
    const rows = (await db.execute(sql`select statement from pg_prepared_statements`)) as unknown as {
      statement: string;
    }[];
    return rows.filter((r) => r.statement.includes(`from "${table}"`)).length;
  };

  it('are prepared statements, each once per connection', async () => {
    // A transaction keeps one connection, so the queries and the look at what they prepared share a session.
    await test.database.db.transaction(async (tx) => {
      await tx.select().from(handledRequests).where(eq(handledRequests.key, 'all columns'));
      await tx
        .select({ key: handledRequests.key })
        .from(handledRequests)
        .where(eq(handledRequests.key, 'inside'));
      // The same query again is the same statement: prepared once per connection, not once per call.
      await tx
        .select({ key: handledRequests.key })
        .from(handledRequests)
        .where(eq(handledRequests.key, 'again'));
      expect(await preparedOn(tx, 'handled_requests')).toBe(2);
    });
  });
});
