import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUpgradeByChannel } from '../../../src/db/repositories/upgrades.js';
import { auditEvents } from '../../../src/db/schema.js';
import type { DriverBlock } from '../../../src/fake-slack/driver.js';
import { Harness, USERS } from '../../support/harness.js';

type Option = { value: string; text: { text: string } };

describe('a done step: one line, its actions in a menu', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());

  async function startSingle(ticket: string) {
    await h.command(USERS.alice.id, `start single --ticket ${ticket} <@${USERS.bob.id}>`);
    const channelId = h.upgradeChannel();
    const upgrade = await findUpgradeByChannel(h.bot.database.db, channelId);
    if (!upgrade) throw new Error('not started');
    return { channelId, upgrade };
  }

  function menuOf(channelId: string, key: string) {
    const { message, block } = h.messageWithBlock(channelId, `step:${key}`);
    const menu = block.accessory;
    if (menu?.type !== 'overflow') throw new Error(`step ${key} has no menu`);
    const option = (text: string) => {
      const found = (menu.options as Option[] | undefined)?.find((o) => o.text.text === text);
      if (!found) throw new Error(`no option ${text}`);
      return found;
    };
    return { message, block, menu, option };
  }

  it('links "Ready now" to the runbook messages, with one permalink call a part and no extra post', async () => {
    const { channelId } = await startSingle('MENU1');
    const messages = h.fake.messages(channelId);
    const parts = messages.length - 1;
    expect(parts).toBeGreaterThan(0);
    // Each message posted once; the links come from one chat.getPermalink per runbook part.
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channelId)).toHaveLength(
      messages.length,
    );
    expect(h.fake.callsTo('chat.getPermalink').filter((c) => c.args.channel === channelId)).toHaveLength(
      parts,
    );
    const overview = JSON.stringify(messages[0]?.blocks);
    const first = messages[1];
    expect(overview).toContain(
      `<https://${h.fake.teamDomain}.slack.com/archives/${channelId}/p${first?.ts.replace('.', '')}|1. Schedule the maintenance window>`,
    );
  });

  it('answers "Show instructions" to the chooser alone, and changes nothing', async () => {
    const { channelId } = await startSingle('MENU2');
    await h.clickStep(USERS.bob.id, 'prep.window');
    const { message, block, menu, option } = menuOf(channelId, 'prep.window');
    expect(JSON.stringify(block)).toMatch(/✅ \*1\. Schedule the maintenance window\* · <@UBOB>/);
    const before = (await findUpgradeByChannel(h.bot.database.db, channelId))?.version;
    const chosen = await h.chooseOption(
      USERS.bob.id,
      channelId,
      message.ts,
      `step:prep.window`,
      menu,
      option('Show instructions'),
    );
    const reply = chosen.replies().join('\n');
    expect(reply).toContain('Done by <@UBOB>');
    expect(reply).toContain('Only you can see this.');
    expect((await findUpgradeByChannel(h.bot.database.db, channelId))?.version).toBe(before);
  });

  it('offers Undo behind a confirmation, and undoes for the lead only', async () => {
    const { channelId } = await startSingle('MENU3');
    await h.clickStep(USERS.bob.id, 'prep.window');
    const { message, menu, option } = menuOf(channelId, 'prep.window');
    const offer = await h.chooseOption(
      USERS.alice.id,
      channelId,
      message.ts,
      'step:prep.window',
      menu,
      option('Undo… (lead)'),
    );
    const offered = h.offeredButton(offer.responseUrl, 'step.undo');
    expect(offered?.blockId).toBe('step:prep.window:undo');
    const blocks = JSON.parse(offer.replies()[0]?.split('\n').slice(1).join('\n') ?? '[]') as DriverBlock[];
    const undo = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'step.undo') as
      | (Record<string, unknown> & { confirm?: { title?: { text?: string } } })
      | undefined;
    expect(undo?.confirm?.title?.text).toBe('Undo this step?');

    const refused = await h.clickStep(USERS.bob.id, 'prep.window', 'step.undo');
    expect(refused.replies().join()).toContain('LEAD_ONLY');
    await h.clickStep(USERS.alice.id, 'prep.window', 'step.undo');
    const state = (await findUpgradeByChannel(h.bot.database.db, channelId))?.state;
    expect(state?.steps['prep.window']?.status).toBe('pending');
    const { block } = h.messageWithBlock(channelId, 'step:prep.window');
    expect(block.type).toBe('actions');
    expect(block.elements?.[0]).toMatchObject({ action_id: 'step.complete', style: 'primary' });
  });

  it('opens the problem form from the menu', async () => {
    await startSingle('MENU4');
    await h.clickStep(USERS.bob.id, 'prep.window');
    const opened = h.fake.callsTo('views.open').length;
    await h.clickStep(USERS.bob.id, 'prep.window', 'step.problem');
    const view = h.fake.callsTo('views.open').at(opened)?.args.view as { callback_id: string };
    expect(view.callback_id).toBe('problem.report');
    expect(JSON.stringify(view)).toContain('Schedule the maintenance window');
  });

  it('refuses a menu option it did not write, and changes nothing', async () => {
    const { channelId, upgrade } = await startSingle('MENU5');
    await h.clickStep(USERS.bob.id, 'prep.window');
    const { message, menu } = menuOf(channelId, 'prep.window');
    const before = (await findUpgradeByChannel(h.bot.database.db, channelId))?.version;
    const forged = await h.chooseOption(USERS.bob.id, channelId, message.ts, 'step:prep.window', menu, {
      value: JSON.stringify({ upgradeId: upgrade.id, action: 'step.complete' }),
      text: { text: 'Done' },
    });
    expect(forged.replies().join()).toContain('not one this bot understands');
    expect((await findUpgradeByChannel(h.bot.database.db, channelId))?.version).toBe(before);
    const rejected = await h.bot.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'input-rejected'));
    expect(rejected.some((a) => JSON.stringify(a.detail).includes('action:step.menu'))).toBe(true);
  });
});
