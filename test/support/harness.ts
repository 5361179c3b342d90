import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { type RunningBot, startBot } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config/env.js';
import type { Plan } from '../../src/engine/index.js';
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
    private readonly db: TestDatabase | null,
    private readonly dataDir: string | null,
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

  static async start(): Promise<Harness> {
    const fake = await FakeSlack.start({ users: Object.values(USERS) });
    const clock = new FakeClock();
    const usePostgres = Boolean(process.env.DATABASE_URL);
    const db = usePostgres ? await createEmptyDatabase() : null;
    if (db) await db.database.close();
    const dataDir = usePostgres ? null : mkdtempSync(join(tmpdir(), 'pra-harness-'));
    const config = loadConfig({
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      DATABASE_URL: db?.url ?? undefined,
      DATA_DIR: dataDir ?? undefined,
      PORT: '0',
      LOG_LEVEL: 'error',
      NODE_ENV: 'production',
    });
    const bot = await startBot({
      config,
      now: clock.now,
      logger: pino({ level: 'silent' }),
      scheduleJobs: false,
    });
    return new Harness(fake, bot, clock, db, dataDir);
  }

  get eventsUrl(): string {
    return `http://127.0.0.1:${this.bot.port}/slack/events`;
  }

  async stop(): Promise<void> {
    await this.bot.stop();
    await this.fake.stop();
    await this.db?.dispose();
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Clicks a list of steps to done the way a team would: checks first, two people for critical steps. */
export async function finishByClicks(h: SlackDriver, keys: string[], plan: Plan): Promise<void> {
  for (const key of keys) {
    const step = plan.steps.find((s) => s.key === key);
    for (const check of step?.checks ?? []) await h.clickStep(USERS.bob.id, key, `step.check:${check.id}`);
    await h.clickStep(USERS.alice.id, key);
    if (step?.critical) await h.clickStep(USERS.bob.id, key);
  }
}
