import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTrail } from '../../../src/db/repositories/audit.js';
import { findUpgradeByChannel } from '../../../src/db/repositories/upgrades.js';
import { planOf, readySteps, topologicalOrder } from '../../../src/engine/index.js';
import { stepOf } from '../../../src/engine/state-queries.js';
import { Harness, USERS } from '../../support/harness.js';

describe('/pra-upgrade start async, walked end to end over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());

  it('opens a channel, posts every step with buttons, and walks the whole plan to a summary', async () => {
    const started = await h.command(
      USERS.alice.id,
      `start async --a pra-a.corp --b pra-b.corp --ticket CHG4711 <@${USERS.bob.id}|bob>`,
    );
    expect(started.response.status).toBe(200);
    const channelId = h.upgradeChannel();
    const channel = h.fake.channel(channelId);
    // Named from the plan, the day it started (by the bot's clock) and the ticket.
    expect(channel?.name).toBe(`pra-async-${h.clock.now().toFormat('yyyyLLdd')}-chg4711`);
    expect([...(channel?.members ?? [])]).toEqual(expect.arrayContaining([USERS.alice.id, USERS.bob.id]));
    expect(channel?.topic.value).toContain('async');
    expect(h.fake.pins(channelId)).toHaveLength(1);
    expect(started.replies().join('\n')).toContain(`<#${channelId}>`);

    const upgrade = await findUpgradeByChannel(h.bot.database.db, channelId);
    if (!upgrade) throw new Error('upgrade not stored');
    const order = topologicalOrder(planOf(upgrade.state)) ?? [];
    // Every step is visible from the start with a confirm button in its step:<key> block: primary
    // exactly on the steps ready now, plain on those still waiting for others.
    const ready = new Set(readySteps(planOf(upgrade.state), upgrade.state).map((s) => s.key));
    expect(ready.size).toBeGreaterThan(0);
    for (const key of order) {
      const { block } = h.messageWithBlock(channelId, `step:${key}`);
      const confirm = block.elements?.find((e) => e.action_id === 'step.complete');
      expect(confirm, key).toBeDefined();
      expect(confirm?.style, key).toBe(ready.has(key) ? 'primary' : undefined);
    }
    expect(h.fake.messages(channelId).length).toBeLessThanOrEqual(6);

    for (const key of order) {
      h.clock.advance({ minutes: 5 });
      const step = stepOf(planOf(upgrade.state), key);
      for (const check of step?.checks ?? []) {
        await h.clickStep(USERS.bob.id, key, `step.check:${check.id}`);
      }
      // The step about to be done is the one the channel shows as ready: a green Done.
      const { block } = h.messageWithBlock(channelId, `step:${key}`);
      expect(block.elements?.find((e) => e.action_id === 'step.complete')?.style, key).toBe('primary');
      await h.clickStep(USERS.alice.id, key);
      if (step?.critical) {
        expect(JSON.stringify(h.messageWithBlock(channelId, `step:${key}`).message.blocks)).toMatch(
          /second person/i,
        );
        await h.clickStep(USERS.bob.id, key);
      }
    }
    const done = await findUpgradeByChannel(h.bot.database.db, channelId);
    expect(done?.status).toBe('completed');
    // Done steps are one line each with a menu, and no button where Done was.
    for (const key of order) {
      const { block } = h.messageWithBlock(channelId, `step:${key}`);
      expect(block.type, key).toBe('section');
      expect(block.accessory?.type, key).toBe('overflow');
    }
    const texts = h.channelTexts(channelId).join('\n');
    expect(texts).toMatch(/failover/i);
    const trail = await auditTrail(h.bot.database.db, upgrade.id);
    expect(trail.filter((a) => a.action === 'step-completed').map((a) => a.stepKey)).toEqual(order);
    expect(trail.filter((a) => a.action === 'slack-call-failed')).toEqual([]);
    // The last notice is the summary: who confirmed the critical steps.
    const last = h.channelTexts(channelId).at(-1) ?? '';
    expect(last).toContain(`<@${USERS.bob.id}>`);
    expect(last).toMatch(/Break Failover Relationship/);
  }, 120_000);
});
