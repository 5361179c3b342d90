import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditTrail } from '../../../src/db/repositories/audit.js';
import { findUpgrade } from '../../../src/db/repositories/upgrades.js';
import { type ApplyCommandOutcome, applyCommand } from '../../../src/services/apply-command.js';
import { startUpgrade } from '../../../src/services/start-upgrade.js';
import { useTestDatabase } from '../../support/database.js';
import { asUser, FakeClock, startInput, testDeps } from '../../support/services.js';

// A real connection pool on the real server: the version check, not luck, decides who wins.
describe('exactly-once on PostgreSQL with a pool of 10 connections', () => {
  const clock = new FakeClock();
  const test = useTestDatabase({ server: 'postgres', poolSize: 10 });

  let tickets = 0;
  async function freshUpgrade(plan: 'single' | 'async' = 'single') {
    const deps = testDeps(test.database, clock);
    // A ticket of its own: the same start again while the first is being set up would point at the first.
    tickets++;
    const r = await startUpgrade({
      ctx: asUser(deps, 'UALICE'),
      input: startInput({ plan, invite: ['UBOB', 'UCAROL'], ticket: `CHG-C${tickets}` }),
    });
    if (r.outcome !== 'started') throw new Error('not started');
    return { deps, id: r.upgradeId };
  }

  const click = (
    deps: ReturnType<typeof testDeps>,
    id: string,
    user: string,
    step: string,
    requestKey: string | null = null,
  ) =>
    applyCommand({
      ctx: asUser(deps, user),
      input: {
        target: { upgradeId: id },
        command: { type: 'complete', step },
        requestKey,
        responseUrl: null,
      },
    });

  it('25 people completing the same step at once: one transition, one audit event, the rest "already done by …"', async () => {
    const { deps, id } = await freshUpgrade();
    const users = Array.from({ length: 25 }, (_, i) => (i % 2 === 0 ? 'UBOB' : 'UCAROL'));
    const outcomes: ApplyCommandOutcome[] = await Promise.all(
      users.map((u, i) => click(deps, id, u, 'prep.window', `req-${i}`)),
    );
    expect(outcomes.filter((o) => o.outcome === 'applied')).toHaveLength(1);
    const others = outcomes.filter((o) => o.outcome === 'refused');
    expect(others).toHaveLength(24);
    for (const o of others) {
      if (o.outcome !== 'refused') continue;
      expect(o.refusal).toMatchObject({ rule: 'ALREADY_DONE', duplicate: true });
      expect(o.refusal.message).toMatch(/already done by <@U(BOB|CAROL)>/);
    }
    const trail = await auditTrail(test.database.db, id);
    expect(trail.filter((a) => a.stepKey === 'prep.window')).toHaveLength(1);
    expect((await findUpgrade(test.database.db, id))?.version).toBe(2);
  });

  it('20 clicks by one person on a critical step: one confirmation, still waiting for a second person', async () => {
    const { deps, id } = await freshUpgrade('async');
    const row = await findUpgrade(test.database.db, id);
    const before = [
      'prep.window',
      'prep.announce',
      'prep.test-env',
      'prep.vault-key',
      'prep.certs',
      'a.backup',
      'a.sync',
    ];
    for (const step of before) await click(deps, id, 'UALICE', step);
    expect(row).toBeDefined();
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => click(deps, id, 'UBOB', 'a.break')));
    expect(outcomes.filter((o) => o.outcome === 'applied')).toHaveLength(1);
    expect(
      outcomes.filter((o) => o.outcome === 'refused' && o.refusal.rule === 'SECOND_PERSON_REQUIRED'),
    ).toHaveLength(19);
    const state = (await findUpgrade(test.database.db, id))?.state;
    expect(state?.steps['a.break']?.status).toBe('awaiting-second');
    expect(state?.failover.brokenAt).toBeNull();
    // Two different people at the same moment: both confirmations count and the step is done once.
    const [carol, alice] = await Promise.all([
      click(deps, id, 'UCAROL', 'a.break'),
      click(deps, id, 'UALICE', 'a.break'),
    ]);
    expect([carol.outcome, alice.outcome].filter((o) => o === 'applied')).toHaveLength(1);
    const after = await findUpgrade(test.database.db, id);
    expect(after?.state.steps['a.break']?.status).toBe('done');
    const trail = await auditTrail(test.database.db, id);
    expect(trail.filter((a) => a.action === 'step-completed' && a.stepKey === 'a.break')).toHaveLength(1);
    expect(trail.filter((a) => a.action === 'failover-gap-opened')).toHaveLength(1);
  });

  it('the same Slack delivery handled twice changes nothing the second time', async () => {
    const { deps, id } = await freshUpgrade();
    const first = await click(deps, id, 'UBOB', 'prep.announce', 'T0001:UBOB:1732788000.123');
    const retry = await click(deps, id, 'UBOB', 'prep.announce', 'T0001:UBOB:1732788000.123');
    expect(first.outcome).toBe('applied');
    expect(retry).toEqual({ outcome: 'duplicate-delivery' });
    const [twice] = await Promise.all([
      click(deps, id, 'UCAROL', 'prep.certs', 'same-delivery'),
      click(deps, id, 'UCAROL', 'prep.certs', 'same-delivery'),
    ]).then((r) => [r.filter((o) => o.outcome === 'duplicate-delivery').length]);
    expect(twice).toBe(1);
    const trail = await auditTrail(test.database.db, id);
    expect(trail.filter((a) => a.stepKey === 'prep.announce')).toHaveLength(1);
    expect(trail.filter((a) => a.stepKey === 'prep.certs')).toHaveLength(1);
  });

  it('a failure inside the transaction leaves no partial write', async () => {
    const { deps, id } = await freshUpgrade();
    const before = await auditTrail(test.database.db, id);
    await test.database.db.execute(sql`
      create function refuse_outbox() returns trigger language plpgsql as $$
      begin raise exception 'outbox refused for the test'; end $$`);
    await test.database.db.execute(
      sql`create trigger refuse_outbox before insert on outbox for each row execute function refuse_outbox()`,
    );
    try {
      await expect(click(deps, id, 'UBOB', 'prep.window')).rejects.toThrow();
    } finally {
      await test.database.db.execute(sql`drop trigger refuse_outbox on outbox`);
    }
    const after = await findUpgrade(test.database.db, id);
    expect(after?.version).toBe(1);
    expect(after?.state.steps['prep.window']?.status).toBe('pending');
    expect(await auditTrail(test.database.db, id)).toEqual(before);
  });
});
