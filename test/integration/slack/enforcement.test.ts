import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTrail } from '../../../src/db/repositories/audit.js';
import { findUpgradeByChannel } from '../../../src/db/repositories/upgrades.js';
import { type OrderingRule, planOf, type UpgradeState } from '../../../src/engine/index.js';
import { prerequisitesOf } from '../../support/engine.js';
import { finishByClicks, Harness, USERS } from '../../support/harness.js';

/** Steps `target` needs, minus `withheld` and whatever builds on it. */
function neededExcept(state: UpgradeState, target: string, withheld: string): string[] {
  const plan = planOf(state);
  const blocked = new Set([withheld]);
  for (const step of plan.steps)
    if (step.prerequisites.some((p) => blocked.has(p.step))) blocked.add(step.key);
  return prerequisitesOf(state, target).filter((k) => !blocked.has(k));
}

const CASES: { rule: OrderingRule; command: string; target: string; withheld: string }[] = [
  { rule: 'BACKUP_FIRST', command: 'start sync', target: 'a.break', withheld: 'a.backup' },
  { rule: 'SYNC_BEFORE_BREAK', command: 'start async', target: 'a.break', withheld: 'a.sync' },
  { rule: 'BASE_BEFORE_SITE', command: 'start single', target: 'a.update.site', withheld: 'a.update.base' },
  {
    rule: 'BACKUP_AFTER_BASE',
    command: 'start manual',
    target: 'a.update.site',
    withheld: 'a.update.backup-after-base',
  },
  {
    rule: 'CERT_STORES_BEFORE_SITE',
    command: 'start single',
    target: 'a.update.site',
    withheld: 'prep.cert-stores',
  },
  { rule: 'FIRST_APPLIANCE', command: 'start async', target: 'b.promote', withheld: 'b.verify' },
  { rule: 'VERIFY_BEFORE_NEXT', command: 'start single', target: 'clients.consoles', withheld: 'a.verify' },
  { rule: 'KEYS_BEFORE_ESTABLISH', command: 'start sync --method auto', target: 'a.establish', withheld: '' },
  {
    rule: 'BOTH_BEFORE_ESTABLISH',
    command: 'start async --method auto',
    target: 'b.establish',
    withheld: 'a.verify',
  },
  { rule: 'HW_ORDER', command: 'start hardware', target: 'new.cert-import', withheld: 'old.cert-export' },
  { rule: 'PROCEDURE_ORDER', command: 'start manual', target: 'a.update.base', withheld: 'a.update.fetch' },
];

describe('the bot enforces the runbook in the channel', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());

  async function startUpgrade(command: string) {
    await h.command(USERS.alice.id, `${command} <@${USERS.bob.id}>`);
    const channelId = h.upgradeChannel();
    const upgrade = await findUpgradeByChannel(h.bot.database.db, channelId);
    if (!upgrade) throw new Error('not started');
    return { channelId, upgrade };
  }

  it.each(CASES)(
    'an out-of-order click breaking $rule is refused to the clicker, naming the rule',
    async ({ rule, command, target, withheld }) => {
      const { upgrade } = await startUpgrade(command);
      const needed = withheld
        ? neededExcept(upgrade.state, target, withheld)
        : prerequisitesOf(upgrade.state, target);
      await finishByClicks(h, needed, planOf(upgrade.state));
      const before = await findUpgradeByChannel(h.bot.database.db, h.upgradeChannel());
      const click = await h.clickStep(USERS.alice.id, target);
      const replies = click.replies();
      expect(replies).toHaveLength(1);
      expect(replies[0]).toContain(rule);
      expect(replies[0]).toMatch(/Not yet/);
      const after = await findUpgradeByChannel(h.bot.database.db, h.upgradeChannel());
      expect(after?.version).toBe(before?.version);
      expect(h.fake.ephemerals()).toEqual([]);
    },
    60_000,
  );

  it('refuses a click from someone outside the upgrade channel, through the response_url', async () => {
    const { channelId, upgrade } = await startUpgrade('start single');
    const click = await h.clickStep(USERS.mallory.id, 'prep.window');
    expect(click.replies().join()).toContain('NOT_PARTICIPANT');
    const after = await findUpgradeByChannel(h.bot.database.db, channelId);
    expect(after?.state.steps['prep.window']?.status).toBe('pending');
    const trail = await auditTrail(h.bot.database.db, upgrade.id);
    expect(trail.at(-1)).toMatchObject({ action: 'command-refused', detail: { rule: 'NOT_PARTICIPANT' } });
    // Joining the public channel by herself makes her an observer, not someone who can act.
    await h.event({
      type: 'member_joined_channel',
      user: USERS.mallory.id,
      channel: channelId,
      team: h.fake.teamId,
    });
    const observer = await h.clickStep(USERS.mallory.id, 'prep.window');
    expect(observer.replies().join()).toContain('NOT_PARTICIPANT');
    // Added to the channel by a participant, she is one.
    await h.event({
      type: 'member_joined_channel',
      user: USERS.mallory.id,
      channel: channelId,
      team: h.fake.teamId,
      inviter: USERS.alice.id,
    });
    const again = await h.clickStep(USERS.mallory.id, 'prep.window');
    expect(again.replies()).toEqual([]);
    expect(
      (await findUpgradeByChannel(h.bot.database.db, channelId))?.state.steps['prep.window']?.status,
    ).toBe('done');
  });

  it('holds a critical step for a second person, and keeps undo for the lead', async () => {
    const { channelId, upgrade } = await startUpgrade('start async');
    await finishByClicks(h, prerequisitesOf(upgrade.state, 'a.break'), planOf(upgrade.state));
    await h.clickStep(USERS.alice.id, 'a.break');
    expect(JSON.stringify(h.messageWithBlock(channelId, 'step:a.break').message.blocks)).toMatch(
      /waiting for a second person/i,
    );
    const twice = await h.clickStep(USERS.alice.id, 'a.break');
    expect(twice.replies().join()).toContain('second, different person');
    // A first confirmation made by mistake can be taken back by the lead, then given again.
    await h.clickStep(USERS.alice.id, 'a.break', 'step.undo');
    expect((await findUpgradeByChannel(h.bot.database.db, channelId))?.state.steps['a.break']?.status).toBe(
      'pending',
    );
    await h.clickStep(USERS.alice.id, 'a.break');
    await h.clickStep(USERS.bob.id, 'a.break');
    const state = (await findUpgradeByChannel(h.bot.database.db, channelId))?.state;
    expect(state?.steps['a.break']?.status).toBe('done');
    expect(h.channelTexts(channelId).some((t) => /failover is now off|failover.*off/i.test(t))).toBe(true);
    const undo = await h.clickStep(USERS.bob.id, 'a.break', 'step.undo');
    expect(undo.replies().join()).toContain('LEAD_ONLY');
  });

  it('a problem on a base update posts the support guidance and holds the upgrade', async () => {
    const { channelId, upgrade } = await startUpgrade('start manual');
    await finishByClicks(h, prerequisitesOf(upgrade.state, 'a.update.base'), planOf(upgrade.state));
    const opened = h.fake.callsTo('views.open').length;
    await h.clickStep(USERS.bob.id, 'a.update.base', 'step.problem');
    const view = h.fake.callsTo('views.open').at(opened)?.args.view as {
      callback_id: string;
      private_metadata: string;
    };
    expect(view.callback_id).toBe('problem.report');
    expect(JSON.stringify(view)).toContain('Do not restart the appliance');
    const response = await h.submitView(USERS.bob.id, 'problem.report', view.private_metadata, {
      description: { description: 'Base package 1.2 failed with error 17' },
    });
    expect(response.status).toBe(200);
    expect(h.channelTexts(channelId).join('\n')).toContain(
      'Do not restart the appliance; contact BeyondTrust Technical Support',
    );
    const held = await h.clickStep(USERS.alice.id, 'a.update.base');
    expect(held.replies().join()).toContain('UPGRADE_BLOCKED');
    await h.command(USERS.alice.id, 'resolve support case 12345: package reinstalled by support', channelId);
    const after = await findUpgradeByChannel(h.bot.database.db, channelId);
    expect(after?.status).toBe('active');
    expect(after?.state.problems[0]?.resolution).toBe('support case 12345: package reinstalled by support');
  });

  it('a skip asks for the reason in a modal; an empty reason is answered inside the modal', async () => {
    const { channelId } = await startUpgrade('start single');
    await h.clickStep(USERS.bob.id, 'prep.test-env', 'step.skip');
    const view = h.fake.callsTo('views.open').at(-1)?.args.view as {
      callback_id: string;
      private_metadata: string;
    };
    expect(view.callback_id).toBe('skip.reason');
    const empty = await h.submitView(USERS.bob.id, 'skip.reason', view.private_metadata, {
      reason: { reason: ' ' },
    });
    expect(JSON.parse(empty.body)).toMatchObject({ response_action: 'errors' });
    await h.submitView(USERS.bob.id, 'skip.reason', view.private_metadata, {
      reason: { reason: 'no test appliance in this region' },
    });
    const state = (await findUpgradeByChannel(h.bot.database.db, channelId))?.state;
    expect(state?.steps['prep.test-env']).toMatchObject({
      status: 'skipped',
      skipReason: 'no test appliance in this region',
    });
  });
});
