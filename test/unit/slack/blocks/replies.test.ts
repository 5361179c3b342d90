import { describe, expect, it } from 'vitest';
import { ORDERING_RULE_REASONS, type Refusal, transition } from '../../../../src/engine/index.js';
import { HELP_TEXT } from '../../../../src/slack/blocks/index.js';
import { allText, assertWithinSlackLimits, buttonsOf } from '../../../support/block-kit.js';
import {
  ASYNC,
  hostileSnapshot,
  LEAD,
  OTHER_ID,
  progressStates,
  renderer,
  SECOND,
  snapshotOf,
  startWith,
  T0,
  UPGRADE_ID,
} from '../../../support/blocks.js';
import {
  apply,
  finishSteps,
  finishThrough,
  person,
  prerequisitesOf,
  refusalOf,
} from '../../../support/engine.js';

const NOW = T0.plus({ hours: 2 });

function refusalReply(refusal: Refusal, snapshot = snapshotOf(startWith('async', ASYNC))) {
  const message = renderer.reply({ kind: 'refusal', refusal }, { snapshot, upgrades: [] }, NOW);
  assertWithinSlackLimits(message);
  return message;
}

describe('refusal replies', () => {
  it('says "Not yet", names the rule and lists the missing steps by title', () => {
    const fresh = startWith('async', ASYNC);
    const refusal = refusalOf(fresh, { type: 'complete', actor: person(LEAD), step: 'a.break' });
    expect(refusal.rule).toBe('BACKUP_FIRST');
    const message = refusalReply(refusal, snapshotOf(fresh));
    const text = allText(message);
    expect(message.text.startsWith('✋ *Not yet:*')).toBe(true);
    // The rule in words in the sentence, its code once, in the small context line at the end.
    expect(message.text).toContain(ORDERING_RULE_REASONS.BACKUP_FIRST);
    expect(message.text).not.toContain('BACKUP_FIRST');
    expect(text.split('BACKUP_FIRST')).toHaveLength(2);
    expect(message.blocks.at(-1)).toMatchObject({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'Rule `BACKUP_FIRST`' }],
    });
    expect(text).toContain('*Still to do first:*\n• “Schedule two maintenance windows”');
    expect(text).toContain('• “Back up the Vault encryption key”');
    expect(text).toContain('• “Sync Now on A”');
  });

  it('names a missing check on a step', () => {
    const fresh = startWith('async', ASYNC);
    const before = finishSteps(fresh, prerequisitesOf(fresh, 'b.establish')).state;
    const refusal = refusalOf(before, { type: 'complete', actor: person(LEAD), step: 'b.establish' });
    expect(refusal.rule).toBe('KEYS_BEFORE_ESTABLISH');
    const text = allText(refusalReply(refusal, snapshotOf(before)));
    expect(text.split('KEYS_BEFORE_ESTABLISH')).toHaveLength(2);
    expect(text).toContain(ORDERING_RULE_REASONS.KEYS_BEFORE_ESTABLISH);
    expect(text).toContain(
      '“Inter-appliance keys, product version and build, and SSL certificates match” must be confirmed on “Re-establish failover from B',
    );
  });

  it('words a repeated click gently', () => {
    const done = finishThrough(startWith('async', ASYNC), 'a.backup').state;
    const refusal = refusalOf(done, { type: 'complete', actor: person(SECOND), step: 'a.backup' });
    expect(refusal.duplicate).toBe(true);
    const message = refusalReply(refusal, snapshotOf(done));
    expect(message.text).toMatch(/^👌 \*Already done:\* “Download Backup on A” is already done by <@ULEAD>/);
    expect(allText(message).split('ALREADY_DONE')).toHaveLength(2);
  });

  it('names non-ordering rules too, and keeps the engine’s mentions while escaping the rest', () => {
    const done = finishThrough(startWith('async', ASYNC), 'a.backup').state;
    const refusal = refusalOf(done, { type: 'undo', actor: person(SECOND), step: 'a.backup' });
    expect(refusal.rule).toBe('LEAD_ONLY');
    const message = refusalReply(refusal, snapshotOf(done));
    expect(message.text).toContain('<@ULEAD>');
    expect(message.text).not.toContain('LEAD_ONLY');
    expect(allText(message).split('LEAD_ONLY')).toHaveLength(2);
    const hostile = refusalReply({
      rule: 'INVALID_INPUT',
      message: '“<script>” & <@U1> is not a zone',
      missing: [],
      duplicate: false,
    });
    expect(hostile.text).toContain('“&lt;script&gt;” &amp; <@U1> is not a zone');
  });

  it('answers even without a snapshot', () => {
    const message = renderer.reply(
      {
        kind: 'refusal',
        refusal: {
          rule: 'VERIFY_BEFORE_NEXT',
          message: 'Verify A first.',
          missing: ['a.verify'],
          duplicate: false,
        },
      },
      { snapshot: null, upgrades: [] },
      NOW,
    );
    assertWithinSlackLimits(message);
    expect(allText(message)).toContain('Rule `VERIFY_BEFORE_NEXT`');
  });
});

describe('other replies', () => {
  it('help lists every command and option', () => {
    const message = renderer.reply({ kind: 'help' }, { snapshot: null, upgrades: [] }, NOW);
    assertWithinSlackLimits(message);
    const text = allText({ blocks: message.blocks });
    for (const word of [
      'start <single|manual|sync|async|hardware>',
      '--a <host>',
      '--b <host>',
      '--method auto|manual',
      '--method-a',
      '--method-b',
      '--switch shared-ip|dns|nat',
      '--base-only',
      '--ticket CHG123',
      '--window-a "2026-12-01 22:00"',
      '--window-b',
      '--tz Europe/Amsterdam',
      '--gap-limit 2d',
      'PT48H',
      '/pra-upgrade status',
      '/pra-upgrade list',
      'window a|b <YYYY-MM-DD> <HH:MM> [zone] [length e.g. 2h]',
      'set method-a|method-b auto|manual',
      'set switch shared-ip|dns|nat',
      'set base-only on|off',
      'lead @user',
      'abort <reason>',
      'resolve [#n]',
      '/pra-upgrade help',
    ]) {
      expect(HELP_TEXT, word).toContain(word);
      expect(text.replace(/&lt;/g, '<').replace(/&gt;/g, '>'), word).toContain(word);
    }
  });

  it('passes text through, split to fit', () => {
    const long = Array.from({ length: 200 }, (_, i) => `line ${i} of the answer`).join('\n');
    const message = renderer.reply({ kind: 'text', text: long }, { snapshot: null, upgrades: [] }, NOW);
    assertWithinSlackLimits(message);
    expect(message.blocks.length).toBeGreaterThan(1);
    expect(allText({ blocks: message.blocks })).toContain('line 199 of the answer');
  });

  it('escapes stray control characters in text but keeps mentions and links', () => {
    const message = renderer.reply(
      { kind: 'text', text: 'Zone “<x>” & <@U1>, see <https://example.com/a|the docs>' },
      { snapshot: null, upgrades: [] },
      NOW,
    );
    assertWithinSlackLimits(message);
    expect(message.text).toBe('Zone “&lt;x&gt;” &amp; <@U1>, see <https://example.com/a|the docs>');
    assertWithinSlackLimits(
      renderer.reply({ kind: 'text', text: '' }, { snapshot: null, upgrades: [] }, NOW),
    );
  });

  it('says who can act now after `add`, and who already could, as mentions', () => {
    const data = { snapshot: null, upgrades: [] };
    const both = renderer.reply(
      { kind: 'participants-added', added: ['UCAROL', 'UDAVE'], already: ['UBOB'] },
      data,
      NOW,
    );
    assertWithinSlackLimits(both);
    expect(both.text).toBe('✅ <@UCAROL> and <@UDAVE> can now act on this upgrade. <@UBOB> already could.');
    const none = renderer.reply({ kind: 'participants-added', added: [], already: ['UBOB'] }, data, NOW);
    expect(none.text).toBe('<@UBOB> already could.');
    // An id that is not one cannot break out of its mention.
    const odd = renderer.reply(
      { kind: 'participants-added', added: ['U1> <!channel'], already: [] },
      data,
      NOW,
    );
    expect(odd.text).toBe('✅ <@U1channel> can now act on this upgrade.');
  });

  it('points a repeated start at the channel being set up, or the name asked for until Slack made it', () => {
    const reply = {
      kind: 'already-starting',
      upgradeId: OTHER_ID,
      plan: 'manual',
      ticket: 'CHG-<!channel>',
    } as const;
    const made = snapshotOf(startWith('async', ASYNC), {
      channelId: 'C0FIRST',
    });
    const inChannel = renderer.reply(reply, { snapshot: made, upgrades: [] }, NOW);
    assertWithinSlackLimits(inChannel);
    expect(inChannel.text).toBe(
      'Your `manual` upgrade for CHG-&lt;!channel&gt; is already being set up in <#C0FIRST>; its runbook appears there in a moment. Nothing new was started.',
    );
    const asked = renderer.reply(
      reply,
      { snapshot: { ...made, channelId: null, channelName: 'pra-manual-chg' }, upgrades: [] },
      NOW,
    );
    expect(asked.text).toContain('being set up in #pra-manual-chg;');
    const neither = renderer.reply({ ...reply, ticket: null }, { snapshot: null, upgrades: [] }, NOW);
    expect(neither.text).toBe(
      'Your `manual` upgrade is already being set up in its own channel; its runbook appears there in a moment. Nothing new was started.',
    );
  });

  it('points a start of a change already open at its channel and lead, and says how to go on to who asked', () => {
    const reply = {
      kind: 'already-open',
      upgradeId: OTHER_ID,
      plan: 'async',
      ticket: 'CHG-<!here>',
      askedBy: 'UOUTSIDER',
    } as const;
    const open = snapshotOf(startWith('async', ASYNC), { channelId: 'C0OPEN' });
    const inChannel = renderer.reply(reply, { snapshot: open, upgrades: [] }, NOW);
    assertWithinSlackLimits(inChannel);
    expect(inChannel.text).toBe(
      `An upgrade of the same change is already open: \`async\` for CHG-&lt;!here&gt; in <#C0OPEN>, led by <@${LEAD}>. Nothing new was started. Carry on there (a participant can make you one with \`/pra-upgrade add\`); to start over, the lead ends it there first with \`/pra-upgrade abort &lt;reason&gt;\`.`,
    );
    // Its lead, or one of its participants, is told so rather than how to be added.
    const byLead = renderer.reply({ ...reply, askedBy: LEAD }, { snapshot: open, upgrades: [] }, NOW);
    expect(byLead.text).toContain(
      `led by <@${LEAD}>. Nothing new was started. You lead it: carry on there; to start over`,
    );
    const byParticipant = renderer.reply(
      { ...reply, askedBy: SECOND },
      { snapshot: open, upgrades: [] },
      NOW,
    );
    expect(byParticipant.text).toContain(
      'Nothing new was started. You are a participant there: carry on there; to start',
    );
    const settingUp = renderer.reply(
      { ...reply, ticket: null },
      { snapshot: { ...open, channelId: null, channelName: 'pra-async-chg' }, upgrades: [] },
      NOW,
    );
    expect(settingUp.text).toContain('already open: `async` in #pra-async-chg, being set up, led by');
    const gone = renderer.reply(reply, { snapshot: null, upgrades: [] }, NOW);
    expect(gone.text).toBe(
      'An upgrade of the same change is already open: `async` for CHG-&lt;!here&gt;. Nothing new was started.',
    );
  });

  it('says why nothing was started: each problem escaped, settling upgrades linked to their channels', () => {
    const data = { snapshot: null, upgrades: [] };
    const invalid = renderer.reply(
      { kind: 'start-refused', problems: ['--window-a: not a date <x>', 'say which plan'], settling: [] },
      data,
      NOW,
    );
    assertWithinSlackLimits(invalid);
    expect(invalid.text).toBe('Nothing was started.\n• --window-a: not a date &lt;x&gt;\n• say which plan');
    const held = renderer.reply(
      {
        kind: 'start-refused',
        problems: [],
        settling: [
          {
            upgradeId: OTHER_ID,
            channelId: 'C0SETTLE',
            jumpClients: { pending: 3, total: 40, at: '2026-11-28T12:00:00.000Z' },
          },
          { upgradeId: UPGRADE_ID, channelId: null, jumpClients: null },
        ],
      },
      data,
      NOW,
    );
    assertWithinSlackLimits(held);
    expect(held.text).toContain(
      `Jump Clients are still coming back after <#C0SETTLE> (3 of 40 Jump Clients still waiting to upgrade, as the appliance reported <!date^${Math.floor(Date.parse('2026-11-28T12:00:00.000Z') / 1000)}^`,
    );
    expect(held.text).toContain(
      `and upgrade ${UPGRADE_ID}. Hold other upgrade work until they are all online`,
    );
    expect(held.text.startsWith('Nothing was started.\n• Jump Clients')).toBe(true);
  });

  it('says where a started upgrade lives', () => {
    const snapshot = snapshotOf(startWith('async', ASYNC));
    const set = renderer.reply({ kind: 'started', upgradeId: snapshot.id }, { snapshot, upgrades: [] }, NOW);
    assertWithinSlackLimits(set);
    expect(set.text).toContain('Your `async` upgrade');
    expect(set.text).toContain('is set up in <#C0UPGRADE>');
    const pending = renderer.reply(
      { kind: 'started', upgradeId: snapshot.id },
      { snapshot: { ...snapshot, channelId: null }, upgrades: [] },
      NOW,
    );
    expect(pending.text).toContain('being set up');
  });

  it('reports the status of an upgrade', () => {
    const blocked = progressStates('async', ASYNC).find((s) => s.name === 'blocked');
    if (!blocked) throw new Error('no blocked');
    for (const snapshot of [snapshotOf(blocked.state), hostileSnapshot(blocked.state)]) {
      const message = renderer.reply(
        { kind: 'status', upgradeId: snapshot.id },
        { snapshot, upgrades: [] },
        NOW,
      );
      assertWithinSlackLimits(message);
      const text = allText(message);
      expect(text).toContain('on hold');
      expect(text).toContain('0/31 steps');
      expect(text).toContain('<#C0UPGRADE>');
      expect(text).toContain('Open problems:');
      expect(text).toContain('*Failover*\non (not broken yet)');
    }
    const missing = renderer.reply({ kind: 'status', upgradeId: 'x' }, { snapshot: null, upgrades: [] }, NOW);
    expect(missing.text).toContain('No upgrade found');
  });

  it('lists active upgrades only, or says there are none', () => {
    const active = snapshotOf(finishThrough(startWith('async', ASYNC), 'a.backup').state);
    const completed = progressStates('single', {
      methodA: 'auto',
      methodB: null,
      switchMethod: null,
      baseOnly: false,
    }).find((s) => s.name === 'completed');
    if (!completed) throw new Error('no completed');
    const other = snapshotOf(completed.state, { id: OTHER_ID, ticket: 'CHG999' });
    const message = renderer.reply(
      { kind: 'list', teamId: 'T1' },
      { snapshot: null, upgrades: [active, other] },
      NOW,
    );
    assertWithinSlackLimits(message);
    const text = allText(message);
    expect(text).toContain('Failover pair, asynchronous');
    expect(text).toContain('<#C0UPGRADE>');
    expect(text).toContain('lead <@ULEAD>');
    expect(text).toMatch(/\d+\/31 steps/);
    expect(text).not.toContain('CHG999');
    const none = renderer.reply({ kind: 'list', teamId: 'T1' }, { snapshot: null, upgrades: [other] }, NOW);
    expect(none.text).toBe('No active upgrades.');
  });

  it('keeps a long list within limits', () => {
    const fresh = startWith('async', ASYNC);
    const many = Array.from({ length: 300 }, () => hostileSnapshot(fresh));
    assertWithinSlackLimits(
      renderer.reply({ kind: 'list', teamId: 'T1' }, { snapshot: null, upgrades: many }, NOW),
    );
  });

  it('a refused transition of the engine is always answerable', () => {
    const fresh = startWith('hardware', {
      methodA: 'manual',
      methodB: null,
      switchMethod: null,
      baseOnly: false,
    });
    for (const step of ['old.decommission', 'new.restore', 'new.verify', 'clients.settle']) {
      const result = transition(fresh, { type: 'complete', actor: person(LEAD), step }, T0);
      if (result.ok) throw new Error(`${step} accepted`);
      const message = refusalReply(result.refusal, snapshotOf(fresh));
      expect(allText(message).split(result.refusal.rule)).toHaveLength(2);
    }
    // Undoing what has dependants lists the steps in the way.
    const done = finishSteps(fresh, ['new.install', 'old.cert-export', 'new.cert-import']).state;
    const inWay = refusalOf(done, { type: 'undo', actor: person(LEAD), step: 'new.install' });
    expect(allText(refusalReply(inWay, snapshotOf(done)))).toContain(
      '*Undo these first:*\n• “Import the certificate on the new appliance”',
    );
    apply(done, { type: 'undo', actor: person(LEAD), step: 'new.cert-import' });
  });
});

describe('answers from a done step’s menu', () => {
  const done = () => finishThrough(startWith('async', ASYNC), 'a.backup').state;
  const reply = (kind: 'step-instructions' | 'undo-offer', step: string, snapshot = snapshotOf(done())) =>
    renderer.reply({ kind, upgradeId: snapshot.id, step }, { snapshot, upgrades: [] }, NOW);

  it('shows a done step’s record and instructions', () => {
    const message = reply('step-instructions', 'a.backup');
    assertWithinSlackLimits(message);
    const text = allText(message);
    expect(text).toContain('*8. Download Backup on A*');
    expect(text).toContain('✅ Done by <@ULEAD>');
    expect(text).toContain('Only you can see this.');
  });

  it('offers Undo as a danger button behind Slack’s confirmation, in a step:<key>:undo block', () => {
    const message = reply('undo-offer', 'a.backup');
    assertWithinSlackLimits(message);
    const block = message.blocks.find((b) => b.type === 'actions');
    expect(block?.block_id).toBe('step:a.backup:undo');
    const [undo] = buttonsOf([block]);
    expect(undo).toMatchObject({ action_id: 'step.undo', style: 'danger' });
    expect(undo?.confirm).toMatchObject({ confirm: { text: 'Undo' }, deny: { text: 'Keep it' } });
    expect(allText(message)).toContain('Only the lead (<@ULEAD>) can undo.');
  });

  it('says so when there is nothing to undo or the step is gone', () => {
    expect(allText(reply('undo-offer', 'a.sync'))).toContain('is not done, so there is nothing to undo');
    expect(allText(reply('step-instructions', 'no.such-step'))).toContain('not part of this runbook');
    const gone = renderer.reply(
      { kind: 'undo-offer', upgradeId: OTHER_ID, step: 'a.backup' },
      { snapshot: null, upgrades: [] },
      NOW,
    );
    assertWithinSlackLimits(gone);
    expect(buttonsOf(gone.blocks)).toEqual([]);
  });
});
