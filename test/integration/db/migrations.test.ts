import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../../src/db/client.js';
import { AUDIT_ACTIONS, OUTBOX_KINDS } from '../../../src/db/constants.js';
import { expectedMigrationCount, migrationsApplied, runMigrations } from '../../../src/db/migrate.js';
import { appendAudit } from '../../../src/db/repositories/audit.js';
import {
  createEmptyDatabase,
  databaseError,
  type TestDatabase,
  usingPostgres,
} from '../../support/database.js';
import { startPostgresProxy } from '../../support/postgres-proxy.js';

async function rows<T>(test: TestDatabase, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = await test.database.db.execute(query);
  return (Array.isArray(result) ? result : (result as unknown as { rows: T[] }).rows) as T[];
}

describe(`migrations on ${usingPostgres ? 'PostgreSQL' : 'PGlite'}`, () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createEmptyDatabase();
  });
  afterAll(() => test.dispose());

  it('create the whole schema on an empty database, and a second run changes nothing', async () => {
    await expect(migrationsApplied(test.database)).rejects.toThrow();
    await runMigrations(test.database);
    await runMigrations(test.database);
    expect(await migrationsApplied(test.database)).toBe(true);
    const tables = await rows<{ table_name: string }>(
      test,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    expect(tables.map((t) => t.table_name)).toEqual([
      'audit_events',
      'cron_leases',
      'delivery_leases',
      'delivery_owners',
      'handled_requests',
      'local_workspace_objects',
      'outbox',
      'participants',
      'reminders',
      'slack_messages',
      'upgrades',
    ]);
    expect(expectedMigrationCount()).toBe(11);
  });

  it('make audit_events refuse UPDATE, DELETE and TRUNCATE at the database level', async () => {
    await appendAudit(test.database.db, [
      { upgradeId: null, actor: { type: 'system', job: 'test' }, action: 'job-failed', detail: { n: 1 } },
    ]);
    expect(
      await databaseError(test.database.db.execute(sql`update audit_events set action = 'tampered'`)),
    ).toMatch(/append-only: UPDATE/);
    expect(await databaseError(test.database.db.execute(sql`delete from audit_events`))).toMatch(
      /append-only: DELETE/,
    );
    expect(await databaseError(test.database.db.execute(sql`truncate audit_events`))).toMatch(
      /append-only: TRUNCATE/,
    );
    const left = await rows<{ action: string }>(test, sql`select action from audit_events`);
    expect(left).toEqual([{ action: 'job-failed' }]);
  });

  it('refuse an audit action or an outbox kind outside the vocabularies of src/db/constants.ts', async () => {
    expect(
      await databaseError(
        test.database.db.execute(
          sql`insert into audit_events (actor, action) values ('{"type":"system","job":"test"}', 'probe')`,
        ),
      ),
    ).toMatch(/audit_events_action_known/);
    expect(
      await databaseError(
        test.database.db.execute(sql`insert into outbox (kind, payload) values ('carrier-pigeon', '{}')`),
      ),
    ).toMatch(/outbox_kind_known/);
    for (const action of AUDIT_ACTIONS) {
      await test.database.db.execute(
        sql`insert into audit_events (actor, action) values ('{"type":"system","job":"test"}', ${action})`,
      );
    }
    for (const kind of OUTBOX_KINDS) {
      await test.database.db.execute(sql`insert into outbox (kind, payload) values (${kind}, '{}')`);
    }
    const counted = await rows<{ n: number | string }>(test, sql`select count(*) as n from audit_events`);
    expect(Number(counted[0]?.n)).toBe(1 + AUDIT_ACTIONS.length);
  });
});

describe('migrations with several instances starting at once on PostgreSQL', () => {
  it('take turns on an advisory lock, so all succeed', async () => {
    const empty = await createEmptyDatabase({ server: 'postgres' });
    try {
      const url = empty.url ?? '';
      const others = [createDatabase({ kind: 'postgres', url }), createDatabase({ kind: 'postgres', url })];
      await Promise.all([runMigrations(empty.database), ...others.map((d) => runMigrations(d))]);
      expect(await migrationsApplied(empty.database)).toBe(true);
      await Promise.all(others.map((d) => d.close()));
    } finally {
      await empty.dispose();
    }
  });

  it('give up, naming the session that holds the lock, when it is kept past the wait, and migrate once it is freed', async () => {
    const empty = await createEmptyDatabase({ server: 'postgres' });
    const holder = postgres(empty.url ?? '', { max: 1, onnotice: () => {} });
    try {
      const held = await holder.reserve();
      await held`select pg_advisory_lock(727274001)`;
      const [{ pid } = { pid: 0 }] = await held<{ pid: number }[]>`select pg_backend_pid() as pid`;
      const refused = runMigrations(empty.database, { waitMs: 600 });
      await expect(refused).rejects.toThrow(
        new RegExp(
          `^waited \\d+\\.\\d s for the migrations lock, held by "postgres\\.js" \\(pid ${pid}\\): another instance is migrating`,
        ),
      );
      await expect(migrationsApplied(empty.database)).rejects.toThrow();
      await held`select pg_advisory_unlock(727274001)`;
      held.release();
      await runMigrations(empty.database, { waitMs: 600 });
      expect(await migrationsApplied(empty.database)).toBe(true);
    } finally {
      await holder.end();
      await empty.dispose();
    }
  });

  it('fail, saying what did not answer, rather than wait for ever on a lock session whose server went silent', async () => {
    const empty = await createEmptyDatabase({ server: 'postgres' });
    // Between the bot and the server, until it goes silent.
    const proxy = await startPostgresProxy(empty.url ?? '');
    const starting = createDatabase({ kind: 'postgres', url: proxy.url });
    const holder = postgres(empty.url ?? '', { max: 1, onnotice: () => {} });
    try {
      const held = await holder.reserve();
      await held`select pg_advisory_lock(727274001)`;
      const migrating = runMigrations(starting, { waitMs: 60_000, queryLimitMs: 1_500 });
      migrating.catch(() => undefined);
      // Once the waiting session has tried the lock and been refused, the server goes silent.
      for (let attempt = 0; attempt < 100; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const [row] = await held<{ n: number }[]>`
          select count(*)::int as n from pg_stat_activity
          where query like '%pg_try_advisory_lock%' and pid <> pg_backend_pid()`;
        if ((row?.n ?? 0) > 0) break;
      }
      proxy.goSilent();
      const frozenAt = Date.now();
      await expect(migrating).rejects.toThrow(/PostgreSQL did not answer the migrations lock within 1500 ms/);
      // Well before the minute it would otherwise have waited for the lock.
      expect(Date.now() - frozenAt).toBeLessThan(10_000);
      held.release();
    } finally {
      await proxy.close();
      await starting.close().catch(() => undefined);
      await holder.end();
      await empty.dispose();
    }
  });
});
