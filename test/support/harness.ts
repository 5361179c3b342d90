import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { type RunningBot, startBot } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config/env.js';
import {
  blockActionsBody,
  eventBody,
  type FakeMessage,
  FakeSlack,
  postToApp,
  slashCommandBody,
  viewSubmissionBody,
} from '../../src/fake-slack/index.js';
import { createEmptyDatabase, type TestDatabase } from './database.js';
import { FakeClock } from './services.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const USERS = {
  alice: { id: 'UALICE', name: 'alice', tz: 'Europe/Amsterdam' },
  bob: { id: 'UBOB', name: 'bob', tz: 'America/New_York' },
  carol: { id: 'UCAROL', name: 'carol', tz: 'UTC' },
  mallory: { id: 'UMALLORY', name: 'mallory', tz: 'UTC' },
} as const;

type Button = { action_id: string; value?: string; style?: string; text?: { text?: string } };
type Block = { type: string; block_id?: string; elements?: Button[] };

/**
 * The whole bot in this process, in HTTP mode, against the fake Slack on loopback and a database of
 * its own (PostgreSQL when DATABASE_URL is set, else PGlite in a temporary directory).
 */
export class Harness {
  private constructor(
    readonly fake: FakeSlack,
    readonly bot: RunningBot,
    readonly clock: FakeClock,
    private readonly db: TestDatabase | null,
    private readonly dataDir: string | null,
  ) {}

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

  async stop(): Promise<void> {
    await this.bot.stop();
    await this.fake.stop();
    await this.db?.dispose();
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }

  get eventsUrl(): string {
    return `http://127.0.0.1:${this.bot.port}/slack/events`;
  }

  /** Waits until the listeners have finished their work and every queued Slack delivery was attempted. */
  async settle(): Promise<void> {
    do {
      await this.bot.inFlight.idle();
      this.bot.drainer.kick();
      await this.bot.drainer.idle();
    } while (this.bot.inFlight.size > 0);
  }

  async command(
    userId: string,
    text: string,
    channelId = 'CGENERAL',
    options: { retryNum?: number; triggerId?: string } = {},
  ) {
    const responseUrl = this.fake.createResponseUrl();
    const body = slashCommandBody({
      command: '/pra-upgrade',
      text,
      userId,
      channelId,
      teamId: this.fake.teamId,
      responseUrl,
      ...(options.triggerId ? { triggerId: options.triggerId } : {}),
    });
    const response = await postToApp(this.eventsUrl, body, {
      signingSecret: SIGNING_SECRET,
      ...(options.retryNum ? { retryNum: options.retryNum, retryReason: 'http_timeout' } : {}),
    });
    await this.settle();
    return { response, responseUrl, replies: () => this.repliesTo(responseUrl) };
  }

  /** Texts posted to a response_url (ephemeral answers), newest last. */
  repliesTo(responseUrl: string): string[] {
    const id = responseUrl.split('/').at(-1);
    return this.fake.responses
      .filter((r) => r.id === id)
      .map((r) => {
        const body = r.body as { text?: string; blocks?: unknown[] };
        return `${body.text ?? ''}\n${JSON.stringify(body.blocks ?? [])}`;
      });
  }

  /** The channel the bot created for the most recent upgrade. */
  upgradeChannel(): string {
    const created = this.fake
      .callsTo('conversations.create')
      .filter((c) => (c.response as { ok?: boolean }).ok);
    const last = created.at(-1)?.response as { channel?: { id?: string } } | undefined;
    const id = last?.channel?.id;
    if (!id) throw new Error('no upgrade channel was created');
    return id;
  }

  /** The current (latest-rendered) message that carries a block with this block_id. */
  messageWithBlock(channelId: string, blockId: string): { message: FakeMessage; block: Block } {
    for (const message of this.fake.messages(channelId)) {
      const block = ((message.blocks ?? []) as Block[]).find((b) => b.block_id === blockId);
      if (block) return { message, block };
    }
    throw new Error(`no message in ${channelId} has block ${blockId}`);
  }

  /** Clicks a button of a step (`step:<key>` block), by action id prefix; the confirm button by default. */
  async clickStep(
    userId: string,
    stepKey: string,
    actionPrefix = 'step.complete',
    options: { actionTs?: string; retryNum?: number; channelId?: string } = {},
  ) {
    const channelId = options.channelId ?? this.upgradeChannel();
    const { message, block } = this.messageWithBlock(channelId, `step:${stepKey}`);
    const button = block.elements?.find((e) => e.action_id.startsWith(actionPrefix));
    if (!button) throw new Error(`step ${stepKey} has no ${actionPrefix} button`);
    return this.clickButton(userId, channelId, message.ts, `step:${stepKey}`, button, options);
  }

  async clickButton(
    userId: string,
    channelId: string,
    messageTs: string,
    blockId: string,
    button: Button,
    options: { actionTs?: string; retryNum?: number } = {},
  ) {
    const responseUrl = this.fake.createResponseUrl();
    const body = blockActionsBody({
      userId,
      teamId: this.fake.teamId,
      channelId,
      messageTs,
      responseUrl,
      actions: [
        {
          action_id: button.action_id,
          block_id: blockId,
          ...(button.value !== undefined ? { value: button.value } : {}),
          ...(options.actionTs ? { action_ts: options.actionTs } : {}),
        },
      ],
    });
    const response = await postToApp(this.eventsUrl, body, {
      signingSecret: SIGNING_SECRET,
      ...(options.retryNum ? { retryNum: options.retryNum, retryReason: 'http_timeout' } : {}),
    });
    await this.settle();
    return { response, responseUrl, replies: () => this.repliesTo(responseUrl), body };
  }

  async submitView(
    userId: string,
    callbackId: string,
    privateMetadata: string,
    values: Record<string, Record<string, string>>,
  ) {
    const body = viewSubmissionBody({
      userId,
      teamId: this.fake.teamId,
      callbackId,
      privateMetadata,
      values,
    });
    const response = await postToApp(this.eventsUrl, body, { signingSecret: SIGNING_SECRET });
    await this.settle();
    return response;
  }

  async event(event: Record<string, unknown>) {
    const response = await postToApp(this.eventsUrl, eventBody({ teamId: this.fake.teamId, event }), {
      signingSecret: SIGNING_SECRET,
      contentType: 'application/json',
    });
    await this.settle();
    return response;
  }

  /** Every text the bot posted into a channel (notices and runbook), oldest first. */
  channelTexts(channelId: string): string[] {
    return this.fake.messages(channelId).map((m) => `${m.text ?? ''}\n${JSON.stringify(m.blocks ?? [])}`);
  }
}

/** Clicks a list of steps to done the way a team would: checks first, two people for critical steps. */
export async function finishByClicks(
  h: Harness,
  keys: string[],
  plan: import('../../src/engine/index.js').Plan,
): Promise<void> {
  for (const key of keys) {
    const step = plan.steps.find((s) => s.key === key);
    for (const check of step?.checks ?? []) await h.clickStep(USERS.bob.id, key, `step.check:${check.id}`);
    await h.clickStep(USERS.alice.id, key);
    if (step?.critical) await h.clickStep(USERS.bob.id, key);
  }
}
