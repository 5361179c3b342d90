import { setTimeout as sleep } from 'node:timers/promises';
import { and, eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../../src/db/client.js';
import { findUpgradeByChannel } from '../../../src/db/repositories/upgrades.js';
import { auditEvents } from '../../../src/db/schema.js';
import {
  blockActionsBody,
  FakeSlack,
  interactionBody,
  postToApp,
  SlackDriver,
  waitFor,
} from '../../../src/fake-slack/index.js';
import { ChildBot } from '../../support/child-bot.js';
import { createEmptyDatabase, type TestDatabase } from '../../support/database.js';
import { SIGNING_SECRET, USERS } from '../../support/harness.js';

// The bot in a child process on PostgreSQL: the test holds the upgrade's row lock so the click's
// transaction cannot commit, kills the bot outright, and plays Slack's retry against a new process.
describe('an acknowledged click is a committed click', () => {
  let fake: FakeSlack;
  let test: TestDatabase;
  let url: string;
  let db: Database;
  let admin: postgres.Sql;
  const bots: ChildBot[] = [];

  const startBot = async () => {
    const bot = await ChildBot.start({
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      DATABASE_URL: url,
    });
    bots.push(bot);
    return bot;
  };

  beforeAll(async () => {
    fake = await FakeSlack.start({ users: Object.values(USERS) });
    test = await createEmptyDatabase({ server: 'postgres' });
    await test.database.close();
    url = test.url ?? '';
    db = createDatabase({ kind: 'postgres', url, poolSize: 2 });
    admin = postgres(url, { max: 2, onnotice: () => {} });
  });
  afterAll(async () => {
    for (const bot of bots) await bot.stop();
    await admin?.end();
    await db?.close();
    await test?.dispose();
    await fake?.stop();
  });

  it('a bot killed before the commit never acknowledged the click, and Slack’s retry applies it once', async () => {
    let bot = await startBot();
    const driver = new SlackDriver({ fake, eventsUrl: bot.eventsUrl, signingSecret: SIGNING_SECRET });
    await driver.command(USERS.alice.id, `start single <@${USERS.bob.id}>`);
    const channelId = await waitFor(() => driver.upgradeChannel(), { timeoutMs: 15_000 });
    const { message, block } = await waitFor(() => driver.messageWithBlock(channelId, 'step:prep.window'), {
      timeoutMs: 15_000,
    });
    const button = block.elements?.find((e) => e.action_id === 'step.complete');
    const upgrade = await findUpgradeByChannel(db.db, channelId);
    if (!button || !upgrade) throw new Error('the runbook was not posted');
    const click = blockActionsBody({
      userId: USERS.bob.id,
      teamId: fake.teamId,
      channelId,
      messageTs: message.ts,
      responseUrl: fake.createResponseUrl(),
      actions: [{ action_id: button.action_id, block_id: 'step:prep.window', value: button.value }],
    });

    // Hold the upgrade's row so the click's transaction waits, then kill the bot while it waits.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const locked = new Promise<void>((lockTaken) => {
      void admin.begin(async (tx) => {
        await tx`select id from upgrades where id = ${upgrade.id} for update`;
        lockTaken();
        await held;
      });
    });
    await locked;
    const answer = postToApp(bot.eventsUrl, click, { signingSecret: SIGNING_SECRET }).then(
      (response) => response.status,
      () => 'no answer' as const,
    );
    await waitFor(
      async () =>
        (
          await admin`select 1 from pg_stat_activity
                      where datname = current_database() and wait_event_type = 'Lock'`
        ).length > 0,
      { timeoutMs: 10_000, description: 'the click waits for the row lock' },
    );
    await bot.kill();
    release();
    expect(await answer).toBe('no answer');
    expect((await findUpgradeByChannel(db.db, channelId))?.state.steps['prep.window']?.status).not.toBe(
      'done',
    );

    // Slack retries what was not acknowledged; a retry of a click that did commit changes nothing.
    bot = await startBot();
    for (const retryNum of [1, 2]) {
      const retry = await postToApp(bot.eventsUrl, click, { signingSecret: SIGNING_SECRET, retryNum });
      expect(retry.status).toBe(200);
    }
    const after = await findUpgradeByChannel(db.db, channelId);
    expect(after?.state.steps['prep.window']?.status).toBe('done');
    const completed = await db.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.upgradeId, upgrade.id), eq(auditEvents.action, 'step-completed')));
    expect(completed.filter((row) => row.stepKey === 'prep.window')).toHaveLength(1);
  });

  it('a signed payload of null is answered 400 and the process keeps serving', async () => {
    const bot = bots.at(-1) ?? (await startBot());
    const response = await postToApp(bot.eventsUrl, interactionBody(null as never), {
      signingSecret: SIGNING_SECRET,
    });
    expect(response.status).toBe(400);
    await sleep(200);
    expect(bot.alive).toBe(true);
    expect((await fetch(`http://127.0.0.1:${bot.port}/healthz`)).status).toBe(200);
  });
});
