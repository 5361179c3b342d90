import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { findUpgradeByChannel } from '../../../src/db/repositories/upgrades.js';
import { Harness, shownAsDone, USERS } from '../../support/harness.js';

// PostgreSQL restarting or failing over ends every session of the bot at once, in the middle of
// clicks. The bot must keep running, and every change it committed must end up shown in the channel.
describe('PostgreSQL ends every session of the bot during a burst of clicks', () => {
  let h: Harness;
  let admin: postgres.Sql;
  const escaped: unknown[] = [];
  const onEscaped = (error: unknown) => escaped.push(error);
  beforeAll(async () => {
    h = await Harness.start({ postgres: true });
    if (!h.target.url) throw new Error('PostgreSQL expected');
    admin = postgres(h.target.url, { max: 1, onnotice: () => {} });
    process.on('uncaughtException', onEscaped);
    process.on('unhandledRejection', onEscaped);
  });
  afterAll(async () => {
    process.off('uncaughtException', onEscaped);
    process.off('unhandledRejection', onEscaped);
    await admin.end();
    await h.stop();
  });

  const steps = ['prep.window', 'prep.certs', 'prep.announce'];

  it('keeps serving, and shows every committed change once the database is back', async () => {
    await h.command(USERS.alice.id, `start single <@${USERS.bob.id}>`);
    const channelId = h.upgradeChannel();
    await h.settle();
    const upgrade = async () => findUpgradeByChannel(h.bot.database.db, channelId);
    const id = (await upgrade())?.id;
    // The upgrade's row held, so that click transactions are open and waiting when the sessions end.
    const { clicks } = await admin.begin(async (tx) => {
      await tx`select 1 from upgrades where id = ${id ?? ''} for update`;
      const clicks = steps.flatMap((key) => [
        h.clickStep(USERS.alice.id, key),
        h.clickStep(USERS.bob.id, key),
      ]);
      // Until a click's transaction waits on the row (the drainer's wait on it too).
      for (let waiting = 0; waiting === 0; await new Promise((r) => setTimeout(r, 10))) {
        const [row] = await tx<{ n: number }[]>`
          select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock' and query like 'select "id", "team_id"%'`;
        waiting = row?.n ?? 0;
      }
      await tx`
        select pg_terminate_backend(pid, 5000) from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid()`;
      return { clicks };
    });
    for (const answer of await Promise.all(clicks)) expect(answer.response.status).toBe(200);

    // A step the bot could not save is clicked again, as the person told so would.
    for (const key of steps) {
      if ((await upgrade())?.state.steps[key]?.status !== 'done') await h.clickStep(USERS.alice.id, key);
    }
    // An upgrade whose delivery the ended sessions interrupted is taken up again a few seconds later.
    await vi.waitFor(() => h.settleUntilDelivered(), { timeout: 15_000, interval: 500 });
    for (const key of steps) {
      expect((await upgrade())?.state.steps[key]?.status).toBe('done');
      expect(shownAsDone(h, channelId, key)).toBe(true);
    }
    expect(escaped).toEqual([]);
  });
});
