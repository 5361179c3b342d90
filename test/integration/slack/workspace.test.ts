import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listParticipants } from '../../../src/db/repositories/participants.js';
import { findUpgradeByChannel } from '../../../src/db/repositories/upgrades.js';
import { auditEvents } from '../../../src/db/schema.js';
import { blockActionsBody, eventBody, postToApp, slashCommandBody } from '../../../src/fake-slack/index.js';
import { Harness, SIGNING_SECRET, USERS } from '../../support/harness.js';

// A participant's user id, sent from another workspace: never the same person.
const OTHER_TEAM = 'TOTHERTEAM';

describe('the workspace is part of who you are', () => {
  let h: Harness;
  let channelId: string;
  let upgradeId: string;
  beforeAll(async () => {
    h = await Harness.start();
    await h.command(USERS.alice.id, `start single <@${USERS.bob.id}>`);
    channelId = h.upgradeChannel();
    upgradeId = (await findUpgradeByChannel(h.bot.database.db, channelId))?.id ?? '';
  });
  afterAll(() => h.stop());

  const upgrade = () => findUpgradeByChannel(h.bot.database.db, channelId);
  const refusals = () =>
    h.bot.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.upgradeId, upgradeId), eq(auditEvents.action, 'command-refused')));

  const clickFromOtherTeam = async (blockId: string, actionId: string) => {
    const { message, block } = h.messageWithBlock(channelId, blockId);
    const button = block.elements?.find((e) => e.action_id.startsWith(actionId));
    const responseUrl = h.fake.createResponseUrl();
    const body = blockActionsBody({
      userId: USERS.bob.id,
      teamId: OTHER_TEAM,
      channelId,
      messageTs: message.ts,
      responseUrl,
      actions: [{ action_id: button?.action_id ?? '', block_id: blockId, value: button?.value ?? '' }],
    });
    const response = await postToApp(h.eventsUrl, body, { signingSecret: SIGNING_SECRET });
    await h.settle();
    return { status: response.status, replies: h.repliesTo(responseUrl).join('\n') };
  };

  const commandFromOtherTeam = async (text: string, channel = channelId) => {
    const responseUrl = h.fake.createResponseUrl();
    const body = slashCommandBody({
      command: '/pra-upgrade',
      text,
      userId: USERS.alice.id,
      channelId: channel,
      teamId: OTHER_TEAM,
      responseUrl,
    });
    const response = await postToApp(h.eventsUrl, body, { signingSecret: SIGNING_SECRET });
    await h.settle();
    return { status: response.status, replies: h.repliesTo(responseUrl).join('\n') };
  };

  it('a click carrying a participant’s id from another workspace is refused, audited, and changes nothing', async () => {
    const before = await upgrade();
    const refused = (await refusals()).length;
    const click = await clickFromOtherTeam('step:prep.window', 'step.complete');
    expect(click.status).toBe(200);
    expect(click.replies).toContain('another Slack workspace');
    const after = await upgrade();
    expect(after?.version).toBe(before?.version);
    expect(after?.state.steps['prep.window']?.status).toBe('pending');
    const rows = await refusals();
    expect(rows).toHaveLength(refused + 1);
    expect(rows.at(-1)?.detail).toMatchObject({ rule: 'OTHER_WORKSPACE' });
    expect(rows.at(-1)?.actor).toEqual({ type: 'slack', teamId: OTHER_TEAM, userId: USERS.bob.id });
  });

  it('the lead’s id from another workspace cannot abort, and cannot read the status', async () => {
    const abort = await commandFromOtherTeam('abort we are done here');
    expect(abort.replies).toContain('another Slack workspace');
    expect((await upgrade())?.state.status).toBe('active');
    const status = await commandFromOtherTeam('status');
    expect(status.replies).toContain('another Slack workspace');
    expect(
      (await refusals()).filter((r) => r.detail.rule === 'OTHER_WORKSPACE').length,
    ).toBeGreaterThanOrEqual(3);
  });

  it('another workspace’s list and App Home do not show this upgrade', async () => {
    const list = await commandFromOtherTeam('list', 'CELSEWHERE');
    expect(list.replies).not.toContain(channelId);
    const own = await h.command(USERS.carol.id, 'list', 'CELSEWHERE');
    expect(own.replies().join('\n')).toContain(channelId);
    const publishes = h.fake.callsTo('views.publish').length;
    await postToApp(
      h.eventsUrl,
      eventBody({
        teamId: OTHER_TEAM,
        event: { type: 'app_home_opened', user: USERS.carol.id, tab: 'home' },
      }),
      { signingSecret: SIGNING_SECRET, contentType: 'application/json' },
    );
    await h.settle();
    const published = h.fake.callsTo('views.publish').slice(publishes);
    expect(published).toHaveLength(1);
    expect(JSON.stringify(published[0]?.args)).not.toContain(channelId);
  });

  it('a membership event from another workspace changes no participant', async () => {
    const before = await listParticipants(h.bot.database.db, upgradeId);
    await postToApp(
      h.eventsUrl,
      eventBody({
        teamId: OTHER_TEAM,
        event: { type: 'member_left_channel', user: USERS.bob.id, channel: channelId },
      }),
      { signingSecret: SIGNING_SECRET, contentType: 'application/json' },
    );
    await h.settle();
    expect(await listParticipants(h.bot.database.db, upgradeId)).toEqual(before);
    const refused = (await refusals()).filter((r) => r.detail.command === 'member-left');
    expect(refused).toHaveLength(1);
    expect(refused[0]?.detail.rule).toBe('OTHER_WORKSPACE');
  });

  it('a modal from another workspace’s click is not opened, and the click is audited', async () => {
    const opened = h.fake.callsTo('views.open').length;
    const click = await clickFromOtherTeam('step:prep.window', 'step.problem');
    expect(h.fake.callsTo('views.open')).toHaveLength(opened);
    expect(click.replies).toContain('nothing was changed');
  });
});
