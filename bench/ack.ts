// How long Slack waits for the bot's answer to a click: from the signed POST to the HTTP response.
// Since the ack waits for the commit, this is the click's whole transaction plus Bolt and HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startBot } from '../src/bootstrap.js';
import { loadConfig } from '../src/config/env.js';
import { blockActionsBody, FakeSlack, postToApp } from '../src/fake-slack/index.js';
import { slackActor } from '../src/services/shared/context.js';
import { startUpgrade } from '../src/services/start-upgrade.js';
import { freshDatabase } from './fresh-database.js';
import { measureAsync, report } from './measure.js';
import { benchStartInput } from './service-deps.js';

const SECRET = 'bench-signing-secret';
const RUNS = 50;
const fake = await FakeSlack.start({
  users: [
    { id: 'UALICE', name: 'alice' },
    { id: 'UBOB', name: 'bob' },
  ],
});
// A database of the run's own on PostgreSQL (dropped after), an embedded one in a temporary directory otherwise.
const fresh = process.env.DATABASE_URL ? await freshDatabase(process.env.DATABASE_URL) : null;
const dataDir = fresh ? null : mkdtempSync(join(tmpdir(), 'pra-bench-'));
// Stopped and dropped however the run ends, so that no run leaves a database behind.
try {
  const bot = await startBot({
    config: loadConfig({
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      DATABASE_URL: fresh?.url,
      DATA_DIR: dataDir ?? undefined,
      PORT: '0',
      NODE_ENV: 'production',
    }),
    logger: pino({ level: 'silent' }),
    scheduleJobs: false,
  });
  const eventsUrl = `http://127.0.0.1:${bot.port}/slack/events`;
  const ids: string[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = await startUpgrade({
      ctx: { ...bot.services, actor: slackActor(fake.teamId, 'UALICE') },
      input: benchStartInput({
        teamId: fake.teamId,
        applianceA: `bench-ack-${i}-${Date.now()}`,
        invite: ['UBOB'],
      }),
    });
    if (started.outcome === 'started') ids.push(started.upgradeId);
  }
  await bot.drainer.idle();

  report(
    await measureAsync(`click answered by the bot (${bot.database.kind}, HTTP)`, ids.length, async (i) => {
      const body = blockActionsBody({
        userId: 'UBOB',
        teamId: fake.teamId,
        channelId: 'CBENCH',
        messageTs: '1795860000.000100',
        responseUrl: fake.createResponseUrl(),
        actions: [
          {
            action_id: 'step.complete',
            block_id: 'step:prep.window',
            value: JSON.stringify({ upgradeId: ids[i] }),
          },
        ],
      });
      const response = await postToApp(eventsUrl, body, { signingSecret: SECRET });
      if (response.status !== 200) throw new Error(`answered ${response.status}`);
    }),
    'Slack allows 3000 ms; the bot acknowledges anyway after 2000 ms',
  );
  await bot.inFlight.idle();
  await bot.stop();
} finally {
  await fake.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  await fresh?.drop();
}
