import { and, eq, gt, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { beatHeart, enqueue, markRetry, nextDelivery } from '../../../src/db/repositories/outbox.js';
import { outbox } from '../../../src/db/schema.js';
import { outboxEntry } from '../../../src/services/shared/record-effects.js';
import { useTestDatabase } from '../../support/database.js';
import { FakeClock, startedUpgrade, testDeps } from '../../support/services.js';

// The drainer sleeps until the next delivery it can make. A time that has passed but cannot be acted on (messages
// behind a head waiting for its retry, a delivery another live process is making) would wake it again
// at once, and again: a busy loop while Slack's limits hold an upgrade back.
describe('nextDelivery', () => {
  const clock = new FakeClock();
  const test = useTestDatabase();

  it('counts only what can be delivered next: the head of an upgrade, not the messages waiting behind it', async () => {
    const db = test.database.db;
    const deps = testDeps(test.database, clock);
    const upgradeId = await startedUpgrade(deps, { ticket: 'CHG-ND1' });
    // Only this upgrade's rows from here on: what the start queued is settled first.
    await db.update(outbox).set({ status: 'delivered' }).where(eq(outbox.status, 'pending'));
    const before = Math.max(0, ...(await db.select({ id: outbox.id }).from(outbox)).map((r) => r.id));
    const now = clock.now();
    await db.transaction((tx) =>
      enqueue(tx, now, [
        outboxEntry({ kind: 'render', upgradeId, version: 2 }),
        outboxEntry({ kind: 'notice', upgradeId, notice: { kind: 'text', text: 'behind the head' } }),
      ]),
    );
    const [head, behind] = (
      await db.select({ id: outbox.id }).from(outbox).where(gt(outbox.id, before)).orderBy(outbox.id)
    ).map((r) => r.id);
    if (head === undefined || behind === undefined) throw new Error('not queued');
    const retryAt = now.plus({ seconds: 60 }).toJSDate();
    await markRetry(db, head, retryAt, 'ratelimited');

    expect(await nextDelivery(db, 5)).toEqual({ dueAt: retryAt, pending: true });

    // A reply another live process has claimed is that process's to make.
    await beatHeart(db, 'another-process');
    await db.transaction((tx) =>
      enqueue(tx, now, [
        outboxEntry({
          kind: 'respond',
          upgradeId: null,
          responseUrl: 'https://hooks.slack.com/actions/T1/1/abc',
          reply: { kind: 'text', text: 'being sent elsewhere' },
        }),
      ]),
    );
    await db
      .update(outbox)
      .set({ claimedBy: 'another-process' })
      .where(and(eq(outbox.kind, 'respond'), eq(outbox.status, 'pending')));
    expect(await nextDelivery(db, 5)).toEqual({ dueAt: retryAt, pending: true });

    await db
      .update(outbox)
      .set({ status: 'delivered' })
      .where(inArray(outbox.id, [head, behind]));
    // Still pending, so the drainer wakes to see whether that process lives; but nothing is due here.
    expect(await nextDelivery(db, 5)).toEqual({ dueAt: null, pending: true });
    await db.update(outbox).set({ status: 'delivered' }).where(eq(outbox.status, 'pending'));
    expect(await nextDelivery(db, 5)).toEqual({ dueAt: null, pending: false });
  });
});
