import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FakeSlack, postToApp, slashCommandBody, waitFor } from '../../../src/fake-slack/index.js';
import { createEmptyDatabase, type TestDatabase, usingPostgres } from '../../support/database.js';
import { freePort } from '../../support/free-port.js';
import { productionCommandLine, productionNodeArgs } from '../../support/production-command.js';

const ROOT = join(import.meta.dirname, '../../..');
const run = promisify(execFile);
const SECRET = 'dist-test-signing-secret';
const BEYOND_LOOPBACK = 'the local workspace listens beyond loopback';

function safeJson(line: string): { msg?: string; level?: unknown; host?: unknown } | null {
  try {
    return z.object({ msg: z.string().optional() }).passthrough().parse(JSON.parse(line));
  } catch {
    return null;
  }
}

interface Started {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | null>;
}

/** Starts the compiled bot exactly as the Docker image does (its CMD's flags), configured by environment. */
function startDist(env: Record<string, string>, cwd = ROOT): Started {
  const child = spawn(process.execPath, productionNodeArgs(), {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(...chunk.toString().split('\n').filter(Boolean)));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout, stderr, exited };
}

/**
 * The compiled bot without a Slack token, on an embedded database of its own, once it has printed the
 * URL to open; after `body`, SIGTERM must end it with exit code 0.
 */
async function withLocalWorkspace(
  env: Record<string, string>,
  body: (bot: Started, url: string) => Promise<void>,
): Promise<void> {
  const localDir = mkdtempSync(join(tmpdir(), 'pra-dist-local-'));
  const bot = startDist({ DATA_DIR: localDir, PORT: '0', NODE_ENV: 'production', ...env });
  try {
    const url = await waitFor(() => /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(bot.stdout.join('\n'))?.[1], {
      timeoutMs: 90_000,
      intervalMs: 200,
      description: 'the printed URL',
    });
    await body(bot, url);
  } finally {
    bot.child.kill('SIGTERM');
  }
  expect(await bot.exited).toBe(0);
  rmSync(localDir, { recursive: true, force: true });
}

describe('the build that the Docker image runs', () => {
  let fake: FakeSlack;
  let db: TestDatabase | null = null;
  const dataDir = mkdtempSync(join(tmpdir(), 'pra-dist-'));
  beforeAll(async () => {
    await run('npm', ['run', 'build'], { cwd: ROOT });
    fake = await FakeSlack.start({ users: [{ id: 'UALICE', name: 'alice' }] });
    if (usingPostgres) {
      db = await createEmptyDatabase();
      await db.database.close();
    }
  }, 120_000);
  afterAll(async () => {
    await fake.stop();
    await db?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('npm start runs the bot as the Docker image does, with the same Node flags', () => {
    const pkg = z
      .object({ scripts: z.object({ start: z.string() }) })
      .parse(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')));
    expect(pkg.scripts.start).toBe(productionCommandLine());
    expect(productionNodeArgs()).toContain('--max-semi-space-size=2');
  });

  it('starts from dist/, answers /healthz and /readyz, serves Slack, logs JSON without secrets, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const bot = startDist({
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: String(port),
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      ...(db?.url ? { DATABASE_URL: db.url } : { DATA_DIR: dataDir }),
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitFor(async () => (await fetch(`${base}/healthz`).catch(() => null))?.ok, {
        timeoutMs: 30_000,
        intervalMs: 200,
      });
      expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ready' });
      const responseUrl = fake.createResponseUrl();
      const body = slashCommandBody({
        command: '/pra-upgrade',
        text: 'help',
        userId: 'UALICE',
        channelId: 'C1',
        teamId: fake.teamId,
        responseUrl,
      });
      expect((await postToApp(`${base}/slack/events`, body, { signingSecret: SECRET })).status).toBe(200);
      await waitFor(() => fake.responses.length > 0, { timeoutMs: 10_000 });
      expect(JSON.stringify(fake.responses[0]?.body)).toContain('/pra-upgrade start');
    } finally {
      bot.child.kill('SIGTERM');
    }
    expect(await bot.exited).toBe(0);
    expect(bot.stdout.length).toBeGreaterThan(1);
    for (const line of bot.stdout) expect(() => JSON.parse(line), line).not.toThrow();
    const all = bot.stdout.join('\n') + bot.stderr.join('\n');
    expect(all).not.toContain(fake.botToken);
    expect(all).not.toContain(SECRET);
    expect(all).toContain('shutting down');
  }, 60_000);

  it('stops at start-up with a message naming every bad variable', async () => {
    const bot = startDist({
      SLACK_BOT_TOKEN: 'xoxb-not-a-real-token',
      PORT: 'abc',
      LOG_LEVEL: 'loud',
      DEFAULT_TIMEZONE: 'Mars/Base',
    });
    expect(await bot.exited).toBe(78);
    const message = bot.stderr.join('');
    for (const name of ['PORT', 'LOG_LEVEL', 'DEFAULT_TIMEZONE', 'SLACK_SIGNING_SECRET'])
      expect(message).toContain(name);
    expect(message).not.toContain('xoxb-not-a-real-token');
  });

  // A fresh embedded database migrates at start-up: seconds alone, tens of seconds on a loaded
  // two-core machine. The long timeouts only keep such a machine from failing a correct start.
  it('without any Slack token, runs the local workspace, prints the URL to open, and stops on SIGTERM', async () => {
    await withLocalWorkspace({}, async (bot, url) => {
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Simulated time');
      expect((await fetch(new URL('/readyz', url))).status).toBe(200);
      // The generated bot token is never printed.
      expect(bot.stdout.join('\n') + bot.stderr.join('')).not.toContain('xoxb-local');
      expect(bot.stdout.join('\n')).not.toContain(BEYOND_LOOPBACK);
    });
  }, 120_000);

  it('warns when the local workspace listens beyond loopback, since its page has no login', async () => {
    await withLocalWorkspace({ LOCAL_WORKSPACE_HOST: '0.0.0.0' }, async (bot) => {
      const warning = bot.stdout.map((line) => safeJson(line)).find((l) => l?.msg?.includes(BEYOND_LOOPBACK));
      expect(warning).toMatchObject({ level: 40, host: '0.0.0.0' });
    });
  }, 120_000);

  it('fails with a clear message when the database cannot be reached', async () => {
    const bot = startDist({
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nothing',
      NODE_ENV: 'production',
    });
    expect(await bot.exited).toBe(1);
    expect(bot.stderr.join('')).toContain(
      'could not start: could not use the PostgreSQL database postgres://postgres@127.0.0.1:1/nothing',
    );
  }, 30_000);

  it('fails naming Slack when the Web API cannot be reached', async () => {
    const bot = startDist({
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: 'http://127.0.0.1:1/api/',
      PORT: '0',
      DATA_DIR: dataDir,
      NODE_ENV: 'production',
    });
    expect(await bot.exited).toBe(1);
    expect(bot.stderr.join('')).toContain('could not use the Slack Web API at http://127.0.0.1:1/api/');
  }, 120_000);

  it('reads a .env file in the working directory, the real environment winning', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'pra-dotenv-'));
    try {
      writeFileSync(join(workDir, '.env'), 'SLACK_BOT_TOKEN=xoxb-from-dotenv\nPORT=abc\nLOG_LEVEL=loud\n');
      const bot = startDist({ LOG_LEVEL: 'info' }, workDir);
      expect(await bot.exited).toBe(78);
      const message = bot.stderr.join('');
      expect(message).toContain('PORT');
      expect(message).toContain('SLACK_SIGNING_SECRET');
      expect(message).not.toContain('LOG_LEVEL');
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  });
});
