import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '../../../src/db/client.js';
import { appendAudit } from '../../../src/db/repositories/audit.js';
import { ConcurrentChangeError, DatabaseUnavailableError } from '../../../src/services/shared/errors.js';
import { inTransaction } from '../../../src/services/shared/transaction.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

// The server ends a transaction's session (a restart, a failover, an administrator): the server rolls
// back by itself, and the bot must neither crash, nor hang, nor give the dead connection back to its pool.
describe('a transaction whose connection the server ends', () => {
  let test: TestDatabase;
  let admin: postgres.Sql;
  beforeAll(async () => {
    test = await createTestDatabase({ server: 'postgres' });
    if (!test.url) throw new Error('PostgreSQL expected');
    admin = postgres(test.url, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await admin.end();
    await test.dispose();
  });

  const write = (tx: Executor, marker: string) =>
    appendAudit(tx, [
      {
        upgradeId: null,
        actor: { type: 'system', job: 'test' },
        action: 'listener-failed',
        detail: { marker },
      },
    ]);
  const backendOf = async (tx: Executor) => {
    const [own] = (await tx.execute(sql`select pg_backend_pid() as pid`)) as unknown as { pid: number }[];
    if (!own) throw new Error('no backend pid');
    return own.pid;
  };
  // Waits until the backend is gone.
  const terminate = (pid: number) => admin`select pg_terminate_backend(${pid}, 5000)`;
  const written = async (marker: string) =>
    (
      await admin<
        { n: number }[]
      >`select count(*)::int as n from audit_events where detail->>'marker' = ${marker}`
    )[0]?.n;

  // Each way a session can end under a transaction: during a query, between two, just before COMMIT.
  const endings: [string, (tx: Executor, pid: number) => Promise<unknown>][] = [
    ['while a query runs', (tx, pid) => Promise.all([tx.execute(sql`select pg_sleep(5)`), terminate(pid)])],
    [
      'between two queries',
      async (tx, pid) => {
        await terminate(pid);
        return tx.execute(sql`select 1`);
      },
    ],
    ['just before its COMMIT', (_tx, pid) => terminate(pid)],
  ];

  for (const [when, end] of endings) {
    it(`ended ${when}: nothing was saved, so it runs again on a fresh connection, once`, async () => {
      const marker = randomBytes(6).toString('hex');
      let attempts = 0;
      await inTransaction(test.database, async (tx) => {
        attempts++;
        await write(tx, marker);
        if (attempts === 1) await end(tx, await backendOf(tx));
      });
      expect(attempts).toBe(2);
      expect(await written(marker)).toBe(1);
    });
  }

  it('ended on every attempt: "nothing was changed" after three, and nothing is', async () => {
    const marker = randomBytes(6).toString('hex');
    let attempts = 0;
    const failure = await inTransaction(test.database, async (tx) => {
      attempts++;
      await write(tx, marker);
      await terminate(await backendOf(tx));
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DatabaseUnavailableError);
    expect((failure as DatabaseUnavailableError).maybeSaved).toBe(false);
    expect(attempts).toBe(3);
    expect(await written(marker)).toBe(0);
  });

  it('a conflict found after the connection died is retried on a fresh connection', async () => {
    const marker = randomBytes(6).toString('hex');
    let attempts = 0;
    await inTransaction(test.database, async (tx) => {
      attempts++;
      await write(tx, marker);
      if (attempts > 1) return;
      await terminate(await backendOf(tx));
      throw new ConcurrentChangeError('upgrade-1');
    });
    expect(attempts).toBe(2);
    expect(await written(marker)).toBe(1);
  });

  it('leaves a pool whose every connection works', async () => {
    // Twice the pool: a dead connection given back to the pool would fail or hang some of these.
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        inTransaction(test.database, async (tx) => {
          const rows = (await tx.execute(sql`select pg_sleep(0.05), 1 as one`)) as unknown as {
            one: number;
          }[];
          return rows[0]?.one;
        }),
      ),
    );
    expect(answers).toEqual(Array.from({ length: 20 }, () => 1));
  });
});
