import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createDatabase,
  type Database,
  type Executor,
  TransactionConnectionLost,
} from '../../../src/db/client.js';
import { appendAudit } from '../../../src/db/repositories/audit.js';
import { ConcurrentChangeError, DatabaseUnavailableError } from '../../../src/services/shared/errors.js';
import { inTransaction, whatEndedIt } from '../../../src/services/shared/transaction.js';
import { useTestDatabase } from '../../support/database.js';
import { type PostgresProxy, startPostgresProxy } from '../../support/postgres-proxy.js';

// One database for the file, and a connection of the test's own that ends the bot's sessions.
const test = useTestDatabase({ server: 'postgres' });
/** A service's context as the transaction needs it: the database, and who a retry is audited for. */
const asTest = (database: Database) => ({ db: database.db, actor: { type: 'system', job: 'test' } as const });
let admin: postgres.Sql;
beforeAll(() => {
  admin = postgres(test.url ?? '', { max: 1, onnotice: () => {} });
});
afterAll(() => admin.end());

// The server ends a transaction's session (a restart, a failover, an administrator): the server rolls
// back by itself, and the bot must neither crash, nor hang, nor give the dead connection back to its pool.
describe('a transaction whose connection the server ends', () => {
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
  // Waits until the backend is gone and the bot's client has heard its connection close, so that
  // what the scope does next does not depend on which of the two answers the event loop reads first.
  const terminate = async (pid: number) => {
    const options = (test.database.postgres as unknown as { options: { onclose?: () => void } }).options;
    const closed = new Promise<void>((resolve) => {
      options.onclose = resolve;
    });
    await admin`select pg_terminate_backend(${pid}, 5000)`;
    await closed;
    options.onclose = undefined;
  };
  // The retry the committed attempt wrote down, found by the actor the test gave it.
  const retriesWritten = (marker: string) =>
    admin<
      {
        detail: {
          attempt: number;
          lostBeforeCommit: { code?: string; severity?: string; message?: string }[];
        };
      }[]
    >`select detail from audit_events where action = 'transaction-retried' and actor->>'job' = ${marker}`;
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
    it(`ended ${when}: nothing was saved, so it runs again on a fresh connection, once, and says so in the audit log`, async () => {
      const marker = randomBytes(6).toString('hex');
      let attempts = 0;
      const actor = { type: 'system', job: marker } as const;
      await inTransaction({ db: test.database.db, actor }, async (tx) => {
        attempts++;
        await write(tx, marker);
        if (attempts === 1) await end(tx, await backendOf(tx));
      });
      expect(attempts).toBe(2);
      expect(await written(marker)).toBe(1);
      const retries = await retriesWritten(marker);
      expect(retries).toHaveLength(1);
      expect(retries[0]?.detail.attempt).toBe(2);
      expect(retries[0]?.detail.lostBeforeCommit).toHaveLength(1);
      // What ended it, from the innermost error: the server's FATAL, or postgres.js's own closed connection.
      const ended = retries[0]?.detail.lostBeforeCommit[0];
      expect(ended?.severity === 'FATAL' || /^CONNECTION_/.test(ended?.code ?? '')).toBe(true);
      expect(ended?.message).toMatch(/terminat|CONNECTION_/i);
      expect(ended?.message).not.toMatch(/during a transaction/);
    });
  }

  it('ended on every attempt: "nothing was changed" after three, and nothing is', async () => {
    const marker = randomBytes(6).toString('hex');
    let attempts = 0;
    const actor = { type: 'system', job: marker } as const;
    const failure = await inTransaction({ db: test.database.db, actor }, async (tx) => {
      attempts++;
      await write(tx, marker);
      await terminate(await backendOf(tx));
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DatabaseUnavailableError);
    expect((failure as DatabaseUnavailableError).maybeSaved).toBe(false);
    expect(attempts).toBe(3);
    expect(await written(marker)).toBe(0);
    // No attempt committed, so none wrote the retries: the person is told, the listener records it.
    expect(await retriesWritten(marker)).toHaveLength(0);
  });

  it('a transaction that ran once writes no retry', async () => {
    const marker = randomBytes(6).toString('hex');
    await inTransaction({ db: test.database.db, actor: { type: 'system', job: marker } }, (tx) =>
      write(tx, marker),
    );
    expect(await written(marker)).toBe(1);
    expect(await retriesWritten(marker)).toHaveLength(0);
  });

  it('a conflict found after the connection died is retried on a fresh connection', async () => {
    const marker = randomBytes(6).toString('hex');
    let attempts = 0;
    await inTransaction(asTest(test.database), async (tx) => {
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
    // Its own endings first, each way once, so that it stands alone.
    for (const [, end] of endings) {
      let attempts = 0;
      await inTransaction(asTest(test.database), async (tx) => {
        if (++attempts === 1) await end(tx, await backendOf(tx));
      });
    }
    await expect(everyConnectionAnswers(test.database, 10)).resolves.toBe(10);
  });
});

// One connection, one transaction on it, a second waiting for it: the session of the first ends.
describe('a transaction waiting for the connection whose session the server ends', () => {
  it('is handed the reopened connection, and both transactions land', async () => {
    const database = createDatabase({ kind: 'postgres', url: test.url ?? '', poolSize: 1 });
    try {
      let holding: (pid: number) => void = () => {};
      const held = new Promise<number>((resolve) => {
        holding = resolve;
      });
      let firstAttempts = 0;
      const first = inTransaction(asTest(database), async (tx) => {
        firstAttempts++;
        const [own] = (await tx.execute(sql`select pg_backend_pid() as pid`)) as unknown as { pid: number }[];
        if (firstAttempts === 1) {
          holding(own?.pid ?? -1);
          await tx.execute(sql`select pg_sleep(5)`);
        }
        return 'first';
      });
      const pid = await held;
      // Asked while the only connection is taken: it waits for it.
      const second = inTransaction(asTest(database), async (tx) => {
        await tx.execute(sql`select 1`);
        return 'second';
      });
      await admin`select pg_terminate_backend(${pid}, 5000)`;
      // A waiting reservation dropped by postgres.js would end in "no connection within 8000 ms".
      expect(await Promise.all([first, second])).toEqual(['first', 'second']);
      expect(firstAttempts).toBe(2);
    } finally {
      await database.close();
    }
  });
});

// The session ends while a query outside any transaction runs: that query fails, and nothing of the
// old session may fail the next query, the first on the connection opened in its place.
describe('a query whose session the server ends', () => {
  it('fails alone: the next query on the reopened connection answers', async () => {
    const database = createDatabase({ kind: 'postgres', url: test.url ?? '', poolSize: 1 });
    try {
      const [own] = (await database.db.execute(sql`select pg_backend_pid() as pid`)) as unknown as {
        pid: number;
      }[];
      const running = database.db.execute(sql`select pg_sleep(5)`).then(
        () => 'answered',
        () => 'failed',
      );
      await vi.waitFor(async () => {
        const [row] = await admin<{ n: number }[]>`
          select count(*)::int as n from pg_stat_activity where pid = ${own?.pid ?? -1} and query like '%pg_sleep(5)%'`;
        if (row?.n !== 1) throw new Error('not running yet');
      });
      await admin`select pg_terminate_backend(${own?.pid ?? -1}, 5000)`;
      expect(await running).toBe('failed');
      const [next] = (await database.db.execute(sql`select 1 as one`)) as unknown as { one: number }[];
      expect(next?.one).toBe(1);
    } finally {
      await database.close();
    }
  });
});

/**
 * As many transactions as the pool has connections, each holding its own until all have one: a
 * connection given back to the pool dead, or left stranded by the old session's error, keeps one of
 * them from ever starting (the limit only ends the wait for a test that fails).
 */
async function everyConnectionAnswers(database: Database, poolSize: number): Promise<number> {
  let arrived = 0;
  let allArrived: () => void = () => {};
  const barrier = new Promise<void>((resolve) => {
    allArrived = resolve;
  });
  const stranded = new Promise<never>((_, reject) => {
    setTimeout(
      () => reject(new Error(`only ${arrived} of ${poolSize} connections answered`)),
      20_000,
    ).unref();
  });
  const answered = Promise.all(
    Array.from({ length: poolSize }, () =>
      inTransaction(asTest(database), async (tx) => {
        await tx.execute(sql`select 1`);
        if (++arrived === poolSize) allArrived();
        await barrier;
      }),
    ),
  );
  await Promise.race([answered, stranded]);
  return arrived;
}

// A reset connection (a failover, a proxy, a firewall) reports a socket error before it closes.
describe('a transaction whose connection is reset', () => {
  let proxy: PostgresProxy;
  beforeAll(async () => {
    proxy = await startPostgresProxy(test.url ?? '');
  });
  afterAll(() => proxy.close());

  it('runs again on a fresh connection, and every connection of the pool works after', async () => {
    const database = createDatabase({ kind: 'postgres', url: proxy.url, poolSize: 2 });
    try {
      let attempts = 0;
      const answer = await inTransaction(asTest(database), async (tx) => {
        attempts++;
        await tx.execute(sql`select 1`);
        if (attempts === 1) {
          setTimeout(() => proxy.reset(), 100);
          await tx.execute(sql`select pg_sleep(5)`);
        }
        return attempts;
      });
      expect(answer).toBe(2);
      await expect(everyConnectionAnswers(database, 2)).resolves.toBe(2);
    } finally {
      await database.close();
    }
  });
});

describe('what the audit keeps of an attempt lost with its connection', () => {
  const wrapped = (inner: Error) => new TransactionConnectionLost(new Error('outer', { cause: inner }), true);

  it("keeps the server's words when the server ended the session", () => {
    const fatal = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
      severity: 'FATAL',
    });
    expect(whatEndedIt(wrapped(fatal))).toEqual({
      code: '57P01',
      severity: 'FATAL',
      message: 'terminating connection due to administrator command',
    });
  });

  it("keeps only the code of a query's own error, whose message carries its parameters", () => {
    const failedQuery = Object.assign(
      new Error(
        'Failed query: insert into outbox values ($1)\nparams: https://hooks.slack.com/actions/T/1/secret',
      ),
      { code: '40P01', severity: 'ERROR' },
    );
    const ended = whatEndedIt(wrapped(failedQuery));
    expect(ended).toEqual({ code: '40P01', severity: 'ERROR' });
    expect(JSON.stringify(ended)).not.toContain('hooks.slack.com');
  });
});
