import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTrail } from '../../../src/db/repositories/audit.js';
import { listParticipants } from '../../../src/db/repositories/participants.js';
import { findUpgradeByChannel } from '../../../src/db/repositories/upgrades.js';
import { auditEvents } from '../../../src/db/schema.js';
import { Harness, USERS } from '../../support/harness.js';

// Nobody is locked out: the lead stays lead, watchers learn how to take part, participants add people.
describe('nobody is locked out', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());

  const fresh = async (ticket: string) => {
    await h.command(USERS.alice.id, `start single --ticket ${ticket} <@${USERS.bob.id}>`);
    const channelId = h.upgradeChannel();
    const upgrade = await findUpgradeByChannel(h.bot.database.db, channelId);
    if (!upgrade) throw new Error('not started');
    return { channelId, upgradeId: upgrade.id };
  };
  const membership = (type: 'member_joined_channel' | 'member_left_channel', user: string, channel: string) =>
    h.event({ type, user, channel });

  it('the lead who leaves and joins again is still lead and a participant, and can still abort', async () => {
    const { channelId, upgradeId } = await fresh('LEAD1');
    await membership('member_left_channel', USERS.alice.id, channelId);
    expect(await listParticipants(h.bot.database.db, upgradeId)).toContain(USERS.alice.id);
    await membership('member_joined_channel', USERS.alice.id, channelId);
    expect(await listParticipants(h.bot.database.db, upgradeId)).toContain(USERS.alice.id);
    await h.command(USERS.alice.id, 'abort change window cancelled', channelId);
    expect((await findUpgradeByChannel(h.bot.database.db, channelId))?.state.status).toBe('aborted');
  });

  it('a watcher’s refusal says exactly how to take part; a participant adds them; then they can act', async () => {
    const { channelId, upgradeId } = await fresh('ADD1');
    await membership('member_joined_channel', USERS.carol.id, channelId);
    const refused = (await h.clickStep(USERS.carol.id, 'prep.window')).replies().join('\n');
    expect(refused).toContain('/pra-upgrade add @you');
    expect(refused).not.toContain('join the channel');

    const invites = h.fake.callsTo('conversations.invite').length;
    const added = (
      await h.command(USERS.bob.id, `add <@${USERS.carol.id}> <@${USERS.mallory.id}>`, channelId)
    )
      .replies()
      .join('\n');
    expect(added).toContain('can now act on this upgrade');
    expect(await listParticipants(h.bot.database.db, upgradeId)).toEqual(
      expect.arrayContaining([USERS.carol.id, USERS.mallory.id]),
    );
    const invite = h.fake.callsTo('conversations.invite').slice(invites);
    expect(invite).toHaveLength(1);
    expect(invite[0]?.args).toMatchObject({
      channel: channelId,
      users: `${USERS.carol.id},${USERS.mallory.id}`,
    });
    const audit = await h.bot.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.upgradeId, upgradeId), eq(auditEvents.action, 'participants-added')));
    expect(audit.at(-1)?.detail).toMatchObject({ userIds: [USERS.carol.id, USERS.mallory.id] });
    expect(audit.at(-1)?.actor).toMatchObject({ userId: USERS.bob.id });
    expect(h.channelTexts(channelId).join('\n')).toContain('added');

    await h.clickStep(USERS.carol.id, 'prep.window');
    expect(
      (await findUpgradeByChannel(h.bot.database.db, channelId))?.state.steps['prep.window']?.status,
    ).toBe('done');
  });

  it('an invite Slack could not take is retried after its pause, not lost', async () => {
    const { channelId, upgradeId } = await fresh('ADD3');
    const invites = h.fake.callsTo('conversations.invite').length;
    h.fake.injectFault('conversations.invite', { status: 503 });
    const added = (await h.command(USERS.bob.id, `add <@${USERS.carol.id}>`, channelId)).replies().join('\n');
    expect(added).toContain('can now act on this upgrade');
    const tried = () => h.fake.callsTo('conversations.invite').slice(invites);
    expect(tried().map((c) => c.status)).toEqual([503]);
    const failed = (await auditTrail(h.bot.database.db, upgradeId)).filter(
      (a) => a.action === 'slack-call-failed',
    );
    expect(failed.at(-1)?.detail).toMatchObject({ method: 'conversations.invite', outcome: 'will retry' });
    h.clock.advance({ seconds: 10 });
    await h.settle();
    expect(tried().map((c) => c.status)).toEqual([503, 200]);
    expect(tried()[1]?.args).toMatchObject({ channel: channelId, users: USERS.carol.id });
  });

  it('a watcher cannot add people, and add works only in an upgrade channel', async () => {
    const { channelId, upgradeId } = await fresh('ADD2');
    await membership('member_joined_channel', USERS.carol.id, channelId);
    const refused = (await h.command(USERS.carol.id, `add <@${USERS.carol.id}>`, channelId))
      .replies()
      .join('\n');
    expect(refused).toContain('Only participants of this upgrade can add people');
    expect(await listParticipants(h.bot.database.db, upgradeId)).not.toContain(USERS.carol.id);
    const elsewhere = (await h.command(USERS.bob.id, `add <@${USERS.carol.id}>`, 'CGENERAL'))
      .replies()
      .join('\n');
    expect(elsewhere).toContain("add works in an upgrade's own channel");
    const nobody = (await h.command(USERS.bob.id, 'add carol', channelId)).replies().join('\n');
    expect(nobody).toContain('mention the people to add');
  });

  it('when the last participant besides the lead leaves, the channel is told; hand-over stays possible', async () => {
    const { channelId, upgradeId } = await fresh('LAST1');
    await membership('member_left_channel', USERS.bob.id, channelId);
    expect(await listParticipants(h.bot.database.db, upgradeId)).toEqual([USERS.alice.id]);
    expect(h.channelTexts(channelId).join('\n')).toContain('was the last participant besides the lead');
    await h.command(USERS.alice.id, `add <@${USERS.carol.id}>`, channelId);
    await h.command(USERS.alice.id, `lead <@${USERS.carol.id}>`, channelId);
    expect((await findUpgradeByChannel(h.bot.database.db, channelId))?.state.lead).toBe(USERS.carol.id);
  });
});
