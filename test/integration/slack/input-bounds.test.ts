import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUpgradeByChannel } from '../../../src/db/repositories/upgrades.js';
import { Harness, USERS } from '../../support/harness.js';

// Every out-of-range value is refused with the allowed range, and changes nothing.
describe('bounded input over Slack', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());

  it('start --gap-limit P300000Y is refused with the range; nothing is created', async () => {
    const before = h.fake.callsTo('conversations.create').length;
    for (const limit of ['P300000Y', 'PT1S', 'P100Y']) {
      const reply = (await h.command(USERS.alice.id, `start sync --gap-limit ${limit}`)).replies().join('\n');
      expect(reply).toContain('--gap-limit must be between 15 minutes and 30 days');
    }
    expect(h.fake.callsTo('conversations.create')).toHaveLength(before);
  });

  it('start --base-only=yes means yes; --base-only=maybe is refused', async () => {
    await h.command(USERS.alice.id, 'start single --base-only=yes --ticket BASEYES');
    const upgrade = await findUpgradeByChannel(h.bot.database.db, h.upgradeChannel());
    expect(upgrade?.state.options.baseOnly).toBe(true);
    const before = h.fake.callsTo('conversations.create').length;
    const reply = (await h.command(USERS.alice.id, 'start single --base-only=maybe')).replies().join('\n');
    expect(reply).toContain('--base-only takes one of on, off, true, false, yes, no, 1, 0');
    expect(h.fake.callsTo('conversations.create')).toHaveLength(before);
  });

  it('a window more than a year ahead, or longer than a day, is refused with the limit', async () => {
    await h.command(USERS.alice.id, `start single --ticket WIN1 <@${USERS.bob.id}>`);
    const channelId = h.upgradeChannel();
    const year = h.clock.now().year;
    const far = (
      await h.command(USERS.alice.id, `window a ${year + 2}-01-10 22:00 UTC`, channelId)
    ).replies();
    expect(far.join('\n')).toContain('must start within 1 year');
    const long = (
      await h.command(USERS.alice.id, `window a ${year}-12-20 22:00 UTC 3d`, channelId)
    ).replies();
    expect(long.join('\n')).toContain('A maintenance window must be between 15 minutes and 24 hours');
    const state = (await findUpgradeByChannel(h.bot.database.db, channelId))?.state;
    expect(state?.windows).toEqual({});
  });

  it('an abort reason past 500 characters is refused with the limit', async () => {
    await h.command(USERS.alice.id, `start single --ticket LONG1 <@${USERS.bob.id}>`);
    const channelId = h.upgradeChannel();
    const reply = (await h.command(USERS.alice.id, `abort ${'x'.repeat(501)}`, channelId)).replies();
    expect(reply.join('\n')).toContain('keep the reason to at most 500 characters');
    expect((await findUpgradeByChannel(h.bot.database.db, channelId))?.state.status).toBe('active');
  });

  it('a skip reason past the modal’s limit is answered inside the modal', async () => {
    await h.command(USERS.alice.id, `start single --ticket LONG2 <@${USERS.bob.id}>`);
    const channelId = h.upgradeChannel();
    await h.clickStep(USERS.bob.id, 'prep.test-env', 'step.skip');
    const view = h.fake.callsTo('views.open').at(-1)?.args.view as { private_metadata: string };
    const response = await h.submitView(USERS.bob.id, 'skip.reason', view.private_metadata, {
      reason: { reason: 'y'.repeat(501) },
    });
    expect(JSON.parse(response.body)).toEqual({
      response_action: 'errors',
      errors: { reason: 'Please keep why this step is skipped to at most 500 characters (this is 501).' },
    });
    const state = (await findUpgradeByChannel(h.bot.database.db, channelId))?.state;
    expect(state?.steps['prep.test-env']?.status).toBe('pending');
  });
});
