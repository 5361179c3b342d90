import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUpgradeByChannel } from '../../../src/db/repositories/upgrades.js';
import { planOf } from '../../../src/engine/index.js';
import { waitFor } from '../../../src/fake-slack/index.js';
import { prerequisitesOf } from '../../support/engine.js';
import { finishByClicks, Harness, USERS } from '../../support/harness.js';

// The issue's own check, in real time: node-cron ticking every second in two processes on one database.
describe("REMINDER_TICK='* * * * * *' and FAILOVER_GAP_LIMIT=PT5S with two bot processes", () => {
  let a: Harness;
  let b: Harness;
  const env = { REMINDER_TICK: '* * * * * *', FAILOVER_GAP_LIMIT: 'PT5S' };
  beforeAll(async () => {
    a = await Harness.start({ postgres: true, realClock: true, scheduleJobs: true, env });
    b = await a.startSibling({ realClock: true, scheduleJobs: true, env });
  });
  afterAll(async () => {
    await b.stopBot();
    await a.stop();
  });

  it('breaking failover brings one reminder a few seconds later, and none after it is re-established', async () => {
    await a.command(USERS.alice.id, `start sync --method auto <@${USERS.bob.id}>`);
    // Either process may set the channel up (the other is woken by NOTIFY): wait for both.
    await Promise.all([a.settleUntilDelivered(), b.settleUntilDelivered()]);
    const channelId = a.upgradeChannel();
    const upgrade = await findUpgradeByChannel(a.bot.database.db, channelId);
    if (!upgrade) throw new Error('not started');
    const plan = planOf(upgrade.state);
    await finishByClicks(a, [...prerequisitesOf(upgrade.state, 'a.break'), 'a.break'], plan);
    const brokeAt = Date.now();

    await waitFor(() => a.reminders(channelId, 'FAILOVER_GAP').length > 0, {
      timeoutMs: 9_000,
      intervalMs: 50,
    });
    expect(Date.now() - brokeAt).toBeGreaterThanOrEqual(4_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(a.reminders(channelId, 'FAILOVER_GAP')).toHaveLength(1);

    const state = (await findUpgradeByChannel(a.bot.database.db, channelId))?.state ?? upgrade.state;
    const rest = prerequisitesOf(state, 'a.establish').filter((k) => state.steps[k]?.status !== 'done');
    await finishByClicks(a, [...rest, 'a.establish'], plan);
    const atEstablish = a.reminders(channelId, 'FAILOVER_GAP').length;
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    expect(a.reminders(channelId, 'FAILOVER_GAP')).toHaveLength(atEstablish);
    expect(atEstablish).toBeLessThanOrEqual(2);
  }, 60_000);
});
