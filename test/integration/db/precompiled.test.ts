import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../../src/db/client.js';
import { runMigrations } from '../../../src/db/migrate.js';
import { precompiled } from '../../../src/db/precompiled.js';
import { appendAudit, auditTrail } from '../../../src/db/repositories/audit.js';
import { enqueue, pendingDeliveries } from '../../../src/db/repositories/outbox.js';
import { handledRequests } from '../../../src/db/schema.js';
import { outboxEntry } from '../../../src/services/shared/record-effects.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { FakeClock, startedUpgrade, testDeps } from '../../support/services.js';

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

// The audit log and the outbox take any number of rows in one statement; the ids must follow the order given.
describe.each(drivers)('appendAudit and enqueue on %s', (_name, open) => {
  let test: TestDatabase;
  const clock = new FakeClock();
  beforeAll(async () => {
    test = await open();
  });
  afterAll(() => test.dispose());

  it('write every field of every row, in the order given', async () => {
    const deps = testDeps(test.database, clock);
    const upgradeId = await startedUpgrade(deps, { ticket: 'CHG-PC1' });
    const db = test.database.db;
    const actor = { type: 'slack', teamId: 'T1', userId: 'UALICE' } as const;
    const before = (await auditTrail(db, upgradeId)).length;
    await appendAudit(db, [
      { upgradeId, actor, action: 'step-completed', stepKey: 'prep.window', detail: { n: 1 } },
      { upgradeId, actor, action: 'command-refused', detail: { n: 2 } },
      { upgradeId: null, actor, action: 'step-completed', stepKey: 'prep.certs' },
    ]);
    const trail = (await auditTrail(db, upgradeId)).slice(before);
    expect(trail.map((r) => [r.action, r.stepKey, r.detail, r.actor])).toEqual([
      ['step-completed', 'prep.window', { n: 1 }, actor],
      ['command-refused', null, { n: 2 }, actor],
    ]);

    const since = await pendingDeliveries(db, upgradeId);
    const later = clock.now().plus({ minutes: 5 });
    await enqueue(db, later, [
      outboxEntry({ kind: 'render', upgradeId, version: 7 }),
      outboxEntry({ kind: 'notice', upgradeId, notice: { kind: 'text', text: 'second' } }),
      outboxEntry({ kind: 'render', upgradeId, version: 8 }),
    ]);
    const queued = (await pendingDeliveries(db, upgradeId)).slice(since.length);
    expect(queued.map((r) => [r.kind, r.payload])).toEqual([
      ['render', { kind: 'render', upgradeId, version: 7 }],
      ['notice', { kind: 'notice', upgradeId, notice: { kind: 'text', text: 'second' } }],
      ['render', { kind: 'render', upgradeId, version: 8 }],
    ]);
    expect(queued.every((r) => r.nextAttemptAt.getTime() === later.toMillis())).toBe(true);
    expect(queued.every((r) => r.createdAt.getTime() === later.toMillis())).toBe(true);
  });
});
