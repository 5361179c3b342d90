import { describe, expect, it } from 'vitest';
import { tryAcquireLease } from '../../../src/db/repositories/cron-leases.js';
import { cronLeases } from '../../../src/db/schema.js';
import { postgresRunCoordinator } from '../../../src/scheduler/run-coordinator.js';
import { useTestDatabase, usingPostgres } from '../../support/database.js';
import { testDeps } from '../../support/services.js';

describe(`the node-cron run coordinator on ${usingPostgres ? 'PostgreSQL' : 'PGlite'}`, () => {
  const test = useTestDatabase();

  it('lets exactly one of several processes run a fire, and the fire again once its lease expired', async () => {
    const now = new Date('2026-11-28T10:00:00Z');
    const key = 'send-reminders:2026-11-28T10:00:00.000Z';
    const results = await Promise.all(
      ['p1', 'p2', 'p3', 'p4'].map((holder) => tryAcquireLease(test.database.db, key, holder, now, 30_000)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await tryAcquireLease(test.database.db, key, 'p2', new Date(now.getTime() + 10_000), 30_000)).toBe(
      false,
    );
    expect(await tryAcquireLease(test.database.db, key, 'p2', new Date(now.getTime() + 31_000), 30_000)).toBe(
      true,
    );
  });

  it('answers node-cron through the RunCoordinator interface', async () => {
    const deps = testDeps(test.database);
    const [a, b] = [postgresRunCoordinator(deps, 'a'), postgresRunCoordinator(deps, 'b')];
    const key = `send-reminders:${new Date().toISOString()}`;
    const answers = await Promise.all([a.shouldRun(key, 30_000), b.shouldRun(key, 30_000)]);
    expect(answers.sort()).toEqual([false, true]);
  });

  it('stays a bounded table: a day of fires every 30 seconds leaves about an hour of them', async () => {
    const start = new Date('2026-11-29T00:00:00Z').getTime();
    for (let fire = 0; fire < 2880; fire += 12) {
      const at = new Date(start + fire * 30_000);
      await tryAcquireLease(test.database.db, `bounded:${at.toISOString()}`, 'p1', at, 30_000);
    }
    const rows = await test.database.db.select().from(cronLeases);
    const bounded = rows.filter((r) => r.key.startsWith('bounded:'));
    // One fire in twelve was taken here, so an hour of them is ten rows; a day would be 240.
    expect(bounded.length).toBeLessThanOrEqual(11);
  });
});
