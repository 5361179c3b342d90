// `npm run test:browser`: runs `npm start` as the README says, on a fresh DATA_DIR and without any
// Slack token, and walks an async upgrade in Debian's Chromium as the teammates would.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = process.env.SCREENSHOT_DIR ?? join(process.cwd(), 'test-results', 'screenshots');
const ROOT = process.cwd();

let server: ChildProcess | null = null;
let browser: Browser | null = null;
let page: Page;
let url = '';
let dataDir = '';
const output: string[] = [];

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** Starts `npm start` and resolves with the URL it prints. */
function npmStart(): Promise<string> {
  return new Promise((resolve, reject) => {
    // No Slack variables at all: local mode. PORT=0 picks a free port, as the README says.
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' };
    for (const name of ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET', 'DATABASE_URL'])
      delete env[name];
    const child = spawn('npm', ['start'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    server = child;
    const timer = setTimeout(
      () => reject(new Error(`npm start printed no URL:\n${output.join('')}`)),
      120_000,
    );
    const read = (chunk: Buffer) => {
      output.push(chunk.toString());
      const match = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output.join(''));
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output.join('')}`));
    });
  });
}

function stepBlock(key: string) {
  return page.locator(`[data-block-id="step:${key}"]`);
}

/** Clicks a step's button by its label, in the upgrade channel, as the current person. */
async function clickStep(key: string, label: string | RegExp): Promise<void> {
  await stepBlock(key).locator('button', { hasText: label }).first().click();
}

async function actAs(name: string): Promise<void> {
  await page.locator('.person', { hasText: name }).click();
  await expect.poll(() => page.locator('#current-person').innerText()).toContain(name);
}

/**
 * Waits until a step shows this text (the bot re-rendered the runbook after the click). An open
 * step's buttons are its `step:<key>` block; a resolved step collapses into that one block.
 */
async function stepShows(key: string, text: RegExp): Promise<void> {
  await expect.poll(() => stepBlock(key).innerText(), { timeout: 15_000 }).toMatch(text);
}

async function stepKeys(): Promise<string[]> {
  return page
    .locator('[data-block-id^="step:"]')
    .evaluateAll((blocks) =>
      blocks.map((b) => (b.getAttribute('data-block-id') ?? '').slice('step:'.length)),
    );
}

describe('the local workspace in a real browser', () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `No Chromium at ${CHROMIUM}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH. This test never skips.`,
      );
    }
    mkdirSync(SHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'pra-local-browser-'));
    url = await npmStart();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (server?.pid && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once('exit', resolve));
      process.kill(-server.pid, 'SIGTERM');
      await exited;
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('walks an async upgrade with two teammates, reminders and the audit log included', async () => {
    await page.goto(url);
    await expect.poll(() => page.locator('#current-person').innerText()).toContain('Alice');
    await expect.poll(() => page.locator('.clock').innerText()).toMatch(/Simulated time/i);
    await shot('01-general');

    // Help is one click away.
    await page.locator('[data-help]').click();
    await expect.poll(() => page.locator('.message.ephemeral').last().innerText()).toMatch(/start <?/);

    // Start from the composer, with Bob as a participant.
    await page.locator('#composer-input').fill('/pra-upgrade start async --ticket CHG4711 @bob');
    await page.locator('#composer button[type=submit]').click();
    const channelLink = page.locator('.sidebar .channel', { hasText: 'pra-async' });
    await channelLink.waitFor({ timeout: 20_000 });
    await channelLink.click();
    await page.locator('[data-block-id="step:a.break"]').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.locator('.topic').innerText()).toMatch(/async/);
    await expect.poll(() => page.locator('.message.is-pinned').count()).toBeGreaterThan(0);
    await shot('02-runbook');

    // The same start typed again is pointed at this upgrade, and no second channel is opened.
    await page.locator('#composer-input').fill('/pra-upgrade start async --ticket CHG4711 @bob');
    await page.locator('#composer button[type=submit]').click();
    await expect
      .poll(() => page.locator('.message.ephemeral').last().innerText(), { timeout: 15_000 })
      .toMatch(/already open: async for CHG4711 in #pra-async[\s\S]*You lead it[\s\S]*abort <reason>/);
    expect(await page.locator('.sidebar .channel', { hasText: 'pra-async' }).count()).toBe(1);
    await shot('02b-start-again');

    // Out of order: breaking failover before the backup is refused, to Alice only, with the rule.
    await clickStep('a.break', 'Done');
    const refusal = page.locator('.message.ephemeral').last();
    await expect
      .poll(() => refusal.innerText(), { timeout: 15_000 })
      .toMatch(/Only visible to you[\s\S]*(BACKUP_FIRST|SYNC_BEFORE_BREAK|PROCEDURE_ORDER|before)/i);
    await shot('03-refused');

    const keys = await stepKeys();
    const breakAt = keys.indexOf('a.break');
    expect(breakAt).toBeGreaterThan(0);

    // Skip one optional preparation step through the modal: an empty reason is refused at the field.
    const skippable = [];
    for (const key of keys.slice(0, breakAt)) {
      if ((await stepBlock(key).locator('button', { hasText: 'Skip' }).count()) > 0) skippable.push(key);
    }
    const skipped = skippable[0];
    if (!skipped) throw new Error('no optional step before breaking failover');
    await clickStep(skipped, 'Skip');
    const modal = page.locator('#modal-root .modal');
    await modal.waitFor({ timeout: 15_000 });
    await modal.locator('input, textarea').first().fill('no');
    await modal.locator('button[type=submit]').click();
    await expect
      .poll(() => modal.locator('.field-error').first().innerText(), { timeout: 15_000 })
      .toMatch(/write/i);
    await shot('04-skip-modal-error');
    // What a person types is shown as text, never as a link or a mention.
    await modal
      .locator('input, textarea')
      .first()
      .fill('no Vault here <https://evil.example|click> <!channel>');
    await modal.locator('button[type=submit]').click();
    await expect.poll(() => modal.count(), { timeout: 15_000 }).toBe(0);
    await stepShows(skipped, /skipped by/i);
    await expect
      .poll(() => page.locator('#messages').innerText(), { timeout: 15_000 })
      .toContain('<https://evil.example|click>');
    expect(await page.locator('a[href^="https://evil.example"]').count()).toBe(0);

    // Complete the rest, in order, up to breaking failover.
    for (const key of keys.slice(0, breakAt)) {
      if (key === skipped) continue;
      for (const check of await stepBlock(key).locator('button[data-click*="step.check"]').all())
        await check.click();
      await clickStep(key, 'Done');
      await stepShows(key, /✅/);
    }
    await shot('05-steps-done');

    // A done step's menu (an overflow): its instructions again, to the chooser only.
    const chooseFromMenu = async (key: string, option: string) => {
      const menu = stepBlock(key).locator('details.overflow');
      await menu.locator('summary').click();
      await menu.locator('.overflow-item', { hasText: option }).click();
    };
    const notes = page.locator('.message.ephemeral');
    const before = await notes.count();
    await chooseFromMenu('a.backup', 'Show instructions');
    await expect.poll(() => notes.count(), { timeout: 15_000 }).toBeGreaterThan(before);
    await expect.poll(() => notes.last().innerText()).toMatch(/Download Backup/i);
    // Undo asks first (a Block Kit confirm dialog); keeping the step changes nothing.
    const offered = await notes.count();
    await chooseFromMenu('a.backup', 'Undo');
    await expect.poll(() => notes.count(), { timeout: 15_000 }).toBeGreaterThan(offered);
    await notes.last().locator('button', { hasText: 'Undo' }).click();
    const dialog = page.locator('#confirm-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await shot('05b-undo-confirm');
    await dialog.locator('[data-confirm-deny]').click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await stepShows('a.backup', /✅/);

    // Breaking failover needs two people: Alice first, then Bob confirms.
    await clickStep('a.break', 'Done');
    await expect.poll(() => stepBlock('a.break').innerText(), { timeout: 15_000 }).toMatch(/second person/i);
    await shot('06-first-confirmation');
    await actAs('Bob');
    await clickStep('a.break', /second person/i);
    await stepShows('a.break', /✅/);
    await expect.poll(() => page.locator('.topic').innerText(), { timeout: 15_000 }).toMatch(/failover OFF/);
    await stepBlock('a.break').evaluate((block) => block.scrollIntoView({ block: 'center' }));
    await shot('07-second-person');

    // Past the failover gap limit (a day by default), the channel is reminded.
    await page.locator('[data-clock="1d"]').click();
    await page.locator('[data-clock="next-reminder"]').click();
    const reminder = page.locator('.message:not(.ephemeral)', { hasText: 'Failover has been off' });
    await expect.poll(() => reminder.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.locator('#messages').evaluate((list) => {
      list.scrollTop = list.scrollHeight;
    });
    await shot('08-failover-reminder');

    // The audit log: time, person, action, step, rule.
    await page.locator('[data-tab="audit"]').click();
    const table = page.locator('.audit-table');
    await table.waitFor();
    const audit = await table.innerText();
    expect(audit).toMatch(/Time\s+Person\s+Action\s+Step\s+Rule/);
    expect(audit).toContain('command-refused');
    expect(audit).toContain('a.break');
    await shot('09-audit-log');
  }, 300_000);
});
