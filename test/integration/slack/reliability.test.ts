import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTrail } from '../../../src/db/repositories/audit.js';
import { findUpgradeByChannel } from '../../../src/db/repositories/upgrades.js';
import { auditEvents } from '../../../src/db/schema.js';
import { postToApp, slashCommandBody } from '../../../src/fake-slack/index.js';
import { Harness, SIGNING_SECRET, shownAsDone, USERS } from '../../support/harness.js';

describe('reliability against Slack and its retries', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());

  async function freshUpgrade(command = 'start single') {
    await h.command(USERS.alice.id, `${command} <@${USERS.bob.id}>`);
    const channelId = h.upgradeChannel();
    const upgrade = await findUpgradeByChannel(h.bot.database.db, channelId);
    if (!upgrade) throw new Error('not started');
    return { channelId, upgrade };
  }

  const stepStatus = async (channelId: string, key: string) =>
    (await findUpgradeByChannel(h.bot.database.db, channelId))?.state.steps[key]?.status;

  it('refuses a request with a wrong or stale signature (401) and changes nothing', async () => {
    const body = slashCommandBody({
      command: '/pra-upgrade',
      text: 'start single',
      userId: USERS.alice.id,
      channelId: 'CGENERAL',
      teamId: h.fake.teamId,
      responseUrl: h.fake.createResponseUrl(),
    });
    const before = h.fake.callsTo('conversations.create').length;
    expect(
      (await postToApp(h.eventsUrl, body, { signingSecret: SIGNING_SECRET, badSignature: true })).status,
    ).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 10 * 60;
    expect(
      (await postToApp(h.eventsUrl, body, { signingSecret: SIGNING_SECRET, timestamp: stale })).status,
    ).toBe(401);
    await h.settle();
    expect(h.fake.callsTo('conversations.create')).toHaveLength(before);
  });

  it('a Slack retry of the same click (x-slack-retry-num) changes nothing', async () => {
    const { channelId, upgrade } = await freshUpgrade();
    const actionTs = '1795860000.000123';
    const { message, block } = h.messageWithBlock(channelId, 'step:prep.window');
    const button = block.elements?.find((e) => e.action_id === 'step.complete');
    if (!button) throw new Error('no confirm button');
    await h.clickButton(USERS.bob.id, channelId, message.ts, 'step:prep.window', button, { actionTs });
    const retry = await h.clickButton(USERS.bob.id, channelId, message.ts, 'step:prep.window', button, {
      actionTs,
      retryNum: 1,
    });
    expect(retry.response.status).toBe(200);
    expect(retry.replies()).toEqual([]);
    const trail = await auditTrail(h.bot.database.db, upgrade.id);
    expect(trail.filter((a) => a.stepKey === 'prep.window')).toHaveLength(1);
    expect((await findUpgradeByChannel(h.bot.database.db, channelId))?.version).toBe(2);
  });

  it('a retried slash command starts nothing twice', async () => {
    const before = h.fake.callsTo('conversations.create').length;
    await h.command(USERS.alice.id, 'start single --ticket RETRY1', 'CGENERAL', {
      triggerId: 'trigger-retry-1',
    });
    await h.command(USERS.alice.id, 'start single --ticket RETRY1', 'CGENERAL', {
      triggerId: 'trigger-retry-1',
      retryNum: 1,
    });
    expect(h.fake.callsTo('conversations.create')).toHaveLength(before + 1);
  });

  it('concurrent clicks on one step: one transition, one audit event', async () => {
    const { channelId, upgrade } = await freshUpgrade();
    const clicks = Array.from({ length: 10 }, (_, i) =>
      h.clickStep(i % 2 ? USERS.alice.id : USERS.bob.id, 'prep.announce'),
    );
    const results = await Promise.all(clicks);
    await h.settle();
    const trail = await auditTrail(h.bot.database.db, upgrade.id);
    expect(trail.filter((a) => a.action === 'step-completed' && a.stepKey === 'prep.announce')).toHaveLength(
      1,
    );
    const answered = results.flatMap((r) => r.replies());
    expect(answered.filter((t) => t.includes('ALREADY_DONE'))).toHaveLength(9);
    expect(shownAsDone(h, channelId, 'prep.announce')).toBe(true);
  });

  it('two quick clicks on different steps never leave a message showing stale state', async () => {
    const { channelId } = await freshUpgrade();
    await Promise.all([h.clickStep(USERS.alice.id, 'prep.window'), h.clickStep(USERS.bob.id, 'prep.certs')]);
    await h.settle();
    expect(shownAsDone(h, channelId, 'prep.window')).toBe(true);
    expect(shownAsDone(h, channelId, 'prep.certs')).toBe(true);
  });

  it('429 with Retry-After on chat.postMessage: retried after the wait, the channel still ends right', async () => {
    h.fake.injectFault('chat.postMessage', { retryAfter: 30, times: 2 });
    await h.command(USERS.alice.id, 'start sync --ticket RL429');
    const channelId = h.upgradeChannel();
    const upgrade = await findUpgradeByChannel(h.bot.database.db, channelId);
    expect(h.fake.messages(channelId)).toHaveLength(0);
    const failed = (await auditTrail(h.bot.database.db, upgrade?.id ?? '')).filter(
      (a) => a.action === 'slack-call-failed',
    );
    expect(failed[0]?.detail).toMatchObject({ error: 'ratelimited', outcome: 'will retry' });
    h.clock.advance({ seconds: 20 });
    await h.settle();
    expect(h.fake.messages(channelId)).toHaveLength(0);
    for (let i = 0; i < 3; i++) {
      h.clock.advance({ seconds: 31 });
      await h.settle();
    }
    // One overview and the runbook parts, each posted once, the overview pinned.
    const texts = h.fake.messages(channelId).map((m) => m.text ?? '');
    expect(texts.filter((t) => t.startsWith('PRA upgrade'))).toHaveLength(1);
    expect(h.fake.pins(channelId)).toHaveLength(1);
    expect(() => h.messageWithBlock(channelId, 'step:a.establish')).not.toThrow();
  });

  it('5xx on chat.update: retried with backoff until the message shows the change', async () => {
    const { channelId, upgrade } = await freshUpgrade();
    h.fake.injectFault('chat.update', { status: 503, times: 2 });
    await h.clickStep(USERS.bob.id, 'prep.window');
    expect(await stepStatus(channelId, 'prep.window')).toBe('done');
    expect(shownAsDone(h, channelId, 'prep.window')).toBe(false);
    for (let i = 0; i < 3; i++) {
      h.clock.advance({ seconds: 10 });
      await h.settle();
    }
    expect(shownAsDone(h, channelId, 'prep.window')).toBe(true);
    const failures = (await auditTrail(h.bot.database.db, upgrade.id)).filter(
      (a) => a.action === 'slack-call-failed',
    );
    // The overview and the step's message are edited side by side, so one attempt may meet both faults.
    expect(failures.length).toBeGreaterThan(0);
    expect(new Set(failures.map((f) => f.detail.error))).toEqual(new Set(['http_503']));
  });

  it('429 with Retry-After on chat.update: the message catches up after the wait', async () => {
    const { channelId } = await freshUpgrade();
    // Both edits of the click (overview and step message) go out together and both are refused.
    h.fake.injectFault('chat.update', { retryAfter: 20, times: 2 });
    await h.clickStep(USERS.bob.id, 'prep.certs');
    expect(shownAsDone(h, channelId, 'prep.certs')).toBe(false);
    h.clock.advance({ seconds: 10 });
    await h.settle();
    expect(shownAsDone(h, channelId, 'prep.certs')).toBe(false);
    h.clock.advance({ seconds: 11 });
    await h.settle();
    expect(shownAsDone(h, channelId, 'prep.certs')).toBe(true);
  });

  it('name_taken: picks another name and never touches the existing channel', async () => {
    const existing = h.fake.addChannel({ name: `pra-single-${h.clock.now().toFormat('yyyyLLdd')}-chg9` });
    await h.command(USERS.alice.id, 'start single --ticket CHG9');
    const channelId = h.upgradeChannel();
    expect(channelId).not.toBe(existing.id);
    expect(h.fake.channel(channelId)?.name).toBe(`pra-single-${h.clock.now().toFormat('yyyyLLdd')}-chg9-2`);
    expect(h.fake.messages(existing.id)).toEqual([]);
    const upgrade = await findUpgradeByChannel(h.bot.database.db, channelId);
    const trail = await auditTrail(h.bot.database.db, upgrade?.id ?? '');
    expect(trail.find((a) => a.action === 'channel-name-taken')?.detail).toEqual({
      name: `pra-single-${h.clock.now().toFormat('yyyyLLdd')}-chg9`,
    });
  });

  it('bad command text gets a reply saying what was wrong and the right form; nothing is created', async () => {
    const before = h.fake.callsTo('conversations.create').length;
    const started = await h.command(USERS.alice.id, 'start asynk --switch fast --bogus 1');
    const reply = started.replies().join('\n');
    expect(reply).toContain('“asynk” is not a plan');
    expect(reply).toContain('--switch must be one of shared-ip, dns, nat');
    expect(reply).toContain('unknown option --bogus');
    // Escaped for Slack's mrkdwn, which shows it as /pra-upgrade start <single|manual|…>.
    expect(reply).toContain('/pra-upgrade start &lt;single|manual|sync|async|hardware&gt;');
    expect(h.fake.callsTo('conversations.create')).toHaveLength(before);
    const rejected = await h.bot.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'input-rejected'), isNull(auditEvents.upgradeId)));
    expect(rejected.some((r) => JSON.stringify(r.detail).includes('asynk'))).toBe(true);
    const unknown = await h.command(USERS.alice.id, 'launch rockets');
    expect(unknown.replies().join()).toContain('“launch” is not a pra-upgrade command');
  });
});
