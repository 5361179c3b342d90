// Local mode end to end in one process: the real bot, the local workspace's Web API, signed event
// delivery to /slack/events, persistence across a restart, the loopback default and the clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StartupError } from '../../../src/bootstrap.js';
import { type Config, loadConfig } from '../../../src/config/env.js';
import { postToApp, slashCommandBody, waitFor } from '../../../src/fake-slack/index.js';
import { type RunningLocalMode, startLocalMode } from '../../../src/local-workspace/start.js';
import { createLogger } from '../../../src/logging/logger.js';
import { readAuditLog } from '../../../src/services/read-audit-log.js';
import { systemActor } from '../../../src/services/shared/context.js';
import { createEmptyDatabase, type TestDatabase, usingPostgres } from '../../support/database.js';

const ALICE = 'UALICE';
const BOB = 'UBOB';
const CAROL = 'UCAROL';
const DAVE = 'UDAVE';
const logger = createLogger({ level: 'error', production: true });

let dataDir: string;
let testDatabase: TestDatabase | null = null;
let config: Config;
let local: RunningLocalMode;

/** A request with headers fetch would not let a test set (Host), answered with its status and body. */
function rawRequest(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function start(reset = false): Promise<RunningLocalMode> {
  return startLocalMode({ config, logger, reset, scheduleJobs: false });
}

/** Until the bot has finished what the last actions set in motion, deliveries included. */
async function settle(running = local): Promise<void> {
  do {
    await running.workspace.eventsDelivered();
    await running.bot.inFlight.idle();
    running.bot.drainer.kick();
    await running.bot.drainer.idle();
  } while (running.bot.inFlight.size > 0);
}

function upgradeChannel(running = local) {
  const channel = running.workspace.channels().find((c) => c.name.startsWith('pra-async'));
  if (!channel) throw new Error('no upgrade channel');
  return channel;
}

function stepKeys(channelId: string): string[] {
  return local.workspace
    .messages(channelId)
    .flatMap((m) => (m.blocks ?? []) as Array<{ block_id?: string }>)
    .flatMap((b) => (b.block_id?.startsWith('step:') ? [b.block_id.slice('step:'.length)] : []));
}

function stepBlock(channelId: string, key: string) {
  for (const message of local.workspace.messages(channelId)) {
    const block = (
      (message.blocks ?? []) as Array<{ block_id?: string; elements?: Array<{ action_id: string }> }>
    ).find((b) => b.block_id === `step:${key}`);
    if (block) return { message, block };
  }
  throw new Error(`no step ${key}`);
}

async function click(userId: string, channelId: string, key: string, actionPrefix = 'step.complete') {
  const { message, block } = stepBlock(channelId, key);
  const element = block.elements?.find((e) => e.action_id.startsWith(actionPrefix));
  if (!element) throw new Error(`step ${key} has no ${actionPrefix}`);
  await local.workspace.click(userId, {
    surface: { kind: 'message', channel: channelId, ts: message.ts },
    blockId: `step:${key}`,
    actionId: element.action_id,
  });
  await settle();
}

function notesText(userId: string, channelId: string): string {
  return local.workspace
    .privateNotes(userId, channelId)
    .map((n) => `${n.text}\n${JSON.stringify(n.blocks ?? [])}`)
    .join('\n');
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pra-local-mode-'));
  const env: Record<string, string> = { PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'error' };
  if (usingPostgres) {
    testDatabase = await createEmptyDatabase();
    if (testDatabase.url) env.DATABASE_URL = testDatabase.url;
  }
  config = loadConfig(env);
  local = await start();
});

afterAll(async () => {
  await local?.stop();
  await testDatabase?.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('local mode', () => {
  it('listens on loopback by default and serves a page whose assets are its own', async () => {
    expect(loadConfig({}).localWorkspace.host).toBe('127.0.0.1');
    expect(local.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(local.url);
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const name of [
      'Alice Andersen',
      'Bob Berger',
      'Carol Costa',
      'Dave Dubois',
      'Simulated time',
      '#general',
    ]) {
      expect(html).toContain(name);
    }
    // No CDN: every script and style sheet comes from this process.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    for (const asset of ['/assets/page.js', '/assets/page.css']) {
      expect((await fetch(new URL(asset, local.url))).status).toBe(200);
    }
    expect((await fetch(new URL('/healthz', local.url))).status).toBe(200);
    expect(() => loadConfig({ LOCAL_WORKSPACE_HOST: 'http://0.0.0.0' })).toThrow(/LOCAL_WORKSPACE_HOST/);
  });

  it('refuses actions from other web sites and anything but JSON', async () => {
    const action = (headers: Record<string, string>) =>
      fetch(new URL('/local/clock', local.url), {
        method: 'POST',
        headers,
        body: JSON.stringify({ as: ALICE, step: '15m' }),
      });
    const before = local.clock.offset;
    expect((await action({ 'content-type': 'text/plain' })).status).toBe(400);
    expect(
      (await action({ 'content-type': 'application/json', origin: 'https://evil.example' })).status,
    ).toBe(400);
    const bad = await fetch(new URL('/local/command', local.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ as: ALICE, channel: 'C1' }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/text/);
    expect(local.clock.offset).toBe(before);
  });

  it('answers only the names loopback is reached by: another site pointed at 127.0.0.1 is refused', async () => {
    const port = Number(new URL(local.url).port);
    // What a page of attacker.example does once its name resolves to 127.0.0.1 (DNS rebinding): the
    // Origin matches the Host, so only the Host tells it is not this page.
    const rebound = await rawRequest(
      port,
      'POST',
      '/local/clock',
      {
        host: `attacker.example:${port}`,
        origin: `http://attacker.example:${port}`,
        'content-type': 'application/json',
      },
      JSON.stringify({ as: ALICE, step: '1d' }),
    );
    const before = local.clock.offset;
    expect(rebound.status).toBe(403);
    expect(
      (await rawRequest(port, 'GET', '/local/fragments?as=UALICE', { host: `attacker.example:${port}` }))
        .status,
    ).toBe(403);
    expect(local.clock.offset).toBe(before);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      expect((await rawRequest(port, 'GET', '/', { host })).status).toBe(200);
    }
    // And no other site may frame the page for a disguised click.
    const page = await fetch(local.url);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
  });

  it('refuses requests to /slack/events that the workspace did not sign', async () => {
    const body = slashCommandBody({
      command: '/pra-upgrade',
      text: 'help',
      userId: ALICE,
      channelId: local.workspace.generalChannel().id,
      teamId: local.workspace.team.teamId,
      responseUrl: local.workspace.slack.createResponseUrl(),
    });
    const response = await postToApp(new URL('/slack/events', local.url).toString(), body, {
      signingSecret: 'not-the-secret',
    });
    expect(response.status).toBe(401);
  });

  it('runs a command typed by a person through the bot, which builds the channel over the Web API', async () => {
    const general = local.workspace.generalChannel();
    await local.workspace.command(ALICE, general.id, '/pra-upgrade start async --ticket CHG4711 @bob');
    await settle();
    const channel = await waitFor(
      () => local.workspace.channels().find((c) => c.name.startsWith('pra-async')),
      {
        description: 'the upgrade channel',
      },
    );
    await settle();
    expect(channel.name).toContain('chg4711');
    expect([...channel.members]).toEqual(expect.arrayContaining([ALICE, BOB]));
    expect(channel.topic.value).toContain('async');
    expect(local.workspace.pins(channel.id)).toHaveLength(1);
    expect(stepKeys(channel.id)).toContain('a.break');
    // The command's reply went to Alice's response_url: hers only.
    expect(notesText(ALICE, general.id)).toContain(channel.id);
    expect(notesText(BOB, general.id)).toBe('');
    const calls = local.workspace.slack.calls.map((c) => c.method);
    expect(calls).toEqual(
      expect.arrayContaining([
        'conversations.create',
        'conversations.invite',
        'chat.postMessage',
        'pins.add',
      ]),
    );
  });

  it('answers an out-of-order click to the clicker only, with the rule', async () => {
    const channel = upgradeChannel();
    await click(ALICE, channel.id, 'a.break');
    const text = await waitFor(() => notesText(ALICE, channel.id) || undefined, { description: 'a refusal' });
    expect(text).toMatch(/BACKUP_FIRST|SYNC_BEFORE_BREAK|PROCEDURE_ORDER/);
    expect(notesText(BOB, channel.id)).toBe('');
  });

  it('opens a modal for the clicker, shows the bot’s validation error at the field, closes on success', async () => {
    const channel = upgradeChannel();
    await click(ALICE, channel.id, 'prep.test-env', 'step.skip');
    const modal = await waitFor(() => local.workspace.openModal(ALICE), { description: 'the skip modal' });
    expect(local.workspace.openModal(BOB)).toBeUndefined();
    const input = (
      modal.blocks as Array<{ type: string; block_id: string; element?: { action_id: string } }>
    ).find((b) => b.type === 'input');
    if (!input?.element) throw new Error('no input in the modal');
    const short = await local.workspace.submitView(ALICE, modal.id, {
      [input.block_id]: { [input.element.action_id]: 'x' },
    });
    expect(short[input.block_id]).toMatch(/write/i);
    expect(local.workspace.openModal(ALICE)?.id).toBe(modal.id);
    const typed = 'no test lab <https://evil.example|click> <!channel>';
    const ok = await local.workspace.submitView(ALICE, modal.id, {
      [input.block_id]: { [input.element.action_id]: typed },
    });
    expect(ok).toEqual({});
    expect(local.workspace.openModal(ALICE)).toBeUndefined();
    await settle();
    const text = JSON.stringify(local.workspace.messages(channel.id).map((m) => m.blocks));
    expect(text).toMatch(/skipped by/i);
    // The bot stored the reason escaped: it stays text on the page.
    expect(text).toContain('&lt;https://evil.example|click&gt;');
  });

  it('delivers membership changes as signed events: added by a participant, joined alone, left', async () => {
    const channel = upgradeChannel();
    // One at a time, as people do: the bot handles each event after acknowledging it.
    await local.workspace.invite(ALICE, channel.id, CAROL);
    await settle();
    await local.workspace.join(DAVE, channel.id);
    await settle();
    await local.workspace.leave(CAROL, channel.id);
    await settle();
    await expect(local.workspace.invite(DAVE, channel.id, DAVE)).rejects.toThrow(/already/);
    const log = await waitFor(async () => {
      const lines = (await fetchAudit(channel.id)) ?? [];
      return lines.some((l) => l.action === 'participant-left') ? lines : undefined;
    });
    const actions = log.map((l) => `${l.actor}:${l.action}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        `${CAROL}:participant-joined`,
        `${DAVE}:observer-joined`,
        `${CAROL}:participant-left`,
      ]),
    );
  });

  it('publishes the App Home when a person opens it', async () => {
    await local.workspace.openHome(BOB);
    await settle();
    const home = await waitFor(() => local.workspace.homeView(BOB), { description: "Bob's Home tab" });
    expect(JSON.stringify(home.blocks)).toMatch(/CHG4711/i);
  });

  it('moves the clock: past the failover gap limit the reminder goes out at once', async () => {
    const channel = upgradeChannel();
    expect(await local.moveClock('next-reminder')).toBe('No reminder is pending.');
    const keys = stepKeys(channel.id);
    for (const key of keys.slice(0, keys.indexOf('a.break'))) {
      if (key === 'prep.test-env') continue;
      await click(ALICE, channel.id, key);
    }
    await click(ALICE, channel.id, 'a.break');
    await click(BOB, channel.id, 'a.break');
    const before = local.clock.now();
    const told = await local.moveClock('1d');
    expect(told).toMatch(/Clock moved by 1d/);
    expect(local.clock.now().diff(before, 'hours').hours).toBeGreaterThanOrEqual(24);
    await settle();
    const reminder = await waitFor(
      () => local.workspace.messages(channel.id).find((m) => m.text.includes('Failover has been off')),
      { description: 'the failover-gap reminder' },
    );
    // Messages carry the simulated time.
    expect(Number(reminder.ts) * 1000).toBeGreaterThanOrEqual(before.plus({ days: 1 }).toMillis() - 1000);
  });

  it('keeps channels, messages, views and the clock across a restart; --reset starts afresh', async () => {
    const channel = upgradeChannel();
    const messages = local.workspace.messages(channel.id).map((m) => m.ts);
    const offset = local.clock.offset;
    await local.stop();
    local = await start();
    const again = upgradeChannel(local);
    expect(again.id).toBe(channel.id);
    expect([...again.members]).toEqual(expect.arrayContaining([ALICE, BOB, DAVE]));
    expect(local.workspace.messages(channel.id).map((m) => m.ts)).toEqual(messages);
    expect(local.workspace.homeView(BOB)).toBeDefined();
    expect(local.clock.offset).toBeGreaterThanOrEqual(offset);
    // The bot still knows the upgrade of that channel.
    expect((await fetchAudit(channel.id))?.length).toBeGreaterThan(0);

    await local.stop();
    if (config.database.kind === 'postgres') {
      await expect(start(true)).rejects.toThrow(StartupError);
      local = await start();
      return;
    }
    local = await start(true);
    expect(local.workspace.channels().map((c) => c.name)).toEqual(['general']);
    expect(await fetchAudit(channel.id)).toBeNull();
  });
});

/** The audit log as the page's service reads it; the page's audit tab draws the same lines. */
async function fetchAudit(channelId: string) {
  const log = await readAuditLog({
    ctx: { ...local.bot.services, actor: systemActor('test') },
    input: { channelId },
  });
  const page = await (await fetch(new URL(`/?as=${ALICE}&c=${channelId}&tab=audit`, local.url))).text();
  if (log) expect(page).toContain('<table class="audit-table">');
  return log?.lines ?? null;
}
