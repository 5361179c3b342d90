import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTrail } from '../../../src/db/repositories/audit.js';
import { listParticipants } from '../../../src/db/repositories/participants.js';
import { findUpgradeByChannel } from '../../../src/db/repositories/upgrades.js';
import { postToApp, slashCommandBody } from '../../../src/fake-slack/index.js';
import { USAGE } from '../../../src/slack/listeners/commands/verbs/index.js';
import { Harness, SIGNING_SECRET, USERS } from '../../support/harness.js';

describe('/pra-upgrade subcommands, the App Home and channel membership', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());

  async function freshUpgrade(command = 'start async') {
    await h.command(USERS.alice.id, `${command} <@${USERS.bob.id}>`);
    const channelId = h.upgradeChannel();
    const upgrade = await findUpgradeByChannel(h.bot.database.db, channelId);
    if (!upgrade) throw new Error('not started');
    return { channelId, upgrade };
  }

  it('acks the slash command before any Slack work is done', async () => {
    h.fake.injectFault('conversations.create', { delayMs: 1500 });
    const body = slashCommandBody({
      command: '/pra-upgrade',
      text: 'start single --ticket ACK1',
      userId: USERS.alice.id,
      channelId: 'CGENERAL',
      teamId: h.fake.teamId,
      responseUrl: h.fake.createResponseUrl(),
    });
    const before = h.fake.callsTo('conversations.create').length;
    const response = await postToApp(h.eventsUrl, body, { signingSecret: SIGNING_SECRET });
    const answeredAt = Date.now();
    expect(response.status).toBe(200);
    expect(response.body).toBe('');
    await h.settle();
    const create = h.fake.callsTo('conversations.create')[before];
    expect(create).toBeDefined();
    expect(answeredAt).toBeLessThan(create?.at ?? 0);
  });

  it('help lists every subcommand', async () => {
    const reply = (await h.command(USERS.carol.id, 'help')).replies().join('\n');
    // Every verb the parser knows, taken from the parser itself.
    for (const verb of Object.keys(USAGE)) expect(reply).toContain(`/pra-upgrade ${verb}`);
    for (const option of [
      '--a',
      '--b',
      '--method',
      '--switch',
      '--base-only',
      '--ticket',
      '--window-a',
      '--gap-limit',
    ]) {
      expect(reply).toContain(option);
    }
  });

  it('status shows this upgrade in its channel and lists active upgrades elsewhere', async () => {
    const { channelId } = await freshUpgrade('start sync --ticket STAT1');
    const inChannel = (await h.command(USERS.bob.id, 'status', channelId)).replies().join('\n');
    expect(inChannel).toMatch(/0\/30/);
    const elsewhere = (await h.command(USERS.carol.id, 'status', 'CRANDOM')).replies().join('\n');
    expect(elsewhere).toContain(`<#${channelId}>`);
    const list = (await h.command(USERS.carol.id, 'list', 'CRANDOM')).replies().join('\n');
    expect(list).toContain(`<#${channelId}>`);
  });

  it('set, window, lead and abort work in the upgrade channel, for the right people', async () => {
    const { channelId, upgrade } = await freshUpgrade();
    const notLead = await h.command(USERS.bob.id, 'set switch nat', channelId);
    expect(notLead.replies().join()).toContain('LEAD_ONLY');
    await h.command(USERS.alice.id, 'set switch nat', channelId);
    await h.command(USERS.alice.id, 'window b 2026-12-03 22:00 Europe/Amsterdam 3h', channelId);
    let state = (await findUpgradeByChannel(h.bot.database.db, channelId))?.state;
    expect(state?.options.switchMethod).toBe('nat');
    expect(state?.windows.b).toEqual({
      startsAt: '2026-12-03T22:00:00.000+01:00',
      zone: 'Europe/Amsterdam',
      length: 'PT3H',
    });
    expect(JSON.stringify(h.messageWithBlock(channelId, 'step-text:b.promote').block)).toContain('NAT');
    // No zone given: the person's own Slack time zone (Bob is in New York).
    await h.command(USERS.bob.id, 'window a 2026-12-05 21:00', channelId);
    state = (await findUpgradeByChannel(h.bot.database.db, channelId))?.state;
    expect(state?.windows.a?.zone).toBe('America/New_York');
    const badTime = await h.command(USERS.alice.id, 'window a 2026-13-01 25:00', channelId);
    expect(badTime.replies().join()).toContain('is not a date and time');
    await h.command(USERS.alice.id, `lead <@${USERS.bob.id}>`, channelId);
    expect((await findUpgradeByChannel(h.bot.database.db, channelId))?.state.lead).toBe(USERS.bob.id);
    const oldLead = await h.command(USERS.alice.id, 'abort changed my mind', channelId);
    expect(oldLead.replies().join()).toContain('LEAD_ONLY');
    await h.command(USERS.bob.id, 'abort vendor pulled the release', channelId);
    expect((await findUpgradeByChannel(h.bot.database.db, channelId))?.status).toBe('aborted');
    expect(h.channelTexts(channelId).join('\n')).toContain('vendor pulled the release');
    const trail = await auditTrail(h.bot.database.db, upgrade.id);
    expect(trail.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'option-changed',
        'window-set',
        'lead-reassigned',
        'upgrade-aborted',
        'command-refused',
      ]),
    );
  });

  it('a channel command outside an upgrade channel says where to use it', async () => {
    const reply = (await h.command(USERS.alice.id, 'abort no reason at all', 'CRANDOM')).replies().join();
    expect(reply).toContain('works in an upgrade');
  });

  it('the App Home lists active upgrades with their progress', async () => {
    const { channelId } = await freshUpgrade('start single --ticket HOME1');
    await h.event({ type: 'app_home_opened', user: USERS.carol.id, channel: 'DHOME', tab: 'home' });
    const home = JSON.stringify(h.fake.homeView(USERS.carol.id));
    expect(home).toContain(`<#${channelId}>`);
    expect(home).toContain('HOME1');
  });

  it('leaving the upgrade channel ends being a participant', async () => {
    const { channelId, upgrade } = await freshUpgrade('start single');
    await h.event({
      type: 'member_left_channel',
      user: USERS.bob.id,
      channel: channelId,
      team: h.fake.teamId,
    });
    expect(await listParticipants(h.bot.database.db, upgrade.id)).toEqual([USERS.alice.id]);
    const click = await h.clickStep(USERS.bob.id, 'prep.window');
    expect(click.replies().join()).toContain('NOT_PARTICIPANT');
  });
});
