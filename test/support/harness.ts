import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { type RunningBot, startBot } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config/env.js';
import { pendingDeliveries } from '../../src/db/repositories/outbox.js';
import type { Plan } from '../../src/engine/index.js';
import { stepOf } from '../../src/engine/state-queries.js';
import { FakeSlack, SlackDriver } from '../../src/fake-slack/index.js';
import { createEmptyDatabase, type TestDatabase } from './database.js';
import { FakeClock } from './services.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const USERS = {
  alice: { id: 'UALICE', name: 'alice', tz: 'Europe/Amsterdam' },
  bob: { id: 'UBOB', name: 'bob', tz: 'America/New_York' },
  carol: { id: 'UCAROL', name: 'carol', tz: 'UTC' },
  mallory: { id: 'UMALLORY', name: 'mallory', tz: 'UTC' },
} as const;

export interface HarnessOptions {
  /** Use the real clock instead of the FakeClock (node-cron ticks in real time). */
  realClock?: boolean;
  /** Run the scheduled jobs on their ticks, and the catch-up at start. */
  scheduleJobs?: boolean;
  /** Extra environment, e.g. REMINDER_TICK or FAILOVER_GAP_LIMIT. */
  env?: Record<string, string>;
  /** PostgreSQL even without DATABASE_URL (several processes on one database). */
  postgres?: boolean;
  shareWith?: Harness;
  /** Web API call timeout of the bot. */
  slackCallTimeoutMs?: number;
}

/**
 * The whole bot in this process, in HTTP mode, against the fake Slack on loopback and a database of
 * its own (PostgreSQL when DATABASE_URL is set, else PGlite in a temporary directory), with a clock
 * the test moves. Slack's side is played by the SlackDriver it extends.
 */
export class Harness extends SlackDriver {
  private constructor(
    fake: FakeSlack,
    readonly bot: RunningBot,
    readonly clock: FakeClock,
    private readonly owned: { db: TestDatabase | null; dataDir: string | null; fake: boolean },
    readonly target: { url: string | null; dataDir: string | null },
  ) {
    super({
      fake,
      eventsUrl: `http://127.0.0.1:${bot.port}/slack/events`,
      signingSecret: SIGNING_SECRET,
      // Listener work first (it queues deliveries), then the deliveries, until both are quiet.
      settle: async () => {
        do {
          await bot.inFlight.idle();
          bot.drainer.kick();
          await bot.drainer.idle();
        } while (bot.inFlight.size > 0);
      },
    });
  }

  static async start(options: HarnessOptions = {}): Promise<Harness> {
    const shared = options.shareWith;
    const fake = shared?.fake ?? (await FakeSlack.start({ users: Object.values(USERS) }));
    const clock = shared?.clock ?? new FakeClock();
    const usePostgres = options.postgres || Boolean(process.env.DATABASE_URL);
    const db = shared ? null : usePostgres ? await createEmptyDatabase({ server: 'postgres' }) : null;
    if (db) await db.database.close();
    const dataDir = shared || usePostgres ? null : mkdtempSync(join(tmpdir(), 'pra-harness-'));
    const target = shared?.target ?? { url: db?.url ?? null, dataDir };
    const config = loadConfig({
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      DATABASE_URL: target.url ?? undefined,
      DATA_DIR: target.dataDir ?? undefined,
      PORT: '0',
      LOG_LEVEL: 'error',
      NODE_ENV: 'production',
      ...options.env,
    });
    const bot = await startBot({
      config,
      ...(options.realClock ? {} : { now: clock.now }),
      // HARNESS_LOG=debug shows the bot's own log while a test runs.
      logger: pino({ level: process.env.HARNESS_LOG ?? 'silent' }),
      scheduleJobs: options.scheduleJobs ?? false,
      ...(options.slackCallTimeoutMs ? { slackCallTimeoutMs: options.slackCallTimeoutMs } : {}),
    });
    return new Harness(fake, bot, clock, { db, dataDir, fake: !shared }, target);
  }

  /**
   * Settles, moving the clock on while deliveries wait (a retry, or another process delivering an
   * upgrade); gives up after `maxRounds` rounds in a row that delivered nothing.
   */
  async settleUntilDelivered(maxRounds = 30): Promise<void> {
    let before = Number.POSITIVE_INFINITY;
    for (let idle = 0; idle < maxRounds; ) {
      await this.settle();
      const pending = (await pendingDeliveries(this.bot.database.db)).length;
      if (pending === 0) return;
      if (pending < before) idle = 0;
      else idle++;
      before = pending;
      this.clock.advance({ seconds: 2 });
      // Another process may hold the rest: give it a moment before looking again.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('deliveries still pending');
  }

  /** Reminder messages of a rule in a channel: their text block is `reminder-text:<RULE>:<occurrence>`. */
  reminders(channelId: string, rule: string) {
    return this.fake
      .messages(channelId)
      .filter((m) =>
        ((m.blocks ?? []) as { block_id?: string }[]).some((b) =>
          b.block_id?.startsWith(`reminder-text:${rule}:`),
        ),
      );
  }

  /** Another bot process on the same database and the same fake Slack. */
  startSibling(options: Omit<HarnessOptions, 'shareWith'> = {}): Promise<Harness> {
    return Harness.start({ ...options, shareWith: this });
  }

  get eventsUrl(): string {
    return `http://127.0.0.1:${this.bot.port}/slack/events`;
  }

  /** Stops this bot; the database and the fake Slack stay for a restart until `dispose`. */
  async stopBot(): Promise<void> {
    await this.bot.stop();
  }

  async stop(): Promise<void> {
    await this.bot.stop();
    await this.dispose();
  }

  async dispose(): Promise<void> {
    if (this.owned.fake) await this.fake.stop();
    await this.owned.db?.dispose();
    if (this.owned.dataDir) rmSync(this.owned.dataDir, { recursive: true, force: true });
  }
}

/** Clicks a list of steps to done the way a team would: checks first, two people for critical steps. */
export async function finishByClicks(h: SlackDriver, keys: string[], plan: Plan): Promise<void> {
  for (const key of keys) {
    const step = stepOf(plan, key);
    for (const check of step?.checks ?? []) await h.clickStep(USERS.bob.id, key, `step.check:${check.id}`);
    await h.clickStep(USERS.alice.id, key);
    if (step?.critical) await h.clickStep(USERS.bob.id, key);
  }
}

/** A done step is one line (✅ title · who · when) in its `step:<key>` block, with a menu, no buttons. */
export function shownAsDone(h: SlackDriver, channelId: string, key: string): boolean {
  const { block } = h.messageWithBlock(channelId, `step:${key}`);
  return (
    block.type === 'section' && block.accessory?.type === 'overflow' && JSON.stringify(block).includes('✅')
  );
}
