// `npm run demo`: the bot in HTTP mode against the fake Slack on loopback, walking an async upgrade
// from `/pra-upgrade start async` to the summary, printing what the channel would show.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startBot } from '../bootstrap.js';
import { loadConfig } from '../config/env.js';
import { planOf, topologicalOrder } from '../engine/index.js';
import { stepOf } from '../engine/state-queries.js';
import { FakeSlack, SlackDriver } from '../fake-slack/index.js';

const ALICE = { id: 'UALICE', name: 'alice', tz: 'Europe/Amsterdam' };
const BOB = { id: 'UBOB', name: 'bob', tz: 'Europe/Amsterdam' };
const SECRET = 'demo-signing-secret';
// A ticket of the run's own: on a shared DATABASE_URL an earlier run left unfinished is still open.
const TICKET = `DEMO-${Date.now().toString(36).toUpperCase()}`;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

const fake = await FakeSlack.start({ users: [ALICE, BOB] });
const dataDir = mkdtempSync(join(tmpdir(), 'pra-demo-'));
const config = loadConfig({
  ...process.env,
  SLACK_BOT_TOKEN: fake.botToken,
  SLACK_SIGNING_SECRET: SECRET,
  SLACK_APP_TOKEN: undefined,
  SLACK_API_URL: fake.apiUrl,
  DATA_DIR: process.env.DATABASE_URL ? undefined : dataDir,
  PORT: '0',
  LOG_LEVEL: 'warn',
});
const bot = await startBot({ config, logger: pino({ level: 'warn' }) });
const slack = new SlackDriver({
  fake,
  eventsUrl: `http://127.0.0.1:${bot.port}/slack/events`,
  signingSecret: SECRET,
  settle: async () => {
    await bot.inFlight.idle();
    bot.drainer.kick();
    await bot.drainer.idle();
  },
});
say(
  `Fake Slack on ${fake.url}, the bot on http://127.0.0.1:${bot.port}/slack/events (${bot.database.kind}).\n`,
);

let shown = 0;
function showChannel(channelId: string): void {
  for (const message of fake.messages(channelId).slice(shown))
    say(`  #channel  ${(message.text ?? '').split('\n')[0]}`);
  shown = fake.messages(channelId).length;
}

try {
  say(`alice › /pra-upgrade start async --a pra-a.corp --b pra-b.corp --ticket ${TICKET} @bob`);
  const started = await slack.command(
    ALICE.id,
    `start async --a pra-a.corp --b pra-b.corp --ticket ${TICKET} <@${BOB.id}|bob>`,
  );
  const channelId = slack.upgradeChannel();
  say(`  (to alice) ${started.replies()[0]?.split('\n')[0] ?? ''}`);
  say(`  channel #${fake.channel(channelId)?.name} created, topic: ${fake.channel(channelId)?.topic.value}`);
  showChannel(channelId);

  say('\nbob › clicks "Done" on Break Failover Relationship first');
  const early = await slack.clickStep(BOB.id, 'a.break');
  say(`  (to bob) ${early.replies()[0]?.split('\n')[0] ?? ''}`);

  const upgradeState = (await import('../db/repositories/upgrades.js')).findUpgradeByChannel;
  const row = await upgradeState(bot.database.db, channelId);
  if (!row) throw new Error('upgrade not stored');
  const plan = planOf(row.state);
  for (const key of topologicalOrder(plan) ?? []) {
    const step = stepOf(plan, key);
    for (const check of step?.checks ?? []) await slack.clickStep(BOB.id, key, `step.check:${check.id}`);
    await slack.clickStep(ALICE.id, key);
    if (step?.critical) {
      say(`\nalice › Done on “${step.title}” → waiting for a second person; bob › confirms`);
      await slack.clickStep(BOB.id, key);
    } else {
      say(`alice › Done on “${step?.title}”`);
    }
    showChannel(channelId);
  }
  const { auditTrail } = await import('../db/repositories/audit.js');
  const events = await auditTrail(bot.database.db, row.id);
  say(
    `\nThe upgrade is complete: ${events.length} audit events recorded${
      process.env.DATABASE_URL
        ? ' in audit_events of DATABASE_URL'
        : ' (in a temporary embedded database, removed now)'
    }.`,
  );
} finally {
  await bot.stop();
  await fake.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
