// Local mode with its two simulated appliances: they follow the team's steps, and the page's control
// makes one misbehave so a person sees the bot refuse with what the appliance reported.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/env.js';
import { findUpgradeByChannel } from '../../../src/db/repositories/upgrades.js';
import { planOf } from '../../../src/engine/index.js';
import { type RunningLocalMode, startLocalMode } from '../../../src/local-workspace/start.js';
import { createLogger } from '../../../src/logging/logger.js';
import { createEmptyDatabase, type TestDatabase, usingPostgres } from '../../support/database.js';
import { prerequisitesOf } from '../../support/engine.js';

const ALICE = 'UALICE';
const BOB = 'UBOB';
let dataDir: string;
let testDatabase: TestDatabase | null = null;
let local: RunningLocalMode;

async function settle(): Promise<void> {
  do {
    await local.workspace.eventsDelivered();
    await local.bot.inFlight.idle();
    local.bot.drainer.kick();
    await local.bot.drainer.idle();
  } while (local.bot.inFlight.size > 0);
}

async function click(userId: string, channelId: string, key: string): Promise<void> {
  for (const message of local.workspace.messages(channelId)) {
    const block = (
      (message.blocks ?? []) as Array<{ block_id?: string; elements?: Array<{ action_id: string }> }>
    ).find((b) => b.block_id === `step:${key}`);
    const element = block?.elements?.find((e) => e.action_id.startsWith('step.complete'));
    if (!element) continue;
    await local.workspace.click(userId, {
      surface: { kind: 'message', channel: channelId, ts: message.ts },
      blockId: `step:${key}`,
      actionId: element.action_id,
    });
    await settle();
    return;
  }
  throw new Error(`step ${key} has no Done button`);
}

const notes = (userId: string, channelId: string) =>
  local.workspace
    .privateNotes(userId, channelId)
    .map((n) => n.text)
    .join('\n');

const control = (body: unknown) =>
  fetch(new URL('/local/appliances', local.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'pra-local-appliances-'));
  const env: Record<string, string> = { PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'error' };
  if (usingPostgres) {
    testDatabase = await createEmptyDatabase();
    if (testDatabase.url) env.DATABASE_URL = testDatabase.url;
  }
  local = await startLocalMode({
    config: loadConfig(env),
    logger: createLogger({ level: 'error', production: true }),
    scheduleJobs: false,
  });
});

afterAll(async () => {
  await local?.stop();
  await testDatabase?.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('local mode with simulated appliances', () => {
  it('the appliances follow the team, and one that stays on the old version is refused with what it reports', async () => {
    const page = await (await fetch(local.url)).text();
    expect(page).toContain('Appliance B (pra-b, simulated)');
    const general = local.workspace.channels().find((c) => c.name === 'general');
    if (!general) throw new Error('no #general');
    await local.workspace.command(
      ALICE,
      general.id,
      '/pra-upgrade start async --a pra-a --b pra-b --to 24.1.2 @bob',
    );
    await settle();
    const channel = local.workspace.channels().find((c) => c.name.startsWith('pra-async'));
    if (!channel) throw new Error(`no upgrade channel: ${notes(ALICE, general.id)}`);
    const upgrade = await findUpgradeByChannel(local.bot.database.db, channel.id);
    if (!upgrade) throw new Error('not stored');
    expect(upgrade.state.linked?.names).toEqual({ a: 'pra-a', b: 'pra-b' });

    const plan = planOf(upgrade.state);
    for (const key of prerequisitesOf(upgrade.state, 'b.update.site')) {
      await click(ALICE, channel.id, key);
      if (plan.steps.find((s) => s.key === key)?.critical) await click(BOB, channel.id, key);
    }
    const ready = await findUpgradeByChannel(local.bot.database.db, channel.id);
    expect(ready?.state.steps['a.sync']?.verified?.outcome).toBe('agreed');
    expect(ready?.state.steps['a.break']?.status).toBe('done');

    const misbehaving = await control({ appliance: 'b', misbehave: 'stay-on-old-version' });
    expect(misbehaving.status).toBe(200);
    expect(await misbehaving.json()).toEqual({ message: 'Appliance B now stays on the old version.' });
    await click(ALICE, channel.id, 'b.update.site');
    expect(notes(ALICE, channel.id)).toContain('B (pra-b) still reports 23.3.1 (4123), not 24.1.2');
    expect((await control({ appliance: 'b', misbehave: 'none' })).status).toBe(200);
    await click(ALICE, channel.id, 'b.update.site');
    const after = await findUpgradeByChannel(local.bot.database.db, channel.id);
    expect(after?.state.steps['b.update.site']).toMatchObject({
      status: 'done',
      verified: { outcome: 'agreed' },
    });
    expect(await (await fetch(local.url)).text()).toContain('24.1.2 (5123)');
  }, 120_000);

  it('the control takes only JSON from the page itself', async () => {
    const foreign = await fetch(new URL('/local/appliances', local.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ appliance: 'a', misbehave: 'keep-failover' }),
    });
    expect(foreign.status).toBe(400);
    const unknown = await control({ appliance: 'c', misbehave: 'keep-failover' });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: string }).error).toMatch(/appliance/);
    // An origin that is no URL is refused as foreign, not failed on.
    const nullOrigin = await fetch(new URL('/local/appliances', local.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'null' },
      body: JSON.stringify({ appliance: 'a', misbehave: 'none' }),
    });
    expect(nullOrigin.status).toBe(400);
    // A body of any size is not read to the end: the same limit as the page's other actions.
    const huge = await fetch(new URL('/local/appliances', local.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ appliance: 'a', misbehave: 'none', padding: 'x'.repeat(2_000_000) }),
    });
    expect(huge.status).toBe(400);
    expect(((await huge.json()) as { error: string }).error).toMatch(/too large/);
    const fine = await control({ appliance: 'a', misbehave: 'none' });
    expect(fine.status).toBe(200);
    expect(((await fine.json()) as { message: string }).message).toBe(
      'Appliance A now does what the team does.',
    );
  });
});
