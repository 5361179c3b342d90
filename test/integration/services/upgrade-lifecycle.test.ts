import { desc, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditTrail } from '../../../src/db/repositories/audit.js';
import { pendingDeliveries } from '../../../src/db/repositories/outbox.js';
import { listParticipants } from '../../../src/db/repositories/participants.js';
import { pendingReminders } from '../../../src/db/repositories/reminders.js';
import { findUpgrade } from '../../../src/db/repositories/upgrades.js';
import { auditEvents, outbox, upgrades } from '../../../src/db/schema.js';
import { planOf, topologicalOrder } from '../../../src/engine/index.js';
import { stepOf } from '../../../src/engine/state-queries.js';
import { applyCommand, type CommandInput } from '../../../src/services/apply-command.js';
import type { ServiceContext } from '../../../src/services/shared/context.js';
import { startUpgrade } from '../../../src/services/start-upgrade.js';
import { useTestDatabase } from '../../support/database.js';
import { asJob, asUser, FakeClock, startInput, TEAM, testDeps } from '../../support/services.js';

describe('an upgrade persisted from start to finish', () => {
  const clock = new FakeClock();
  const test = useTestDatabase();

  /**
   * Completes these steps in order as a team would: each check confirmed, a critical step by two people,
   * ten minutes apart; every command must be applied.
   */
  const walk = async (
    as: (userId: string) => ServiceContext,
    id: string,
    keys: string[],
    afterEach: (key: string) => Promise<void> = async () => {},
  ) => {
    const row = await findUpgrade(test.database.db, id);
    if (!row) throw new Error('not stored');
    const plan = planOf(row.state);
    for (const key of keys) {
      clock.advance({ minutes: 10 });
      const step = stepOf(plan, key);
      const commands: [string, CommandInput][] = [
        ...(step?.checks ?? []).map((check): [string, CommandInput] => [
          'UALICE',
          { type: 'confirm-check', step: key, check: check.id },
        ]),
        ...(step?.critical ? ['UALICE', 'UBOB'] : ['UBOB']).map((who): [string, CommandInput] => [
          who,
          { type: 'complete', step: key },
        ]),
      ];
      for (const [who, command] of commands) {
        const r = await applyCommand({
          ctx: as(who),
          input: { target: { upgradeId: id }, command, requestKey: null, responseUrl: null },
        });
        expect(r.outcome, `${command.type} ${key} by ${who}`).toBe('applied');
      }
      await afterEach(key);
    }
  };

  /** Walks an upgrade to the step that starts its Jump Clients' settling: CLIENTS_SETTLE holds from then. */
  const walkToSettling = async (as: (userId: string) => ServiceContext, id: string) => {
    const row = await findUpgrade(test.database.db, id);
    const plan = planOf(row?.state ?? (undefined as never));
    const order = topologicalOrder(plan) ?? [];
    await walk(as, id, order.slice(0, order.indexOf(plan.clientsUnlockedBy ?? '') + 1));
  };

  it('walks the whole async plan through the services, reloading from the database at every step', async () => {
    const deps = testDeps(test.database, clock);
    const started = await startUpgrade({ ctx: asUser(deps, 'UALICE'), input: startInput() });
    if (started.outcome !== 'started') throw new Error(JSON.stringify(started));
    const id = started.upgradeId;
    expect(await listParticipants(test.database.db, id)).toEqual(['UALICE', 'UBOB']);
    expect((await pendingDeliveries(test.database.db, id)).map((d) => d.kind)).toContain('provision-channel');

    const first = await findUpgrade(test.database.db, id);
    if (!first) throw new Error('not stored');
    const order = topologicalOrder(planOf(first.state)) ?? [];
    await walk(
      (who) => asUser(deps, who),
      id,
      order,
      async (key) => {
        if (key === 'a.break') {
          const reminders = await pendingReminders(test.database.db, id);
          expect(reminders.map((r) => r.rule)).toContain('FAILOVER_GAP');
        }
      },
    );
    const done = await findUpgrade(test.database.db, id);
    expect(done?.status).toBe('completed');
    expect(done?.state.status).toBe('completed');
    expect(done?.version).toBe(1 + order.length + 3 + 1); // one per step, a second confirm per critical step, one check
    expect(await pendingReminders(test.database.db, id)).toEqual([]);

    const trail = await auditTrail(test.database.db, id);
    const completed = trail.filter((a) => a.action === 'step-completed').map((a) => a.stepKey);
    expect(completed).toEqual(order);
    expect(trail.some((a) => a.action === 'failover-gap-opened')).toBe(true);
    expect(trail.some((a) => a.action === 'failover-gap-closed')).toBe(true);
    expect(trail.at(-1)?.action).toBe('reminders-cancelled');
    expect(trail.find((a) => a.stepKey === 'b.promote' && a.action === 'step-completed')?.actor).toEqual({
      type: 'slack',
      teamId: TEAM,
      userId: 'UBOB',
    });
  });

  it('refuses an out-of-order click, audits the refusal and answers the person', async () => {
    const deps = testDeps(test.database, clock);
    const started = await startUpgrade({ ctx: asUser(deps, 'UALICE'), input: startInput({ plan: 'sync' }) });
    if (started.outcome !== 'started') throw new Error('not started');
    const r = await applyCommand({
      ctx: asUser(deps, 'UALICE'),
      input: {
        target: { upgradeId: started.upgradeId },
        command: { type: 'complete', step: 'a.break' },
        requestKey: null,
        responseUrl: 'http://127.0.0.1:9/respond/1',
      },
    });
    expect(r.outcome === 'refused' && r.refusal.rule).toBe('BACKUP_FIRST');
    const trail = await auditTrail(test.database.db, started.upgradeId);
    expect(trail.at(-1)).toMatchObject({
      action: 'command-refused',
      stepKey: 'a.break',
      detail: { rule: 'BACKUP_FIRST' },
    });
    const replies = (await pendingDeliveries(test.database.db, started.upgradeId)).filter(
      (d) => d.kind === 'respond',
    );
    expect(replies).toHaveLength(1);
    expect((await findUpgrade(test.database.db, started.upgradeId))?.version).toBe(1);
  });

  it('applies a command for a job (system actor) and audits the job as the actor', async () => {
    const deps = testDeps(test.database, clock);
    const started = await startUpgrade({
      ctx: asUser(deps, 'UALICE'),
      input: startInput({ plan: 'single', invite: [] }),
    });
    if (started.outcome !== 'started') throw new Error('not started');
    const r = await applyCommand({
      ctx: asJob(deps, 'appliance-check'),
      input: {
        target: { upgradeId: started.upgradeId },
        command: { type: 'claim', step: 'prep.window' },
        requestKey: null,
        responseUrl: null,
      },
    });
    expect(r.outcome).toBe('applied');
    const stored = await findUpgrade(test.database.db, started.upgradeId);
    expect(stored?.state.steps['prep.window']?.claimedBy).toBe('system:appliance-check');
    const trail = await auditTrail(test.database.db, started.upgradeId);
    expect(trail.at(-1)?.actor).toEqual({ type: 'system', job: 'appliance-check' });
  });

  it('refuses someone who is not a participant and leaves the state alone', async () => {
    const deps = testDeps(test.database, clock);
    const started = await startUpgrade({
      ctx: asUser(deps, 'UALICE'),
      input: startInput({ plan: 'single', invite: [], ticket: 'CHG-NOT-PARTICIPANT' }),
    });
    if (started.outcome !== 'started') throw new Error('not started');
    const r = await applyCommand({
      ctx: asUser(deps, 'UMALLORY'),
      input: {
        target: { upgradeId: started.upgradeId },
        command: { type: 'complete', step: 'prep.window' },
        requestKey: null,
        responseUrl: null,
      },
    });
    expect(r.outcome === 'refused' && r.refusal.rule).toBe('NOT_PARTICIPANT');
    expect((await findUpgrade(test.database.db, started.upgradeId))?.state.steps['prep.window']?.status).toBe(
      'pending',
    );
  });

  it('holds a new upgrade of the same appliances while Jump Clients are still coming back (CLIENTS_SETTLE)', async () => {
    const deps = testDeps(test.database, clock);
    const first = await startUpgrade({
      ctx: asUser(deps, 'UALICE'),
      input: startInput({ plan: 'single', applianceA: 'pra.corp', applianceB: null }),
    });
    if (first.outcome !== 'started') throw new Error('not started');
    await walkToSettling((who) => asUser(deps, who), first.upgradeId);
    const second = await startUpgrade({
      ctx: asUser(deps, 'UALICE'),
      // Another change of the same appliance (the same ticket would be the open upgrade itself).
      input: startInput({
        plan: 'single',
        ticket: 'CHG-NEXT',
        applianceA: 'PRA.corp',
        applianceB: null,
        responseUrl: 'https://hooks.example/settle',
      }),
    });
    expect(second.outcome === 'refused' && second.rule).toBe('CLIENTS_SETTLE');
    // The person is told which upgrade holds it, as data the Slack layer links to its channel.
    const [answer] = await test.database.db
      .select()
      .from(outbox)
      .where(sql`${outbox.payload}->>'responseUrl' = 'https://hooks.example/settle'`);
    expect(answer?.payload).toEqual({
      kind: 'respond',
      upgradeId: null,
      responseUrl: 'https://hooks.example/settle',
      reply: {
        kind: 'start-refused',
        problems: [],
        settling: [{ upgradeId: first.upgradeId, channelId: null, jumpClients: null }],
      },
    });
    const [refused] = await test.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'start-refused'))
      .orderBy(desc(auditEvents.id))
      .limit(1);
    expect(refused?.detail).toMatchObject({
      settling: [{ upgradeId: first.upgradeId, channelId: null, jumpClients: null }],
      rule: 'CLIENTS_SETTLE',
      problems: [expect.stringContaining(first.upgradeId)],
    });
    const other = await startUpgrade({
      ctx: asUser(deps, 'UALICE'),
      input: startInput({ plan: 'single', applianceA: 'pra.lab', applianceB: null }),
    });
    expect(other.outcome).toBe('started');
  });

  it('holds a start naming no appliance behind any settling upgrade, and a named start behind an unnamed one (CLIENTS_SETTLE)', async () => {
    const deps = testDeps(test.database, clock);
    // Teams of their own: an unnamed upgrade still settling holds every start of its team.
    const settlingIn = async (teamId: string, applianceA: string | null) => {
      const ctx = asUser(deps, 'UALICE', teamId);
      const started = await startUpgrade({
        ctx,
        input: startInput({ teamId, plan: 'single', applianceA, applianceB: null }),
      });
      if (started.outcome !== 'started') throw new Error(`not started: ${started.outcome}`);
      await walkToSettling((who) => asUser(deps, who, teamId), started.upgradeId);
      // Another start in the same team, naming this appliance (or none).
      return (name: string | null) =>
        startUpgrade({
          ctx,
          input: startInput({ teamId, plan: 'single', applianceA: name, applianceB: null }),
        });
    };
    const startNamedIn = await settlingIn('TSETTLE1', 'pra.one');
    const unnamed = await startNamedIn(null);
    expect(unnamed.outcome === 'refused' && unnamed.rule).toBe('CLIENTS_SETTLE');
    expect((await startNamedIn('pra.two')).outcome).toBe('started');
    const startUnnamedIn = await settlingIn('TSETTLE2', null);
    const held = await startUnnamedIn('pra.three');
    expect(held.outcome === 'refused' && held.rule).toBe('CLIENTS_SETTLE');
  });

  it('holds a start of an appliance that a settling upgrade names as its B appliance (CLIENTS_SETTLE)', async () => {
    const deps = testDeps(test.database, clock);
    const inTeam = (userId: string) => asUser(deps, userId, 'TSETTLE3');
    const pair = await startUpgrade({
      ctx: inTeam('UALICE'),
      input: startInput({ teamId: 'TSETTLE3', plan: 'async', applianceA: 'pra.x', applianceB: 'pra.y' }),
    });
    if (pair.outcome !== 'started') throw new Error(`not started: ${pair.outcome}`);
    await walkToSettling(inTeam, pair.upgradeId);
    const startOf = (applianceA: string) =>
      startUpgrade({
        ctx: inTeam('UALICE'),
        input: startInput({ teamId: 'TSETTLE3', plan: 'single', applianceA, applianceB: null }),
      });
    // Only the B appliance's name matches: the A appliance's clause cannot be what holds it.
    const held = await startOf('PRA.Y');
    expect(held.outcome === 'refused' && held.rule).toBe('CLIENTS_SETTLE');
    expect((await startOf('pra.z')).outcome).toBe('started');
  });

  it('a start repeated while the first is still being set up points at the first; another ticket starts anew', async () => {
    const deps = testDeps(test.database, clock);
    const input = startInput({ plan: 'manual', ticket: 'CHG-TWICE', responseUrl: 'https://hooks.example/1' });
    const first = await startUpgrade({ ctx: asUser(deps, 'UCAROL'), input });
    const again = await startUpgrade({ ctx: asUser(deps, 'UCAROL'), input });
    if (first.outcome !== 'started') throw new Error('not started');
    expect(again).toEqual({ outcome: 'already-starting', upgradeId: first.upgradeId });
    // Someone else typing the same change is pointed at it too, as an open upgrade of that change.
    const someoneElse = await startUpgrade({ ctx: asUser(deps, 'UBOB'), input });
    expect(someoneElse.outcome === 'refused' && someoneElse.rule).toBe('UPGRADE_OPEN');
    const otherTicket = await startUpgrade({
      ctx: asUser(deps, 'UCAROL'),
      input: { ...input, ticket: 'CHG-OTHER' },
    });
    expect(otherTicket.outcome).toBe('started');
  });

  it('refuses a start of a change whose upgrade is open, says where it is, and starts it again once that one ended', async () => {
    const deps = testDeps(test.database, clock);
    const teamId = 'TOPEN';
    const inTeam = (who: string) => asUser(deps, who, teamId);
    const input = startInput({
      teamId,
      plan: 'async',
      ticket: 'CHG-OPEN',
      applianceA: 'pra-a.corp',
      applianceB: 'pra-b.corp',
      responseUrl: 'https://hooks.example/open',
    });
    const first = await startUpgrade({ ctx: inTeam('UCAROL'), input });
    if (first.outcome !== 'started') throw new Error(`not started: ${first.outcome}`);
    // Its channel is made: the start is no longer being set up, and the same person is refused now.
    await test.database.db
      .update(outbox)
      .set({ status: 'delivered' })
      .where(sql`${outbox.upgradeId} = ${first.upgradeId} and ${outbox.kind} = 'provision-channel'`);
    const rowsIn = async (table: typeof outbox | typeof upgrades) =>
      (await test.database.db.select({ n: sql<number>`count(*)::int` }).from(table))[0]?.n ?? 0;
    const [outboxBefore, upgradesBefore] = [await rowsIn(outbox), await rowsIn(upgrades)];
    const again = await startUpgrade({
      ctx: inTeam('UCAROL'),
      input: {
        ...input,
        ticket: 'chg-open',
        applianceA: 'PRA-A.corp',
        responseUrl: 'https://hooks.example/2',
      },
    });
    expect(again.outcome === 'refused' && again.rule).toBe('UPGRADE_OPEN');
    expect(await rowsIn(upgrades)).toBe(upgradesBefore);
    const replies = await test.database.db
      .select()
      .from(outbox)
      .where(sql`${outbox.payload}->>'responseUrl' = 'https://hooks.example/2'`);
    expect(replies.map((r) => r.payload)).toEqual([
      {
        kind: 'respond',
        upgradeId: first.upgradeId,
        responseUrl: 'https://hooks.example/2',
        reply: {
          kind: 'already-open',
          upgradeId: first.upgradeId,
          plan: 'async',
          ticket: 'chg-open',
          askedBy: 'UCAROL',
        },
      },
    ]);
    expect(await rowsIn(outbox)).toBe(outboxBefore + 1);
    const [refused] = await test.database.db
      .select()
      .from(auditEvents)
      .where(sql`${auditEvents.action} = 'start-refused' and ${auditEvents.detail}->>'rule' = 'UPGRADE_OPEN'`)
      .orderBy(desc(auditEvents.id))
      .limit(1);
    expect(refused?.detail).toMatchObject({ plan: 'async', ticket: 'chg-open', open: first.upgradeId });

    // Another plan, other appliances or another ticket is another change.
    expect(
      (await startUpgrade({ ctx: inTeam('UBOB'), input: { ...input, applianceB: 'pra-c.corp' } })).outcome,
    ).toBe('started');
    expect(
      (await startUpgrade({ ctx: inTeam('UBOB'), input: { ...input, ticket: 'CHG-NEXT' } })).outcome,
    ).toBe('started');
    // Ended early by its lead: the same change can be started again.
    const aborted = await applyCommand({
      ctx: inTeam('UCAROL'),
      input: {
        target: { upgradeId: first.upgradeId },
        command: { type: 'abort', reason: 'started over' },
        requestKey: null,
        responseUrl: null,
      },
    });
    expect(aborted.outcome).toBe('applied');
    expect((await startUpgrade({ ctx: inTeam('UBOB'), input })).outcome).toBe('started');
  });

  it('a hardware start is never held as the same change: its --old and --new are not kept to tell two swaps apart', async () => {
    const deps = testDeps(test.database, clock);
    const inTeam = (who: string) => asUser(deps, who, 'THARDWARE');
    const swap = (applianceOld: string) =>
      startInput({
        teamId: 'THARDWARE',
        plan: 'hardware',
        ticket: 'CHG-SWAPS',
        applianceA: null,
        applianceB: null,
        applianceOld,
        applianceNew: `${applianceOld}-new`,
      });
    expect((await startUpgrade({ ctx: inTeam('UCAROL'), input: swap('pra-1') })).outcome).toBe('started');
    expect((await startUpgrade({ ctx: inTeam('UBOB'), input: swap('pra-2') })).outcome).toBe('started');
  });

  it('a start naming no ticket and no appliance could be of any appliance: only the same person while being set up is the same', async () => {
    const deps = testDeps(test.database, clock);
    const input = startInput({
      teamId: 'TUNNAMED',
      plan: 'single',
      ticket: null,
      applianceA: null,
      applianceB: null,
    });
    const inTeam = (who: string) => asUser(deps, who, 'TUNNAMED');
    const first = await startUpgrade({ ctx: inTeam('UCAROL'), input });
    if (first.outcome !== 'started') throw new Error('not started');
    expect(await startUpgrade({ ctx: inTeam('UCAROL'), input })).toEqual({
      outcome: 'already-starting',
      upgradeId: first.upgradeId,
    });
    expect((await startUpgrade({ ctx: inTeam('UBOB'), input })).outcome).toBe('started');
  });
});

// On PostgreSQL even without DATABASE_URL: PGlite runs one transaction at a time, so nothing would race.
describe('starts of one change at the same moment, on PostgreSQL', () => {
  const clock = new FakeClock();
  const onPostgres = useTestDatabase({ server: 'postgres' });

  it('of two people starting the same change at the same moment, one starts it and the other is pointed at it', async () => {
    const deps = testDeps(onPostgres.database, clock);
    const inTeam = (who: string) => asUser(deps, who, 'TRACE');
    const input = startInput({ teamId: 'TRACE', plan: 'sync', ticket: 'CHG-RACE' });
    for (let round = 0; round < 5; round++) {
      const ticketed = { ...input, ticket: `CHG-RACE-${round}` };
      const outcomes = await Promise.all(
        ['UCAROL', 'UBOB'].map((who) => startUpgrade({ ctx: inTeam(who), input: ticketed })),
      );
      expect(outcomes.map((o) => (o.outcome === 'refused' ? o.rule : o.outcome)).sort()).toEqual([
        'UPGRADE_OPEN',
        'started',
      ]);
    }
  });
});
