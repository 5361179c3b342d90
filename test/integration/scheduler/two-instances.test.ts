import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleReminder } from '../../../src/db/repositories/reminders.js';
import { findUpgrade } from '../../../src/db/repositories/upgrades.js';
import { auditEvents } from '../../../src/db/schema.js';
import { planOf, topologicalOrder } from '../../../src/engine/index.js';
import { stepOf } from '../../../src/engine/state-queries.js';
import { waitFor } from '../../../src/fake-slack/index.js';
import { applyCommand } from '../../../src/services/apply-command.js';
import { startUpgrade } from '../../../src/services/start-upgrade.js';
import { SLACK_HOLDS_NOTIFY_CHANNEL } from '../../../src/slack/retry-after.js';
import { Harness, USERS } from '../../support/harness.js';
import { asUser, startInput } from '../../support/services.js';

// Two bot processes on one PostgreSQL database, both delivering: SKIP LOCKED and the run coordinator decide.
describe('two bot instances on one PostgreSQL database', () => {
  let a: Harness;
  let b: Harness;
  beforeAll(async () => {
    a = await Harness.start({ postgres: true });
    b = await a.startSibling();
  });
  afterAll(async () => {
    await b.stopBot();
    await a.stop();
  });

  it('deliver 1,000 due reminders exactly once between them', async () => {
    const upgradeIds: string[] = [];
    for (let i = 0; i < 10; i++) {
      const ctx = asUser(a.bot.services, USERS.alice.id);
      const started = await startUpgrade({
        ctx,
        input: startInput({
          plan: 'sync',
          applianceA: `site${i}.corp`,
          applianceB: null,
          invite: [USERS.bob.id],
          ticket: `LOAD${i}`,
        }),
      });
      if (started.outcome !== 'started') throw new Error(JSON.stringify(started));
      upgradeIds.push(started.upgradeId);
      const row = await findUpgrade(a.bot.database.db, started.upgradeId);
      const plan = planOf(row?.state ?? (undefined as never));
      const order = topologicalOrder(plan) ?? [];
      for (const key of order.slice(0, order.indexOf('a.break') + 1)) {
        for (const who of stepOf(plan, key)?.critical ? [USERS.alice.id, USERS.bob.id] : [USERS.alice.id]) {
          await applyCommand({
            ctx: asUser(a.bot.services, who),
            input: {
              target: { upgradeId: started.upgradeId },
              command: { type: 'complete', step: key },
              requestKey: null,
              responseUrl: null,
            },
          });
        }
      }
    }
    await Promise.all([a.settle(), b.settle()]);
    const before = a.fake.callsTo('chat.postMessage').length;
    const now = a.clock.now().toUTC();
    for (const upgradeId of upgradeIds) {
      const brokenAt = (await findUpgrade(a.bot.database.db, upgradeId))?.state.failover.brokenAt;
      if (!brokenAt) throw new Error('failover not broken');
      for (let n = 0; n < 100; n++) {
        await scheduleReminder(a.bot.database.db, upgradeId, {
          rule: 'FAILOVER_GAP',
          scope: 'failover',
          anchor: brokenAt,
          occurrence: 1,
          dueAt: now.minus({ seconds: n }).toISO() ?? '',
          key: `load-${n}`,
        });
      }
    }
    await Promise.all([a.bot.scheduler.runNow('send-reminders'), b.bot.scheduler.runNow('send-reminders')]);
    await Promise.all([a.settleUntilDelivered(), b.settleUntilDelivered()]);

    const sent = await a.bot.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'reminder-sent'));
    expect(sent).toHaveLength(1000);
    expect(new Set(sent.map((s) => `${s.upgradeId}:${s.detail.key}`)).size).toBe(1000);
    const posts = a.fake
      .callsTo('chat.postMessage')
      .slice(before)
      .filter((c) => JSON.stringify(c.args.blocks ?? '').includes('reminder-text:FAILOVER_GAP'));
    expect(posts).toHaveLength(1000);
  }, 180_000);

  it("tell each other of Slack's 429s: the other waits out a Retry-After it was not given itself", async () => {
    const published = () => a.fake.callsTo('views.publish');
    const before = published().length;
    // Slack answered this process 429 with Retry-After 30 (the gateway's own reading of a 429 is
    // tested with the gateway); the other process has not called Slack at all.
    a.bot.slackHolds.hold('views.publish', undefined, 30);
    expect(b.bot.slackHolds.remaining('views.publish')).toBeNull();
    await waitFor(() => b.bot.slackHolds.remaining('views.publish') !== null, {
      description: 'the other process heard of the 429',
    });
    expect(b.bot.slackHolds.remaining('views.publish')).toBe(30);
    // A Home tab opened now is published by neither process before the Retry-After has passed.
    await b.event({ type: 'app_home_opened', user: USERS.bob.id, channel: 'DHOME', tab: 'home' });
    await b.settle();
    await a.settle();
    expect(published()).toHaveLength(before);
    a.clock.advance({ seconds: 31 });
    await b.settleUntilDelivered();
    await a.settleUntilDelivered();
    expect(
      published()
        .slice(before)
        .map((c) => [c.args.user_id, c.status]),
    ).toEqual([[USERS.bob.id, 200]]);
  });

  it('keep a hold notification neither could read in audit_events, and hold nothing for it', async () => {
    const failed = () =>
      a.bot.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'notification-failed'));
    expect(await failed()).toEqual([]);
    const sent = JSON.stringify({ sender: 'someone', method: 'chat.update', channel: 'C1', leftMs: 'soon' });
    await a.bot.database.postgres?.notify(SLACK_HOLDS_NOTIFY_CHANNEL, sent);
    await waitFor(async () => (await failed()).length === 2, {
      description: 'both processes audited the notification they could not read',
    });
    const rows = await failed();
    expect(
      rows.map((r) => r.detail).sort((x, y) => String(x.process).localeCompare(String(y.process))),
    ).toEqual(
      [a, b]
        .map((h) => h.bot.database.postgres?.options.connection.application_name)
        .sort()
        .map((process) => ({
          error: 'not a hold',
          channel: SLACK_HOLDS_NOTIFY_CHANNEL,
          direction: 'received',
          process,
          received: sent,
        })),
    );
    expect(rows.every((r) => r.upgradeId === null && r.actor.type === 'system')).toBe(true);
    expect(a.bot.slackHolds.remaining('chat.update', 'C1')).toBeNull();
    expect(b.bot.slackHolds.remaining('chat.update', 'C1')).toBeNull();
  });
});
