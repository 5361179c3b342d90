import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carryOut } from '../../../src/appliances/follow-the-team.js';
import { auditTrail } from '../../../src/db/repositories/audit.js';
import { findUpgradeByChannel } from '../../../src/db/repositories/upgrades.js';
import { auditEvents } from '../../../src/db/schema.js';
import { planOf, topologicalOrder } from '../../../src/engine/index.js';
import { startLinkedHarness } from '../../support/appliances.js';
import { USERS } from '../../support/harness.js';

type Lab = Awaited<ReturnType<typeof startLinkedHarness>>;

describe('an async upgrade verified against two simulated appliances, over signed HTTP', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLinkedHarness();
  });
  afterAll(() => lab.stop());

  it('checks every verified step with the appliances, shows the evidence, and counts Jump Clients down to zero', async () => {
    const { h, a, b } = lab;
    const started = await h.command(
      USERS.alice.id,
      `start async --a pra-a --b pra-b --to 24.1.2 --ticket CHG9 <@${USERS.bob.id}|bob>`,
    );
    expect(started.response.status).toBe(200);
    const channelId = h.upgradeChannel();
    const upgrade = await findUpgradeByChannel(h.bot.database.db, channelId);
    if (!upgrade) throw new Error('upgrade not stored');
    expect(upgrade.state.linked?.recorded).toEqual({
      a: { version: '23.3.1', build: '4123' },
      b: { version: '23.3.1', build: '4123' },
    });
    const plan = planOf(upgrade.state);
    const order = topologicalOrder(plan) ?? [];
    const verifiedSteps = plan.steps.filter((s) => s.verification !== null).map((s) => s.key);
    expect(verifiedSteps).toEqual(
      expect.arrayContaining(['a.sync', 'a.break', 'b.verify', 'b.promote', 'a.verify', 'b.establish']),
    );
    // The verified steps say so on the runbook from the start.
    expect(JSON.stringify(h.messageWithBlock(channelId, 'step-text:b.verify').block)).toContain(
      'checked with the appliance',
    );

    // The appliances follow what the team does, just before each click (as in local mode).
    const followed = {
      appliances: { a, b },
      misbehaving: {},
      newVersion: { version: '24.1.2', build: '5123' },
    };
    b.setJumpoints(['dc-1', 'dc-2']);
    for (const key of order) {
      h.clock.advance({ minutes: 5 });
      carryOut(followed, 'async', key, lab.now());
      const step = plan.steps.find((s) => s.key === key);
      for (const check of step?.checks ?? []) await h.clickStep(USERS.bob.id, key, `step.check:${check.id}`);
      const first = await h.clickStep(USERS.alice.id, key);
      expect(first.replies().join('\n'), key).not.toMatch(/APPLIANCE_/);
      if (step?.critical) await h.clickStep(USERS.bob.id, key);
      const state = (await findUpgradeByChannel(h.bot.database.db, channelId))?.state;
      expect(state?.steps[key]?.status, key).toBe('done');
      if (step?.verification) {
        expect(state?.steps[key]?.verified?.outcome, key).toBe('agreed');
        expect(JSON.stringify(h.messageWithBlock(channelId, `step:${key}`).block), key).toContain(
          'Confirmed by the appliance',
        );
      }
      if (key === 'b.establish') {
        // The first sync after establishing answers SYNC_CONFIRM; the Jump Clients are counted.
        b.setJumpClients(40, 12);
        h.clock.advance({ minutes: 1 });
        b.sync(lab.now());
        h.clock.advance({ minutes: 1 });
        await h.bot.scheduler.runNow('watch-appliances');
        await h.settle();
        const watched = await findUpgradeByChannel(h.bot.database.db, channelId);
        expect(watched?.state.failover.syncObserved?.appliance).toBe('b');
        expect(watched?.state.failover.syncConfirmedAt).not.toBeNull();
        expect(JSON.stringify(h.messageWithBlock(channelId, 'step-text:clients.jump').block)).toContain(
          '*12* of 40 Jump Clients still wait to upgrade',
        );
        // CLIENTS_SETTLE: another upgrade of B is held, with the count B reported.
        const held = await h.command(USERS.bob.id, 'start single --a pra-b');
        expect(held.replies().join()).toContain('12 of 40 Jump Clients still waiting to upgrade');
        expect(held.replies().join()).toContain('Hold other upgrade work');
        b.setJumpClients(40, 0);
        h.clock.advance({ minutes: 1 });
        await h.bot.scheduler.runNow('watch-appliances');
        await h.settle();
        expect(JSON.stringify(h.messageWithBlock(channelId, 'step-text:clients.settle').block)).toContain(
          'no Jump Client waits to upgrade (40 in all',
        );
      }
    }
    const done = await findUpgradeByChannel(h.bot.database.db, channelId);
    expect(done?.status).toBe('completed');
    const trail = await auditTrail(h.bot.database.db, upgrade.id);
    const verifiedKeys = new Set(trail.filter((e) => e.action === 'step-verified').map((e) => e.stepKey));
    expect([...verifiedKeys].sort()).toEqual([...verifiedSteps].sort());
    // The establish check was confirmed by the API: both on 24.1.2 (5123).
    const check = trail.find((e) => e.action === 'step-verified' && e.detail.check === 'keys');
    expect(check?.detail.evidence).toContain('A and B both report 24.1.2 (5123)');
    expect(trail.filter((e) => e.action === 'appliance-queried').length).toBeGreaterThan(
      verifiedSteps.length,
    );
    expect(trail.some((e) => e.action === 'sync-observed')).toBe(true);
    expect(trail.filter((e) => e.action === 'jump-clients-counted').map((e) => e.detail.pending)).toEqual([
      12, 0,
    ]);
    // The summary shows the evidence.
    expect(h.channelTexts(channelId).at(-1)).toContain('🛰️');

    // Tokens are reused: a new one only after the last expired (1 h, renewed a minute early).
    const hours = (h.clock.now().toMillis() - Date.parse(upgrade.state.startedAt)) / 3_600_000;
    for (const sim of [a, b]) {
      expect(sim.tokensIssued).toBeLessThanOrEqual(Math.ceil(hours * (60 / 59)) + 1);
      expect(sim.apiRequests().length).toBeGreaterThan(sim.tokensIssued * 3);
    }

    // No secret in the database, in anything sent to Slack, or in the bot's answers.
    const everything = JSON.stringify({
      audit: await h.bot.database.db.select().from(auditEvents),
      state: done?.state,
      slack: h.fake.calls,
      responses: h.fake.responses,
    });
    for (const secret of [a.clientSecret, b.clientSecret]) expect(everything).not.toContain(secret);
  }, 180_000);
});
