import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditTrail } from '../../../src/db/repositories/audit.js';
import { reminders } from '../../../src/db/schema.js';
import type { Effect, ReminderSpec } from '../../../src/engine/types.js';
import { slackActor } from '../../../src/services/shared/context.js';
import { recordEffects } from '../../../src/services/shared/record-effects.js';
import { useTestDatabase } from '../../support/database.js';
import { FakeClock, startedUpgrade, TEAM, testDeps } from '../../support/services.js';

const actor = slackActor(TEAM, 'UALICE');

function reminder(rule: ReminderSpec['rule'], key: string, scope: string | null): ReminderSpec {
  return {
    rule,
    key,
    scope,
    dueAt: '2026-12-01T12:00:00.000Z',
    occurrence: 1,
    anchor: '2026-12-01T10:00:00.000Z',
  };
}

// Consecutive cancellations are written as one statement: each must still be audited with exactly the
// reminders it cancelled, and a schedule after a cancel must survive it.
describe('recordEffects with reminder cancellations', () => {
  const clock = new FakeClock();
  const test = useTestDatabase();

  const freshUpgrade = (ticket: string) => startedUpgrade(testDeps(test.database, clock), { ticket });

  const record = (upgradeId: string, effects: Effect[]) =>
    test.database.db.transaction((tx) =>
      recordEffects(tx, clock.now(), { id: upgradeId, version: 2 }, actor, effects),
    );

  const pendingKeys = async (upgradeId: string) =>
    (
      await test.database.db
        .select({ key: reminders.key })
        .from(reminders)
        .where(and(eq(reminders.upgradeId, upgradeId), eq(reminders.status, 'pending')))
    )
      .map((r) => r.key)
      .sort();

  it('credits each reminder to the first cancellation that names it, and audits only those that cancelled something', async () => {
    const id = await freshUpgrade('CHG-RE1');
    await record(id, [
      { type: 'reminder-scheduled', reminder: reminder('CLAIM_STALE', 'claim:a', 'step.a') },
      { type: 'reminder-scheduled', reminder: reminder('CLAIM_STALE', 'claim:b', 'step.b') },
      { type: 'reminder-scheduled', reminder: reminder('SYNC_CONFIRM', 'sync', null) },
    ]);
    await record(id, [
      { type: 'reminders-cancelled', rule: 'CLAIM_STALE', scope: 'step.a' },
      { type: 'reminders-cancelled', rule: 'CLAIM_STALE', scope: null },
      { type: 'reminders-cancelled', rule: 'WINDOW_START', scope: null },
    ]);
    expect(await pendingKeys(id)).toEqual(['sync']);
    const cancels = (await auditTrail(test.database.db, id)).filter(
      (a) => a.action === 'reminders-cancelled',
    );
    expect(cancels.map((a) => a.detail)).toEqual([
      { rule: 'CLAIM_STALE', scope: 'step.a', cancelled: ['claim:a'] },
      { rule: 'CLAIM_STALE', scope: null, cancelled: ['claim:b'] },
    ]);
  });

  it('a cancellation of every rule cancels everything pending; a schedule after it is kept', async () => {
    const id = await freshUpgrade('CHG-RE2');
    await record(id, [
      { type: 'reminder-scheduled', reminder: reminder('CLAIM_STALE', 'claim:a', 'step.a') },
      { type: 'reminder-scheduled', reminder: reminder('SYNC_CONFIRM', 'sync', null) },
    ]);
    await record(id, [
      { type: 'reminders-cancelled', rule: 'SYNC_CONFIRM', scope: null },
      { type: 'reminders-cancelled', rule: null, scope: null },
      { type: 'reminder-scheduled', reminder: reminder('SYNC_CONFIRM', 'sync:2', null) },
    ]);
    expect(await pendingKeys(id)).toEqual(['sync:2']);
    const cancels = (await auditTrail(test.database.db, id)).filter(
      (a) => a.action === 'reminders-cancelled',
    );
    expect(cancels.map((a) => a.detail)).toEqual([
      { rule: 'SYNC_CONFIRM', scope: null, cancelled: ['sync'] },
      { rule: null, scope: null, cancelled: ['claim:a'] },
    ]);
  });
});
