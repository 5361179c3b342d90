import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTrail } from '../../../src/db/repositories/audit.js';
import { pendingReminders } from '../../../src/db/repositories/reminders.js';
import { findUpgradeByChannel } from '../../../src/db/repositories/upgrades.js';
import { outbox } from '../../../src/db/schema.js';
import { planOf } from '../../../src/engine/index.js';
import { prerequisitesOf } from '../../support/engine.js';
import { finishByClicks, Harness, USERS } from '../../support/harness.js';

describe('reminders from the database, on a clock the test moves', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());

  let site = 0;
  // Each test upgrades a site of its own: a finished one holds new work on the same site (CLIENTS_SETTLE).
  async function brokenFailover(limit = '2h') {
    site++;
    await h.command(USERS.alice.id, `start sync --a pra${site}.corp --gap-limit ${limit} <@${USERS.bob.id}>`);
    const channelId = h.upgradeChannel();
    const upgrade = await findUpgradeByChannel(h.bot.database.db, channelId);
    if (!upgrade) throw new Error('not started');
    await finishByClicks(h, [...prerequisitesOf(upgrade.state, 'a.break'), 'a.break'], planOf(upgrade.state));
    return { channelId, upgrade };
  }

  async function tick() {
    await h.bot.scheduler.runNow('send-reminders');
    await h.settle();
  }

  it('FAILOVER_GAP: nothing before the limit, then the lead, then everyone, until re-established', async () => {
    const { channelId, upgrade } = await brokenFailover('2h');
    h.clock.advance({ minutes: 119 });
    await tick();
    expect(h.reminders(channelId, 'FAILOVER_GAP')).toHaveLength(0);
    h.clock.advance({ minutes: 2 });
    await tick();
    const first = h.reminders(channelId, 'FAILOVER_GAP');
    expect(first).toHaveLength(1);
    expect(first[0]?.text).toContain(`<@${USERS.alice.id}>`);
    await tick();
    expect(h.reminders(channelId, 'FAILOVER_GAP')).toHaveLength(1);
    h.clock.advance({ hours: 2 });
    await tick();
    const second = h.reminders(channelId, 'FAILOVER_GAP');
    expect(second).toHaveLength(2);
    expect(second[1]?.text).toContain('<!channel>');
    const sent = (await auditTrail(h.bot.database.db, upgrade.id)).filter(
      (a) => a.action === 'reminder-sent',
    );
    expect(sent.map((a) => a.detail.occurrence)).toEqual([1, 2]);
  });

  it('the failover banner names the next reminder, and moves on once one is sent', async () => {
    const { channelId, upgrade } = await brokenFailover('2h');
    const bannerDue = () => {
      const { block } = h.messageWithBlock(channelId, 'banner:failover');
      const match = /next reminder <!date\^(\d+)\^/.exec(JSON.stringify(block));
      return match ? Number(match[1]) : null;
    };
    const due = async () =>
      (await pendingReminders(h.bot.database.db, upgrade.id))
        .filter((r) => r.rule === 'FAILOVER_GAP')
        .map((r) => Math.floor(r.dueAt.getTime() / 1000));
    expect([bannerDue()]).toEqual(await due());
    h.clock.advance({ hours: 2, minutes: 1 });
    await tick();
    expect(h.reminders(channelId, 'FAILOVER_GAP')).toHaveLength(1);
    const next = await due();
    expect(next).toHaveLength(1);
    expect([bannerDue()]).toEqual(next);
    // Sending keeps the upgrade's version, so the re-render asks for the next one: a render that read
    // the state before the reminder was sent can never count as showing the new banner.
    const [asked] = await h.bot.database.db
      .select({ payload: outbox.payload })
      .from(outbox)
      .where(and(eq(outbox.upgradeId, upgrade.id), eq(outbox.kind, 'render')))
      .orderBy(desc(outbox.id))
      .limit(1);
    const current = await findUpgradeByChannel(h.bot.database.db, channelId);
    expect((asked?.payload as { version?: number } | undefined)?.version).toBe((current?.version ?? 0) + 1);
  });

  it('a gap closed before its limit sends nothing', async () => {
    const { channelId, upgrade } = await brokenFailover('2h');
    const state = (await findUpgradeByChannel(h.bot.database.db, channelId))?.state ?? upgrade.state;
    const rest = prerequisitesOf(state, 'a.establish').filter((k) => state.steps[k]?.status !== 'done');
    await finishByClicks(h, [...rest, 'a.establish'], planOf(state));
    expect((await pendingReminders(h.bot.database.db, upgrade.id)).map((r) => r.rule)).not.toContain(
      'FAILOVER_GAP',
    );
    h.clock.advance({ hours: 3 });
    await tick();
    expect(h.reminders(channelId, 'FAILOVER_GAP')).toHaveLength(0);
    // The sync confirmation was asked for instead, 60 seconds after re-establishing.
    expect(h.reminders(channelId, 'SYNC_CONFIRM')).toHaveLength(1);
  });

  it('snoozing a failover-gap reminder never silences it for longer than its limit', async () => {
    const { channelId, upgrade } = await brokenFailover('2h');
    h.clock.advance({ hours: 2, minutes: 1 });
    await tick();
    const [reminder] = h.reminders(channelId, 'FAILOVER_GAP');
    type Button = { action_id: string; value?: string };
    const block = ((reminder?.blocks ?? []) as { block_id?: string; elements?: Button[] }[]).find((b) =>
      b.elements?.some((e) => e.action_id === 'reminder.snooze.P1D'),
    );
    const button = block?.elements?.find((e) => e.action_id === 'reminder.snooze.P1D');
    if (!reminder || !block?.block_id || !button) throw new Error('no snooze button on the reminder');
    await h.clickButton(USERS.bob.id, channelId, reminder.ts, block.block_id, button);
    const trail = await auditTrail(h.bot.database.db, upgrade.id);
    expect(trail.find((a) => a.action === 'reminder-snoozed')?.detail).toMatchObject({ requested: 'P1D' });
    h.clock.advance({ hours: 1, minutes: 59 });
    await tick();
    expect(h.reminders(channelId, 'FAILOVER_GAP')).toHaveLength(1);
    h.clock.advance({ minutes: 2 });
    await tick();
    expect(h.reminders(channelId, 'FAILOVER_GAP')).toHaveLength(2);
  });

  it('WINDOW_START reminds a day and 15 minutes before, in every reader’s own time', async () => {
    await h.command(
      USERS.alice.id,
      `start single --a window.corp --window-a "2026-11-30 22:00" --tz Europe/Amsterdam`,
    );
    const channelId = h.upgradeChannel();
    h.clock.current = h.clock.current.set({ year: 2026, month: 11, day: 29, hour: 21, minute: 0 });
    await tick();
    const [dayBefore] = h.reminders(channelId, 'WINDOW_START');
    expect(dayBefore).toBeDefined();
    expect(JSON.stringify(dayBefore?.blocks)).toContain('<!date^1796072400^');
    h.clock.current = h.clock.current.set({ day: 30, hour: 20, minute: 46 });
    await tick();
    expect(h.reminders(channelId, 'WINDOW_START')).toHaveLength(2);
    expect(h.reminders(channelId, 'WINDOW_START')[1]?.text).toContain('<!channel>');
  });
});

describe('reminders across a restart', () => {
  it('one that fell due while the bot was stopped is sent once after it starts again', async () => {
    const first = await Harness.start();
    let second: Harness | null = null;
    let third: Harness | null = null;
    try {
      await first.command(USERS.alice.id, `start sync --gap-limit 1h <@${USERS.bob.id}>`);
      const channelId = first.upgradeChannel();
      const upgrade = await findUpgradeByChannel(first.bot.database.db, channelId);
      if (!upgrade) throw new Error('not started');
      await finishByClicks(
        first,
        [...prerequisitesOf(upgrade.state, 'a.break'), 'a.break'],
        planOf(upgrade.state),
      );
      await first.stopBot();
      first.clock.advance({ hours: 1, minutes: 30 });
      // A bot that ticks only once a year: only the catch-up at start can send it.
      const yearly = { REMINDER_TICK: '0 0 1 1 *' };
      second = await first.startSibling({ scheduleJobs: true, env: yearly });
      await second.bot.scheduler.idle();
      await second.settle();
      expect(second.reminders(channelId, 'FAILOVER_GAP')).toHaveLength(1);
      await second.stopBot();
      third = await first.startSibling({ scheduleJobs: true, env: yearly });
      await third.bot.scheduler.idle();
      await third.settle();
      expect(third.reminders(channelId, 'FAILOVER_GAP')).toHaveLength(1);
    } finally {
      await third?.stopBot();
      await first.dispose();
    }
  });
});
