import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTrail } from '../../../src/db/repositories/audit.js';
import { findUpgradeByChannel } from '../../../src/db/repositories/upgrades.js';
import { auditEvents } from '../../../src/db/schema.js';
import { planOf, type UpgradeState } from '../../../src/engine/index.js';
import { startLinkedHarness } from '../../support/appliances.js';
import { prerequisitesOf } from '../../support/engine.js';
import { finishByClicks, USERS } from '../../support/harness.js';

type Lab = Awaited<ReturnType<typeof startLinkedHarness>>;

describe('when the appliances disagree or cannot be asked', () => {
  let lab: Lab;
  let channelId: string;
  beforeAll(async () => {
    lab = await startLinkedHarness({ timeoutSeconds: 1 });
  });
  afterAll(() => lab.stop());

  const state = async (): Promise<UpgradeState> => {
    const upgrade = await findUpgradeByChannel(lab.h.bot.database.db, channelId);
    if (!upgrade) throw new Error('no upgrade');
    return upgrade.state;
  };
  /** What the channel shows of a step: its text while open, its one line (with the menu) once done. */
  const stepText = (key: string) => {
    const open = lab.h.fake
      .messages(channelId)
      .some((m) =>
        ((m.blocks ?? []) as { block_id?: string }[]).some((b) => b.block_id === `step-text:${key}`),
      );
    return JSON.stringify(lab.h.messageWithBlock(channelId, open ? `step-text:${key}` : `step:${key}`).block);
  };
  /** Clicks the not-yet-done prerequisites of a step. */
  const prepareFor = async (key: string) => {
    const current = await state();
    const open = prerequisitesOf(current, key).filter((k) => current.steps[k]?.status !== 'done');
    await finishByClicks(lab.h, open, planOf(current));
  };

  it('a start on a pair the wrong way round says what the appliances report and creates nothing', async () => {
    const { h, a, b } = lab;
    a.set({ role: 'backup' });
    b.set({ role: 'primary' });
    const refused = await h.command(USERS.alice.id, 'start async --a pra-a --b pra-b');
    const reply = refused.replies().join('\n');
    expect(reply).toContain('A (pra-a) reports failover role backup and B (pra-b) reports primary');
    expect(reply).toContain('start again with --a pra-b --b pra-a');
    expect(h.fake.callsTo('conversations.create')).toHaveLength(0);
    a.set({ role: 'primary' });
    b.set({ role: 'backup' });
    await h.command(USERS.alice.id, `start async --a pra-a --b pra-b --to 24.1.2 <@${USERS.bob.id}>`);
    channelId = h.upgradeChannel();
    expect((await state()).linked?.names).toEqual({ a: 'pra-a', b: 'pra-b' });
  });

  it('Sync Now is refused until A reports a sync newer than the step, with what A reported', async () => {
    const { h, a } = lab;
    await prepareFor('a.sync');
    a.sync(new Date(lab.now().getTime() - 3_600_000));
    h.clock.advance({ minutes: 5 });
    const refused = await h.clickStep(USERS.alice.id, 'a.sync');
    expect(refused.replies().join()).toContain('APPLIANCE_STATE');
    expect(refused.replies().join()).toMatch(/A \(pra-a\) last synced at .* before this step was opened/);
    expect(stepText('a.sync')).toContain('❌');
    expect((await state()).steps['a.sync']?.status).toBe('pending');
    h.clock.advance({ minutes: 1 });
    a.sync(lab.now());
    h.clock.advance({ minutes: 1 });
    await h.clickStep(USERS.alice.id, 'a.sync');
    expect((await state()).steps['a.sync']?.status).toBe('done');
    expect(stepText('a.sync')).toContain('Confirmed by the appliance: A (pra-a) synced at');
  });

  it('Break Failover is refused while A still reports a failover role', async () => {
    const { h, a, b } = lab;
    await prepareFor('a.break');
    const refused = await h.clickStep(USERS.alice.id, 'a.break');
    expect(refused.replies().join()).toContain(
      'A (pra-a) reports failover role primary and B (pra-b) reports failover role backup: failover is still configured',
    );
    a.set({ role: 'none' });
    b.set({ role: 'none' });
    await h.clickStep(USERS.alice.id, 'a.break');
    await h.clickStep(USERS.bob.id, 'a.break');
    expect((await state()).steps['a.break']?.status).toBe('done');
  });

  it('the site update is refused while B still reports the old version', async () => {
    const { h } = lab;
    await prepareFor('b.update.site');
    const refused = await h.clickStep(USERS.alice.id, 'b.update.site');
    expect(refused.replies().join()).toContain('B (pra-b) still reports 23.3.1 (4123), not 24.1.2');
    const trail = await auditTrail(
      h.bot.database.db,
      (await findUpgradeByChannel(h.bot.database.db, channelId))?.id ?? '',
    );
    expect(trail.some((e) => e.action === 'command-refused' && e.detail.rule === 'APPLIANCE_STATE')).toBe(
      true,
    );
  });

  it.each([
    [
      '401',
      (lab: Lab) => {
        lab.b.faults.auth = '401';
      },
      /refused the bot's token twice/,
    ],
    [
      '403',
      (lab: Lab) => {
        lab.b.faults.auth = '403';
      },
      /lacks the Command API permission/,
    ],
    [
      '429',
      (lab: Lab) => {
        lab.b.faults.rateLimited = { retryAfterSeconds: 60, times: 5 };
      },
      /rate limiting the API account.*60 s/,
    ],
    [
      'timeout',
      (lab: Lab) => {
        lab.b.faults.delayMs = 1500;
      },
      /no answer within 1 s/,
    ],
    [
      'unreachable',
      (lab: Lab) => {
        lab.b.faults.down = true;
      },
      /cannot be reached/,
    ],
  ])('%s: the person is told why and offered Confirm anyway', async (_, fault, why) => {
    const { h, b } = lab;
    fault(lab);
    const refused = await h.clickStep(USERS.alice.id, 'b.update.site');
    b.faults = {
      auth: 'ok',
      badCredentials: false,
      rateLimited: null,
      delayMs: 0,
      commandError: null,
      down: false,
      remaining: null,
    };
    const reply = refused.replies().join();
    expect(reply).toContain('APPLIANCE_UNREACHABLE');
    expect(reply).toMatch(why);
    const { block } = h.messageWithBlock(channelId, 'step:b.update.site');
    expect(block.elements?.map((e) => e.action_id)).toContain('step.override');
    expect((await state()).steps['b.update.site']?.status).toBe('pending');
  });

  it('shows the step as being checked while the appliance is slow, then the override with its reason', async () => {
    const { h, b } = lab;
    b.faults.delayMs = 1500;
    await h.clickStep(USERS.alice.id, 'b.update.site');
    const updates = JSON.stringify(h.fake.callsTo('chat.update').map((c) => c.args));
    expect(updates).toContain('Checking with the appliance');
    const opened = h.fake.callsTo('views.open').length;
    await h.clickStep(USERS.bob.id, 'b.update.site', 'step.override');
    const view = h.fake.callsTo('views.open').at(opened)?.args.view as {
      callback_id: string;
      private_metadata: string;
    };
    expect(view.callback_id).toBe('step.override.reason');
    await h.submitView(USERS.bob.id, 'step.override.reason', view.private_metadata, {
      reason: { reason: 'Checked /appliance: B runs 24.1.2 (5123); its API is slow today' },
    });
    b.faults.delayMs = 0;
    const done = await state();
    expect(done.steps['b.update.site']).toMatchObject({
      status: 'done',
      verified: {
        outcome: 'overridden',
        by: USERS.bob.id,
        reason: 'Checked /appliance: B runs 24.1.2 (5123); its API is slow today',
      },
    });
    expect(stepText('b.update.site')).toContain('Confirmed without the appliance by');
    expect(h.channelTexts(channelId).join('\n')).toContain('without the appliance');
    const trail = await auditTrail(
      h.bot.database.db,
      (await findUpgradeByChannel(h.bot.database.db, channelId))?.id ?? '',
    );
    expect(trail.filter((e) => e.action === 'verification-overridden')).toHaveLength(1);
    expect(
      trail.some((e) => e.action === 'appliance-queried' && JSON.stringify(e.detail).includes('timeout')),
    ).toBe(true);
  });

  it('hardware: --old and --new link the current and the new appliance, --to without links is refused', async () => {
    const { h } = lab;
    const unlinked = await h.command(USERS.alice.id, 'start single --a pra-z.example.com --to 24.1.2');
    expect(unlinked.replies().join()).toContain('no appliance named here is in the appliances file');
    await h.command(USERS.alice.id, 'start hardware --old pra-a --new pra-b --to 24.1.2');
    const hardware = await findUpgradeByChannel(h.bot.database.db, h.upgradeChannel());
    expect(hardware?.state.linked?.names).toEqual({ old: 'pra-a', new: 'pra-b' });
    expect(hardware?.state.linked?.targetVersion).toBe('24.1.2');
    expect(Object.keys(hardware?.state.linked?.recorded ?? {}).sort()).toEqual(['new', 'old']);
  });

  it('never stores or sends a secret', async () => {
    const { h, a, b } = lab;
    const everything = JSON.stringify({
      audit: await h.bot.database.db.select().from(auditEvents),
      state: await state(),
      slack: h.fake.calls,
      responses: h.fake.responses,
    });
    for (const secret of [a.clientSecret, b.clientSecret]) expect(everything).not.toContain(secret);
  });
});
