import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../../src/db/client.js';
import { runMigrations } from '../../../src/db/migrate.js';
import { precompiled } from '../../../src/db/precompiled.js';
import { handledRequests } from '../../../src/db/schema.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

const keyOf = precompiled<{ key: string }, { key: string }[]>('test_key_of', (db) =>
  db
    .select({ key: handledRequests.key })
    .from(handledRequests)
    .where(eq(handledRequests.key, sql.placeholder('key'))),
);

const insertKey = precompiled<{ key: string }, { key: string }[]>('test_insert_key', (db) =>
  db
    .insert(handledRequests)
    .values({ key: sql`${sql.placeholder('key')}` })
    .returning({ key: handledRequests.key }),
);

const drivers: [string, () => Promise<TestDatabase>][] = [
  ['PostgreSQL', () => createTestDatabase({ server: 'postgres' })],
  [
    'PGlite',
    async () => {
      const database = createDatabase({ kind: 'pglite', dataDir: null });
      await runMigrations(database);
      return { database, url: null, dispose: () => database.close() };
    },
  ],
];

// Built once and then run anywhere: the values must be the caller's, and so must the connection.
describe.each(drivers)('a precompiled query on %s', (_name, open) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await open();
  });
  afterAll(() => test.dispose());

  it('runs with the values of each call', async () => {
    const db = test.database.db;
    await insertKey(db, { key: 'first' });
    await insertKey(db, { key: 'second' });
    expect(await keyOf(db, { key: 'first' })).toEqual([{ key: 'first' }]);
    expect(await keyOf(db, { key: 'second' })).toEqual([{ key: 'second' }]);
    expect(await keyOf(db, { key: 'neither' })).toEqual([]);
  });

  it('runs inside the transaction that asks, seeing its writes, and rolls back with it', async () => {
    const db = test.database.db;
    // Built on the database first, so a query bound to where it was built would run outside the transaction.
    expect(await keyOf(db, { key: 'in-transaction' })).toEqual([]);
    await expect(
      db.transaction(async (tx) => {
        await insertKey(tx, { key: 'in-transaction' });
        expect(await keyOf(tx, { key: 'in-transaction' })).toEqual([{ key: 'in-transaction' }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await keyOf(db, { key: 'in-transaction' })).toEqual([]);
  });
});
