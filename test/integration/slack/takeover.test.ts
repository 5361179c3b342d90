import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FakeSlack,
  postToApp,
  SlackDriver,
  slashCommandBody,
  waitFor,
} from '../../../src/fake-slack/index.js';
import { createEmptyDatabase, type TestDatabase } from '../../support/database.js';
import { freePort } from '../../support/free-port.js';
import { Harness, SIGNING_SECRET, USERS } from '../../support/harness.js';

const ROOT = join(import.meta.dirname, '../../..');

/** The bot as its own operating-system process, started as `npm start` would (from the sources). */
function startProcess(env: Record<string, string>): { child: ChildProcess; exited: Promise<unknown> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return { child, exited };
}

const messageKeys = (fake: FakeSlack, channelId: string) =>
  fake
    .messages(channelId)
    .map((m) => (m.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key ?? '');

describe('a bot process killed in the middle of a delivery', () => {
  let fake: FakeSlack;
  let db: TestDatabase;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    fake = await FakeSlack.start({ users: Object.values(USERS) });
    // Two processes on one database: PostgreSQL, even where the other tests use PGlite.
    db = await createEmptyDatabase({ server: 'postgres' });
    await db.database.close();
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await fake.stop();
    await db.dispose();
  });

  async function start(): Promise<{ child: ChildProcess; port: number; exited: Promise<unknown> }> {
    const port = await freePort();
    const started = startProcess({
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      DATABASE_URL: db.url ?? '',
      PORT: String(port),
      NODE_ENV: 'production',
      LOG_LEVEL: 'error',
    });
    children.push(started.child);
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.ok, {
      timeoutMs: 60_000,
      intervalMs: 200,
      description: 'the bot process to be ready',
    });
    return { ...started, port };
  }

  it('is taken over by the restarted one within seconds, and nothing is posted twice', async () => {
    const first = await start();
    // The overview is posted, but its answer never reaches the process: it is killed waiting for it.
    fake.injectFault('chat.postMessage', { answerDelayMs: 120_000, times: 1 });
    const responseUrl = fake.createResponseUrl();
    const ack = await postToApp(
      `http://127.0.0.1:${first.port}/slack/events`,
      slashCommandBody({
        command: '/pra-upgrade',
        text: `start single --ticket KILL9 <@${USERS.bob.id}>`,
        userId: USERS.alice.id,
        channelId: 'CGENERAL',
        teamId: fake.teamId,
        responseUrl,
      }),
      { signingSecret: SIGNING_SECRET },
    );
    expect(ack.status).toBe(200);
    await fake.waitForCall('chat.postMessage', undefined, { timeoutMs: 30_000 });
    first.child.kill('SIGKILL');
    await first.exited;
    const created = fake.callsTo('conversations.create')[0]?.response as { channel?: { id?: string } };
    const channelId = created.channel?.id ?? '';

    const second = await start();
    // Bounded waits, not timings: the old 300-second lease would never get here.
    await waitFor(() => fake.responses.some((r) => r.id === responseUrl.split('/').at(-1)), {
      timeoutMs: 30_000,
      intervalMs: 100,
      description: 'the answer to the start, from the restarted process',
    });
    const keys = messageKeys(fake, channelId);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(new Set(keys).size).toBe(keys.length);
    expect(fake.messages(channelId).filter((m) => m.text.startsWith('PRA upgrade'))).toHaveLength(1);
    expect(fake.pins(channelId)).toHaveLength(1);
    expect(fake.callsTo('conversations.create')).toHaveLength(1);
    expect(fake.callsTo('conversations.history').length).toBeGreaterThan(0);
    second.child.kill('SIGTERM');
    await second.exited;
  }, 180_000);
});

describe('two bot processes on one database', () => {
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

  it('deliver a burst of clicks split between them, each delivery once', async () => {
    const channels: string[] = [];
    for (const ticket of ['TWO1', 'TWO2', 'TWO3', 'TWO4']) {
      await a.command(USERS.alice.id, `start single --ticket ${ticket} <@${USERS.bob.id}>`);
      // Either process may set the channel up.
      await Promise.all([a.settleUntilDelivered(), b.settleUntilDelivered()]);
      channels.push(a.upgradeChannel());
    }
    const drivers = [a, b].map(
      (h) => new SlackDriver({ fake: a.fake, eventsUrl: h.eventsUrl, signingSecret: SIGNING_SECRET }),
    );
    const keys = ['prep.window', 'prep.announce', 'prep.certs', 'prep.cert-stores'];
    const clicks = await Promise.all(
      channels.flatMap((channelId, c) =>
        keys.flatMap((key, k) => [
          drivers[(c + k) % 2]?.clickStep(USERS.bob.id, key, 'step.complete', { channelId }),
          // The same click again through the other process: refused as already done, answered once.
          drivers[(c + k + 1) % 2]?.clickStep(USERS.alice.id, key, 'step.complete', { channelId }),
        ]),
      ),
    );
    await Promise.all([a.settleUntilDelivered(), b.settleUntilDelivered()]);
    for (const click of clicks) expect(click?.replies().length).toBeLessThanOrEqual(1);
    for (const channelId of channels) {
      const keysPosted = messageKeys(a.fake, channelId);
      expect(new Set(keysPosted).size).toBe(keysPosted.length);
      for (const key of keys) {
        // A done step is one line with a menu in its `step:<key>` block.
        const { block } = a.messageWithBlock(channelId, `step:${key}`);
        expect(block.accessory?.type).toBe('overflow');
      }
    }
  }, 120_000);
});
