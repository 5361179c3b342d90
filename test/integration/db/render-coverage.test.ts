import { and, eq, gt, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { enqueue, markRenderDelivered } from '../../../src/db/repositories/outbox.js';
import { outbox } from '../../../src/db/schema.js';
import { outboxEntry } from '../../../src/services/shared/record-effects.js';
import { useTestDatabase } from '../../support/database.js';
import { FakeClock, startedUpgrade, testDeps } from '../../support/services.js';

// A delivered render covers the renders queued for what it read, in the same UPDATE as its own row:
// never one asking for a later version (a change it did not read), nor another kind of delivery.
describe('markRenderDelivered', () => {
  const clock = new FakeClock();
  const test = useTestDatabase();

  it('marks its own row and the renders asking for the version shown or older, and nothing else', async () => {
    const deps = testDeps(test.database, clock);
    const upgradeId = await startedUpgrade(deps, { ticket: 'CHG-RC1' });
    const render = (version: number) => outboxEntry({ kind: 'render', upgradeId, version });
    const before = await test.database.db
      .select({ id: outbox.id })
      .from(outbox)
      .where(eq(outbox.upgradeId, upgradeId));
    await test.database.db.transaction((tx) =>
      enqueue(tx, clock.now(), [
        render(2),
        render(3),
        render(4),
        outboxEntry({
          kind: 'notice',
          upgradeId,
          notice: { kind: 'text', text: 'a notice of the same upgrade' },
        }),
      ]),
    );
    const queued = await test.database.db
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(eq(outbox.upgradeId, upgradeId), gt(outbox.id, Math.max(0, ...before.map((r) => r.id)))))
      .orderBy(outbox.id);
    const ids = queued.map((r) => r.id);
    const [delivered, covered, later, notice] = ids as [number, number, number, number];
    await test.database.db.update(outbox).set({ attempts: 2 }).where(eq(outbox.id, covered));

    await markRenderDelivered(test.database.db, delivered, upgradeId, 3);

    const rows = await test.database.db
      .select({ id: outbox.id, status: outbox.status, attempts: outbox.attempts })
      .from(outbox)
      .where(inArray(outbox.id, ids));
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(delivered)).toMatchObject({ status: 'delivered', attempts: 1 });
    // Covered, not tried: its attempts stay as they were.
    expect(byId.get(covered)).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(byId.get(later)?.status).toBe('pending');
    expect(byId.get(notice)?.status).toBe('pending');
  });
});
