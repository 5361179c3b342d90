import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTrail } from '../../../src/db/repositories/audit.js';
import { pendingDeliveries } from '../../../src/db/repositories/outbox.js';
import { findUpgradeByChannel } from '../../../src/db/repositories/upgrades.js';
import { planOf } from '../../../src/engine/index.js';
import { SlackDriver, waitFor } from '../../../src/fake-slack/index.js';
import { Harness, SIGNING_SECRET, shownAsDone, USERS } from '../../support/harness.js';

/** Clicks and commands that return once acknowledged, without waiting for the deliveries they cause. */
function quickDriver(h: Harness): SlackDriver {
  return new SlackDriver({ fake: h.fake, eventsUrl: h.eventsUrl, signingSecret: SIGNING_SECRET });
}

describe('delivery lanes: replies at once, channels in order, edits coalesced', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());

  async function freshUpgrade(command: string) {
    await h.command(USERS.alice.id, `${command} <@${USERS.bob.id}>`);
    const channelId = h.upgradeChannel();
    const upgrade = await findUpgradeByChannel(h.bot.database.db, channelId);
    if (!upgrade) throw new Error('not started');
    return { channelId, upgrade };
  }

  /** Waits until a process has taken up a render of the upgrade (its Slack edits are then on their way). */
  const renderUnderWay = (upgradeId: string) =>
    waitFor(
      async () =>
        (await pendingDeliveries(h.bot.database.db, upgradeId)).some(
          (d) => d.kind === 'render' && d.claimedBy !== null,
        ),
      { description: 'a render in progress' },
    );

  it('a refusal is answered while the same upgrade’s message update is still on its way', async () => {
    const { channelId, upgrade } = await freshUpgrade('start single --ticket LANE1');
    const quick = quickDriver(h);
    // Edits in this channel hang for a while: the channel lane of this upgrade is busy.
    h.fake.injectFault('chat.update', { delayMs: 9000, times: Number.POSITIVE_INFINITY, channel: channelId });
    await quick.clickStep(USERS.bob.id, 'prep.window');
    await renderUnderWay(upgrade.id);
    const refused = await quick.clickStep(USERS.alice.id, 'clients.consoles');
    await waitFor(() => refused.replies().length > 0, { timeoutMs: 8000, description: 'the refusal' });
    expect(refused.replies().join()).toContain('Not yet');
    expect(shownAsDone(h, channelId, 'prep.window')).toBe(false);
    h.fake.clearFaults();
    await h.settle();
    expect(shownAsDone(h, channelId, 'prep.window')).toBe(true);
  });

  it('clicks made while an edit is on its way cost one more edit, showing the newest state, never a repeat', async () => {
    const { channelId, upgrade } = await freshUpgrade('start single --ticket COAL1');
    const quick = quickDriver(h);
    const part = h.messageWithBlock(channelId, 'step:prep.window').message.ts;
    h.fake.clearCalls();
    // The first click's edits are held long enough for the other clicks to commit meanwhile.
    h.fake.injectFault('chat.update', { delayMs: 6000, times: Number.POSITIVE_INFINITY, channel: channelId });
    await quick.clickStep(USERS.bob.id, 'prep.window', 'step.complete', { channelId });
    await renderUnderWay(upgrade.id);
    const others = ['prep.announce', 'prep.certs', 'prep.cert-stores'];
    for (const key of others) await quick.clickStep(USERS.bob.id, key, 'step.complete', { channelId });
    await waitFor(
      async () => {
        const state = (await findUpgradeByChannel(h.bot.database.db, channelId))?.state;
        return others.every((key) => state?.steps[key]?.status === 'done');
      },
      { timeoutMs: 5000, description: 'the other clicks committed' },
    );
    h.fake.clearFaults();
    await h.settle();
    for (const key of ['prep.window', 'prep.announce', 'prep.certs', 'prep.cert-stores']) {
      expect(shownAsDone(h, channelId, key)).toBe(true);
    }
    const edits = h.fake.callsTo('chat.update').filter((c) => c.args.ts === part);
    // Four state changes, two edits: the first click's, then one for the three made meanwhile.
    expect(edits).toHaveLength(2);
    const shown = edits.map((e) => JSON.stringify(e.args.blocks));
    expect(new Set(shown).size).toBe(shown.length);
    expect(h.fake.message(channelId, part)?.blocks).toEqual(edits.at(-1)?.args.blocks);
  });

  it('a 429 on one upgrade’s channel holds back neither another upgrade nor the replies', async () => {
    const first = await freshUpgrade('start single --ticket RL1');
    const second = await freshUpgrade('start single --ticket RL2');
    h.fake.injectFault('chat.update', {
      retryAfter: 30,
      times: Number.POSITIVE_INFINITY,
      channel: first.channelId,
    });
    const quick = quickDriver(h);
    await quick.clickStep(USERS.bob.id, 'prep.window', 'step.complete', { channelId: first.channelId });
    await quick.clickStep(USERS.bob.id, 'prep.window', 'step.complete', { channelId: second.channelId });
    const refused = await quick.clickStep(USERS.alice.id, 'clients.consoles', 'step.complete', {
      channelId: first.channelId,
    });
    await h.settle();
    expect(shownAsDone(h, second.channelId, 'prep.window')).toBe(true);
    expect(shownAsDone(h, first.channelId, 'prep.window')).toBe(false);
    expect(refused.replies().join()).toContain('Not yet');
    const failed = (await auditTrail(h.bot.database.db, first.upgrade.id)).filter(
      (a) => a.action === 'slack-call-failed',
    );
    expect(failed.at(-1)?.detail).toMatchObject({ error: 'ratelimited', outcome: 'will retry' });
    h.fake.clearFaults();
    h.clock.advance({ seconds: 31 });
    await h.settle();
    expect(shownAsDone(h, first.channelId, 'prep.window')).toBe(true);
  });

  it('upgrades set up at the same time are delivered side by side, each channel in its own order', async () => {
    h.fake.clearCalls();
    const quick = quickDriver(h);
    h.fake.injectFault('chat.postMessage', { delayMs: 60, times: Number.POSITIVE_INFINITY });
    await Promise.all(
      ['ORD1', 'ORD2', 'ORD3'].map((ticket) =>
        quick.command(USERS.alice.id, `start sync --ticket ${ticket}`),
      ),
    );
    await h.settle();
    h.fake.clearFaults();
    const posts = h.fake.callsTo('chat.postMessage');
    const channels = [...new Set(posts.map((p) => String(p.args.channel)))];
    expect(channels).toHaveLength(3);
    // Side by side: another channel's post comes between two posts of the first channel.
    const firstChannelPosts = posts.flatMap((p, i) => (p.args.channel === channels[0] ? [i] : []));
    const between = posts.slice(firstChannelPosts[0], firstChannelPosts.at(-1));
    expect(between.some((p) => p.args.channel !== channels[0])).toBe(true);
    // In order: each channel shows the overview first, then the runbook parts in the plan's order.
    for (const channelId of channels) {
      const upgrade = await findUpgradeByChannel(h.bot.database.db, channelId);
      const keys = h.fake
        .messages(channelId)
        .flatMap((m) => ((m.blocks ?? []) as { block_id?: string }[]).map((b) => b.block_id ?? ''))
        .filter((id) => id.startsWith('step:'))
        .map((id) => id.slice('step:'.length).split(':')[0]);
      expect(h.fake.messages(channelId)[0]?.text).toMatch(/^PRA upgrade/);
      const planOrder = upgrade ? planOf(upgrade.state).steps.map((s) => s.key) : [];
      expect(keys).toEqual(planOrder.filter((k) => keys.includes(k)));
    }
  });

  it('start typed again while the first is being set up, or once it is open, points at it and starts nothing new', async () => {
    h.fake.injectFault('conversations.create', { retryAfter: 30, times: 1 });
    const first = await h.command(USERS.carol.id, 'start single --ticket AGAIN1');
    const again = await h.command(USERS.carol.id, 'start single --ticket AGAIN1');
    expect(again.replies().join()).toContain('already being set up');
    expect(first.replies()).toEqual([]);
    h.clock.advance({ seconds: 31 });
    await h.settleUntilDelivered();
    const created = h.fake.callsTo('conversations.create').filter((c) => (c.response as { ok?: boolean }).ok);
    expect(created.filter((c) => String(c.args.name).includes('again1'))).toHaveLength(1);
    expect(first.replies().join()).toContain('is set up in');
    // Once it is set up, the same start again is pointed at that open upgrade's channel, not opened twice.
    const channelId = created.find((c) => String(c.args.name).includes('again1'))?.response as {
      channel?: { id?: string };
    };
    const later = await h.command(USERS.carol.id, 'start single --ticket AGAIN1');
    await h.settleUntilDelivered();
    expect(later.replies().join()).toContain(
      `An upgrade of the same change is already open: \`single\` for AGAIN1 in <#${channelId.channel?.id}>, led by <@${USERS.carol.id}>. Nothing new was started. You lead it: carry on there;`,
    );
    const createdLater = h.fake
      .callsTo('conversations.create')
      .filter((c) => (c.response as { ok?: boolean }).ok);
    expect(createdLater.filter((c) => String(c.args.name).includes('again1'))).toHaveLength(1);
  });
});

describe('a post whose answer was lost', () => {
  let h: Harness;
  beforeAll(async () => {
    // The bot gives up on a Web API call after 400 ms, so an answer held longer is lost to it.
    h = await Harness.start({ slackCallTimeoutMs: 400 });
  });
  afterAll(() => h.stop());

  it('a post whose answer never came back is found in the channel and adopted, not posted again', async () => {
    // The overview is posted, but its answer arrives after the bot gave up waiting.
    h.fake.injectFault('chat.postMessage', { answerDelayMs: 1500, times: 1 });
    await h.command(USERS.alice.id, `start single --ticket LOST1 <@${USERS.bob.id}>`);
    const channelId = h.upgradeChannel();
    await h.settleUntilDelivered();
    const overviews = h.fake.messages(channelId).filter((m) => (m.text ?? '').startsWith('PRA upgrade'));
    expect(overviews).toHaveLength(1);
    expect(h.fake.pins(channelId)).toEqual([overviews[0]?.ts]);
    expect(h.fake.callsTo('conversations.history').length).toBeGreaterThan(0);
    const upgrade = await findUpgradeByChannel(h.bot.database.db, channelId);
    const trail = await auditTrail(h.bot.database.db, upgrade?.id ?? '');
    expect(trail.find((a) => a.action === 'message-adopted')?.detail).toMatchObject({ slot: 'overview' });
    // Adopted means kept up to date: a click shows on that very message.
    await h.clickStep(USERS.bob.id, 'prep.window');
    expect(shownAsDone(h, channelId, 'prep.window')).toBe(true);
  });
});
