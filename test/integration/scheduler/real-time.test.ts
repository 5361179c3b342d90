import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUpgradeByChannel } from '../../../src/db/repositories/upgrades.js';
import { planOf } from '../../../src/engine/index.js';
import { waitFor } from '../../../src/fake-slack/index.js';
import { prerequisitesOf } from '../../support/engine.js';
import { finishByClicks, Harness, USERS } from '../../support/harness.js';

// node-cron ticking every second, in real time, in two processes on one database. The gap limit's
// smallest value is 15 minutes, so the shared bot clock is moved past it while the ticks run for real.
describe("REMINDER_TICK='* * * * * *' and FAILOVER_GAP_LIMIT=PT15M with two bot processes", () => {
  let a: Harness;
  let b: Harness;
  const env = { REMINDER_TICK: '* * * * * *', FAILOVER_GAP_LIMIT: 'PT15M' };
  beforeAll(async () => {
    a = await Harness.start({ postgres: true, scheduleJobs: true, env });
    b = await a.startSibling({ scheduleJobs: true, env });
  });
  afterAll(async () => {
    await b.stopBot();
    await a.stop();
  });

  it('breaking failover brings one reminder once the limit passed, and none after it is re-established', async () => {
    await a.command(USERS.alice.id, `start sync --method auto <@${USERS.bob.id}>`);
    // Either process may set the channel up (the other is woken by NOTIFY): wait for both.
    await Promise.all([a.settleUntilDelivered(), b.settleUntilDelivered()]);
    const channelId = a.upgradeChannel();
    const upgrade = await findUpgradeByChannel(a.bot.database.db, channelId);
    if (!upgrade) throw new Error('not started');
    const plan = planOf(upgrade.state);
    await finishByClicks(a, [...prerequisitesOf(upgrade.state, 'a.break'), 'a.break'], plan);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(a.reminders(channelId, 'FAILOVER_GAP')).toHaveLength(0);

    a.clock.advance({ minutes: 15, seconds: 1 });
    await waitFor(() => a.reminders(channelId, 'FAILOVER_GAP').length > 0, {
      timeoutMs: 9_000,
      intervalMs: 50,
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(a.reminders(channelId, 'FAILOVER_GAP')).toHaveLength(1);

    const state = (await findUpgradeByChannel(a.bot.database.db, channelId))?.state ?? upgrade.state;
    const rest = prerequisitesOf(state, 'a.establish').filter((k) => state.steps[k]?.status !== 'done');
    await finishByClicks(a, [...rest, 'a.establish'], plan);
    const atEstablish = a.reminders(channelId, 'FAILOVER_GAP').length;
    a.clock.advance({ minutes: 30 });
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(a.reminders(channelId, 'FAILOVER_GAP')).toHaveLength(atEstablish);
    expect(atEstablish).toBeLessThanOrEqual(2);
  }, 60_000);
});
