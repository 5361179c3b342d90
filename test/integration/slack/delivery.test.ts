import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTrail } from '../../../src/db/repositories/audit.js';
import { pendingDeliveries } from '../../../src/db/repositories/outbox.js';
import { findUpgradeByChannel } from '../../../src/db/repositories/upgrades.js';
import { planOf } from '../../../src/engine/index.js';
import { prerequisitesOf } from '../../support/engine.js';
import { finishByClicks, Harness, USERS } from '../../support/harness.js';

describe('channel set-up and deliveries that fail half-way', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());

  async function retryFor(seconds: number) {
    for (let waited = 0; waited < seconds; waited += 10) {
      h.clock.advance({ seconds: 10 });
      await h.settle();
    }
  }

  it('an invite that fails once is retried, and the topic still gets set', async () => {
    h.fake.injectFault('conversations.invite', { retryAfter: 5 });
    await h.command(USERS.alice.id, `start single --a invite.corp <@${USERS.bob.id}>`);
    const channelId = h.upgradeChannel();
    await retryFor(20);
    expect([...(h.fake.channel(channelId)?.members ?? [])]).toEqual(
      expect.arrayContaining([USERS.alice.id, USERS.bob.id]),
    );
    expect(h.fake.channel(channelId)?.topic.value).toContain('single');
    expect(h.fake.pins(channelId)).toHaveLength(1);
  });

  it('someone who cannot be invited is reported, and the set-up goes on without them', async () => {
    await h.command(USERS.alice.id, 'start single --a ghost.corp <@UGHOST>');
    const channelId = h.upgradeChannel();
    const upgrade = await findUpgradeByChannel(h.bot.database.db, channelId);
    const trail = await auditTrail(h.bot.database.db, upgrade?.id ?? '');
    expect(trail.find((a) => a.action === 'invite-failed')?.detail).toMatchObject({
      failed: [{ userId: 'UGHOST', error: 'user_not_found' }],
    });
    expect(h.fake.messages(channelId).length).toBeGreaterThan(1);
  });

  it('a reminder held back by Slack errors is not posted once failover is back', async () => {
    await h.command(USERS.alice.id, `start sync --a held.corp --gap-limit 1h <@${USERS.bob.id}>`);
    const channelId = h.upgradeChannel();
    const upgrade = await findUpgradeByChannel(h.bot.database.db, channelId);
    if (!upgrade) throw new Error('not started');
    await finishByClicks(h, [...prerequisitesOf(upgrade.state, 'a.break'), 'a.break'], planOf(upgrade.state));
    h.clock.advance({ hours: 1, minutes: 1 });
    h.fake.injectFault('chat.postMessage', { status: 503, times: 1 });
    await h.bot.scheduler.runNow('send-reminders');
    await h.settle();
    expect(h.reminders(channelId, 'FAILOVER_GAP')).toHaveLength(0);
    const state = (await findUpgradeByChannel(h.bot.database.db, channelId))?.state ?? upgrade.state;
    const rest = prerequisitesOf(state, 'a.establish').filter((k) => state.steps[k]?.status !== 'done');
    await finishByClicks(h, [...rest, 'a.establish'], planOf(state));
    await retryFor(30);
    expect(h.reminders(channelId, 'FAILOVER_GAP')).toHaveLength(0);
    const trail = await auditTrail(h.bot.database.db, upgrade.id);
    expect(trail.find((a) => a.action === 'reminder-dropped')?.detail).toMatchObject({
      rule: 'FAILOVER_GAP',
    });
  });

  it('a notice for a channel that could never be created is given up and audited, not retried forever', async () => {
    h.fake.injectFault('conversations.create', { error: 'restricted_action', times: 1 });
    const started = await h.command(USERS.alice.id, 'start single --a forbidden.corp');
    expect(started.response.status).toBe(200);
    await retryFor(30);
    const stuck = (await pendingDeliveries(h.bot.database.db)).filter((d) => d.kind !== 'render');
    expect(stuck).toEqual([]);
    expect(started.replies().join()).toContain('could not be created (Slack answered `restricted_action`)');
  });

  it('a channel Slack created but whose answer was lost is adopted, not duplicated', async () => {
    let first = true;
    h.fake.defineMethod('conversations.create', (args, fake) => {
      const name = String(args.name);
      if (fake.channelByName(name)) return { ok: false, error: 'name_taken' };
      const channel = fake.addChannel({ name, members: [fake.botUserId], creator: fake.botUserId });
      if (first) {
        first = false;
        // Made, but the answer never arrives: to the bot this is a Slack error worth retrying.
        return { ok: false, error: 'internal_error' };
      }
      return { ok: true, channel: { id: channel.id, name: channel.name } };
    });
    await h.command(USERS.alice.id, 'start single --a adopt.corp --ticket ADOPT1');
    await retryFor(20);
    const named = [
      ...[
        `pra-single-${h.clock.now().toFormat('yyyyLLdd')}-adopt1`,
        `pra-single-${h.clock.now().toFormat('yyyyLLdd')}-adopt1-2`,
      ],
    ].map((n) => h.fake.channelByName(n));
    expect(named[0]).toBeDefined();
    expect(named[1]).toBeUndefined();
    const upgrade = await findUpgradeByChannel(h.bot.database.db, named[0]?.id ?? '');
    expect(upgrade).toBeDefined();
    const trail = await auditTrail(h.bot.database.db, upgrade?.id ?? '');
    expect(trail.map((a) => a.action)).toContain('channel-adopted');
    expect(h.fake.messages(named[0]?.id ?? '').length).toBeGreaterThan(1);
  });
});
