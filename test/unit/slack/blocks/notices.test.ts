import { describe, expect, it } from 'vitest';
import {
  BASE_PROBLEM_GUIDANCE,
  type Effect,
  evaluateReminder,
  PLAN_NAMES,
  type ReminderNotice,
  type ReminderRef,
  SNOOZE_DURATIONS,
  TIME_RULES,
  type TimeRule,
} from '../../../../src/engine/index.js';
import { isAnnounced } from '../../../../src/services/shared/outbox-messages.js';
import { ACTIONS } from '../../../../src/slack/action-ids.js';
import {
  decode,
  problemButtonValue,
  snoozeButtonValue,
  upgradeButtonValue,
} from '../../../../src/slack/values.js';
import {
  allText,
  assertWithinSlackLimits,
  blockRecords,
  buttonsOf,
  buttonText,
} from '../../../support/block-kit.js';
import {
  ASYNC,
  hostileSnapshot,
  LEAD,
  LONG_HOSTILE,
  orderOf,
  planCases,
  renderer,
  SECOND,
  snapshotOf,
  startWith,
  T0,
  UPGRADE_ID,
} from '../../../support/blocks.js';
import { apply, effectsOfType, finishSteps, person, prerequisitesOf } from '../../../support/engine.js';

const NOW = T0.plus({ hours: 6 });
const AT = '2026-11-28T12:00:00.000Z';

/** One of every effect, with hostile free text; a Record so a new effect type fails to compile here. */
const EVERY_EFFECT: Record<Effect['type'], Effect> = {
  'upgrade-started': { type: 'upgrade-started', plan: 'async', lead: LEAD },
  warning: { type: 'warning', code: 'SHARED_IP_NOT_ON_AWS', message: 'A shared IP is not supported on AWS.' },
  'step-claimed': { type: 'step-claimed', step: 'a.backup', by: SECOND },
  'step-confirmed': { type: 'step-confirmed', step: 'a.break', by: LEAD },
  'step-completed': { type: 'step-completed', step: 'a.break', by: [LEAD, SECOND] },
  'step-skipped': { type: 'step-skipped', step: 'prep.msi', by: LEAD, reason: LONG_HOSTILE },
  'check-confirmed': { type: 'check-confirmed', step: 'b.establish', check: 'keys', by: SECOND },
  'step-undone': { type: 'step-undone', step: 'a.backup', by: LEAD, previous: 'done' },
  'problem-reported': {
    type: 'problem-reported',
    problemId: 3,
    step: 'b.update.base',
    by: SECOND,
    description: LONG_HOSTILE,
    base: true,
  },
  guidance: { type: 'guidance', kind: 'base-problem', message: BASE_PROBLEM_GUIDANCE },
  'upgrade-blocked': { type: 'upgrade-blocked', problemId: 3 },
  'problem-resolved': { type: 'problem-resolved', problemId: 3, by: LEAD, resolution: LONG_HOSTILE },
  'upgrade-unblocked': { type: 'upgrade-unblocked' },
  'option-changed': { type: 'option-changed', option: 'method-b', from: 'manual', to: 'auto', by: LEAD },
  'window-set': {
    type: 'window-set',
    appliance: 'b',
    window: { startsAt: '2026-12-03T22:00:00.000+01:00', zone: 'Europe/Amsterdam', length: 'PT3H' },
    by: LEAD,
  },
  'lead-reassigned': { type: 'lead-reassigned', from: LEAD, to: SECOND, by: LEAD },
  'failover-gap-opened': { type: 'failover-gap-opened', at: AT },
  'failover-gap-closed': {
    type: 'failover-gap-closed',
    at: '2026-11-29T14:05:00.000Z',
    openedAt: AT,
    duration: 'PT26H5M',
  },
  'failover-gap-reopened': { type: 'failover-gap-reopened', at: AT },
  'failover-gap-withdrawn': { type: 'failover-gap-withdrawn', at: AT },
  'sync-confirmed': { type: 'sync-confirmed', by: SECOND },
  'upgrade-completed': { type: 'upgrade-completed', at: AT },
  'upgrade-aborted': { type: 'upgrade-aborted', by: LEAD, reason: LONG_HOSTILE },
  'reminder-scheduled': {
    type: 'reminder-scheduled',
    reminder: { rule: 'CLAIM_STALE', key: 'k', scope: 'a.backup', dueAt: AT, occurrence: 1, anchor: AT },
  },
  'reminder-snoozed': {
    type: 'reminder-snoozed',
    rule: 'FAILOVER_GAP',
    scope: 'failover',
    requested: 'P1D',
    until: AT,
  },
  'reminders-cancelled': { type: 'reminders-cancelled', rule: null, scope: null },
  'verification-started': {
    type: 'verification-started',
    step: 'b.verify',
    verification: 'on-target-version',
    check: null,
  },
  'step-verified': {
    type: 'step-verified',
    step: 'b.verify',
    verification: 'on-target-version',
    check: null,
    evidence: LONG_HOSTILE,
  },
  'verification-noted': {
    type: 'verification-noted',
    step: 'b.verify',
    verification: 'on-target-version',
    outcome: 'disagreed',
    text: LONG_HOSTILE,
  },
  'verification-overridden': {
    type: 'verification-overridden',
    step: 'b.verify',
    verification: 'on-target-version',
    check: null,
    by: LEAD,
    reason: LONG_HOSTILE,
    why: LONG_HOSTILE,
  },
  'sync-observed': { type: 'sync-observed', appliance: 'b', lastSyncAt: AT },
  'jump-clients-counted': { type: 'jump-clients-counted', appliance: 'b', pending: 3, total: 10 },
};

function notice(effect: Effect, snapshot = snapshotOf(startWith('async', ASYNC))) {
  return renderer.notice(snapshot, { kind: 'effect', effect, actorUserId: LEAD }, NOW);
}

describe('effect notices', () => {
  it.each(Object.values(EVERY_EFFECT).map((e) => [e.type, e] as const))(
    '%s renders within limits',
    (_, effect) => {
      const fresh = startWith('async', ASYNC);
      for (const snapshot of [snapshotOf(fresh), hostileSnapshot(fresh)]) {
        const message = notice(effect, snapshot);
        assertWithinSlackLimits(message);
        if (isAnnounced(effect)) expect(message.text.length).toBeGreaterThan(10);
      }
    },
  );

  it('words the effects with their facts', () => {
    const say = (type: Effect['type']) => allText(notice(EVERY_EFFECT[type]));
    expect(say('problem-reported')).toContain('Problem #3');
    expect(say('problem-reported')).toContain('“Install the base software updates on B”');
    expect(say('problem-resolved')).toContain('resolved by <@ULEAD>');
    expect(say('upgrade-blocked')).toContain('on hold');
    expect(say('option-changed')).toContain('the update method of B from `manual` to `auto`');
    expect(say('window-set')).toMatch(
      /appliance B: <!date\^\d+\^.*\(2026-12-03 22:00 Europe\/Amsterdam\), 3 hours/,
    );
    expect(say('lead-reassigned')).toContain('made <@USECOND> the lead (was <@ULEAD>)');
    // The failover limit is a day by default: the first reminder comes a day after the break.
    expect(say('failover-gap-opened')).toContain('limit is 1 day');
    expect(say('failover-gap-opened')).toContain('|2026-11-29 12:00 UTC>');
    expect(say('failover-gap-closed')).toContain('off for 1 day 2 hours');
    expect(say('failover-gap-withdrawn')).toContain('undone');
    expect(say('sync-confirmed')).toContain('<@USECOND> confirmed');
    expect(say('upgrade-aborted')).toContain('aborted the upgrade: Ticket &lt;b&gt;');
    expect(say('reminder-snoozed')).toContain('The failover-off reminder is snoozed until');
    // Codes for the record: once, in the context line.
    for (const type of ['reminder-snoozed', 'check-confirmed', 'failover-gap-opened'] as const) {
      expect(say(type).match(/\b[A-Z]{4,}_[A-Z_]{3,}\b/g), type).toHaveLength(1);
    }
    // A day's snooze within a day's limit is granted as asked; on a 4-hour limit it is capped.
    expect(say('reminder-snoozed')).not.toContain('never sleeps past its limit');
    const fresh = startWith('async', ASYNC);
    const short = snapshotOf({ ...fresh, timing: { ...fresh.timing, failoverGapLimit: 'PT4H' } });
    expect(allText(notice(EVERY_EFFECT['reminder-snoozed'], short))).toContain('never sleeps past its limit');
  });

  it('offers a Resolved… button on a reported problem', () => {
    const buttons = buttonsOf(notice(EVERY_EFFECT['problem-reported']).blocks);
    expect(buttons).toHaveLength(1);
    expect(buttons[0]?.action_id).toBe(ACTIONS.resolveProblem);
    expect(decode(problemButtonValue, String(buttons[0]?.value))).toEqual({
      upgradeId: UPGRADE_ID,
      problemId: 3,
    });
  });

  it('puts the base-problem guidance verbatim in a problem on a base step, from the engine', () => {
    const fresh = startWith('sync', {
      methodA: 'manual',
      methodB: 'manual',
      switchMethod: null,
      baseOnly: false,
    });
    const { state, effects } = apply(fresh, {
      type: 'report-problem',
      actor: person(SECOND),
      step: 'a.update.base',
      description: 'Update 7 fails: dependency missing',
    });
    const guidance = effectsOfType(effects, 'guidance');
    expect(guidance).toHaveLength(1);
    const [effect] = guidance;
    if (!effect) throw new Error('no guidance');
    const message = notice(effect, snapshotOf(state));
    assertWithinSlackLimits(message);
    expect(message.text).toContain(BASE_PROBLEM_GUIDANCE);
    expect(message.text).toContain('Do not restart the appliance; contact BeyondTrust Technical Support');
    expect(message.blocks[0]).toMatchObject({
      type: 'header',
      text: { text: '🛑 Do not restart the appliance' },
    });
    expect(allText({ blocks: message.blocks.slice(1, 2) })).toContain(BASE_PROBLEM_GUIDANCE);
  });

  it('renders every announced effect of a whole upgrade, plan by plan', () => {
    for (const { plan, options } of planCases(PLAN_NAMES)) {
      const fresh = startWith(plan, options);
      const { state, effects } = finishSteps(fresh, orderOf(fresh), T0.plus({ hours: 2 }));
      const announced = effects.filter(isAnnounced);
      expect(announced.some((e) => e.type === 'upgrade-completed')).toBe(true);
      for (const effect of announced) assertWithinSlackLimits(notice(effect, hostileSnapshot(state)));
    }
  });
});

describe('the completion summary', () => {
  it('names who confirmed each step, both people on critical ones, and the failover gap', () => {
    const fresh = startWith('async', ASYNC);
    const breakAt = T0.plus({ hours: 1 });
    let state = finishSteps(fresh, [...prerequisitesOf(fresh, 'a.break'), 'a.break'], breakAt).state;
    state = apply(state, {
      type: 'skip',
      actor: person(SECOND),
      step: 'prep.msi',
      reason: 'No MSI <extraction>',
    }).state;
    const rest = orderOf(state).filter((k) => state.steps[k]?.status === 'pending');
    const done = finishSteps(state, rest, breakAt.plus({ hours: 26, minutes: 5 }));
    const [completed] = effectsOfType(done.effects, 'upgrade-completed');
    if (!completed) throw new Error('not completed');
    const message = notice(completed, snapshotOf(done.state));
    assertWithinSlackLimits(message);
    const text = allText(message);
    const line = (title: string) => text.split('\n').find((l) => l.includes(`*${title}*`)) ?? '';
    expect(line('Break Failover Relationship')).toMatch(/<@ULEAD> and <@USECOND>/);
    expect(line('Make B primary (DNS swing)')).toMatch(/<@ULEAD> and <@USECOND>/);
    expect(line('Re-establish failover from B (B primary, A backup)')).toMatch(/<@ULEAD> and <@USECOND>/);
    expect(line('Download Backup on A')).toContain('<@ULEAD>');
    expect(line('Download the new MSI installers (if MSI extraction is enabled)')).toContain(
      'skipped by <@USECOND>: No MSI &lt;extraction&gt;',
    );
    expect(text).toContain('*Failover was off for:* 1 day 2 hours');
    expect(text).toMatch(/\*Total:\* 1 day 3 hours/);
    expect(text).toMatch(/• Appliance A: /);
    expect(text).toMatch(/• Appliance B: /);
  });
});

function noticeFor(
  rule: TimeRule,
  extra: Partial<ReminderNotice> = {},
): { notice: ReminderNotice; ref: ReminderRef } {
  const scope = {
    FAILOVER_GAP: 'failover',
    WINDOW_START: 'a',
    WINDOW_OVERRUN: 'b',
    INSTALL_AFTER_DOWNLOAD: 'b',
    SYNC_CONFIRM: 'failover',
    CLIENTS_SETTLE: null,
    CLAIM_STALE: 'b.update.site',
  }[rule];
  return {
    notice: {
      rule,
      occurrence: 2,
      mention: { kind: 'channel' },
      scope,
      stepTitle: rule === 'CLAIM_STALE' ? 'Install the BeyondTrust site update on B' : null,
      since: AT,
      elapsed: 'PT26H5M',
      limit: rule === 'FAILOVER_GAP' ? 'P1D' : null,
      windowStartsAt: rule === 'WINDOW_START' ? '2026-11-28T22:00:00.000+01:00' : null,
      windowZone: rule === 'WINDOW_START' ? 'Europe/Amsterdam' : null,
      snoozable: true,
      ...extra,
    },
    ref: { rule, scope, anchor: AT, occurrence: 2 },
  };
}

describe('reminders', () => {
  const snapshot = snapshotOf(startWith('async', ASYNC));
  const render = (rule: TimeRule, extra: Partial<ReminderNotice> = {}) => {
    const { notice: n, ref } = noticeFor(rule, extra);
    return renderer.notice(snapshot, { kind: 'reminder', notice: n, reminder: ref }, NOW);
  };

  it.each(TIME_RULES)('%s names its rule once, stays within limits and offers every snooze', (rule) => {
    const message = render(rule);
    assertWithinSlackLimits(message);
    // The code once, in the context line; the sentence people read carries none.
    expect(message.text).not.toContain(rule);
    expect(allText(message).split(rule)).toHaveLength(2);
    expect(allText({ blocks: [message.blocks[1]] })).toContain(`Rule \`${rule}\``);
    expect(message.text.startsWith('<!channel> ')).toBe(true);
    const snoozes = buttonsOf(message.blocks).filter((b) =>
      String(b.action_id).startsWith(ACTIONS.snoozeReminder),
    );
    expect(snoozes.map((b) => b.action_id)).toEqual(
      SNOOZE_DURATIONS.map((d) => `${ACTIONS.snoozeReminder}.${d}`),
    );
    expect(snoozes.map((b) => buttonText(b))).toEqual([
      'Snooze 15 min',
      'Snooze 1 h',
      'Snooze 4 h',
      'Snooze 1 day',
    ]);
    for (const [i, button] of snoozes.entries()) {
      expect(decode(snoozeButtonValue, String(button.value))).toEqual({
        upgradeId: UPGRADE_ID,
        duration: SNOOZE_DURATIONS[i],
        reminder: { rule, scope: noticeFor(rule).ref.scope, anchor: AT, occurrence: 2 },
      });
    }
    const actions = blockRecords(message.blocks).find((b) => b.type === 'actions');
    expect(actions?.block_id).toBe(`reminder:${rule}:2`);
  });

  it('words each rule', () => {
    expect(render('FAILOVER_GAP').text).toContain('Failover has been off for 1 day 2 hours (limit 1 day)');
    expect(render('FAILOVER_GAP').text).toContain('Re-establish it: “Re-establish failover from B');
    expect(render('WINDOW_START').text).toMatch(/maintenance window for appliance A opens <!date\^\d+\^/);
    expect(render('WINDOW_START').text).toContain('(2026-11-28 22:00 Europe/Amsterdam), in 5 hours');
    expect(render('WINDOW_OVERRUN').text).toContain('maintenance window for appliance B opened');
    expect(render('WINDOW_OVERRUN').text).toContain('planned length of 3 hours');
    expect(render('CLAIM_STALE').text).toContain(
      '“Install the BeyondTrust site update on B” was claimed 1 day 2 hours ago',
    );
    expect(render('INSTALL_AFTER_DOWNLOAD').text).toContain('updates for appliance B were downloaded');
    expect(render('CLIENTS_SETTLE').text).toContain('Jump Client');
  });

  it('asks whether an install claimed long ago is still running', () => {
    const message = render('WINDOW_OVERRUN', {
      scope: 'a.update.site',
      stepTitle: 'Install the BeyondTrust site update on A',
      elapsed: 'PT1H20M',
    });
    expect(message.text).toContain(
      '“Install the BeyondTrust site update on A” was claimed 1 hour 20 minutes ago',
    );
    expect(message.text).toContain('still running? Installs usually take 15 minutes to an hour');
  });

  it('offers the sync confirmation button', () => {
    const buttons = buttonsOf(render('SYNC_CONFIRM').blocks);
    const confirm = buttons.find((b) => b.action_id === ACTIONS.confirmSync);
    expect(buttonText(confirm)).toBe('Sync date/time confirmed');
    expect(decode(upgradeButtonValue, String(confirm?.value))).toEqual({ upgradeId: UPGRADE_ID });
  });

  it('mentions a person as <@U> and nobody when the engine says none', () => {
    expect(
      render('CLAIM_STALE', { mention: { kind: 'user', userId: SECOND } }).text.startsWith('<@USECOND> '),
    ).toBe(true);
    expect(render('CLIENTS_SETTLE', { mention: { kind: 'none' } }).text.startsWith('🧭')).toBe(true);
  });

  it('announces people added after the set-up, and the lead left alone, by mention', () => {
    const snapshot = snapshotOf(startWith('async', ASYNC));
    const added = renderer.notice(
      snapshot,
      { kind: 'participants-added', by: LEAD, added: ['UCAROL', 'UDAVE'] },
      T0,
    );
    assertWithinSlackLimits(added);
    expect(added.text).toBe('👥 <@ULEAD> added <@UCAROL> and <@UDAVE> as participants.');
    const one = renderer.notice(snapshot, { kind: 'participants-added', by: LEAD, added: ['UCAROL'] }, T0);
    expect(one.text).toBe('👥 <@ULEAD> added <@UCAROL> as a participant.');
    const alone = renderer.notice(snapshot, { kind: 'lead-alone', left: SECOND, lead: LEAD }, T0);
    assertWithinSlackLimits(alone);
    expect(alone.text).toBe(
      '👤 <@USECOND> was the last participant besides the lead <@ULEAD>, who alone can act on this upgrade now; reminders go on. Add people with `/pra-upgrade add @someone`.',
    );
  });

  it('renders a reminder the engine decided to send', () => {
    const fresh = startWith('async', { ...ASYNC });
    const { state, effects } = finishSteps(fresh, [...prerequisitesOf(fresh, 'a.break'), 'a.break']);
    const gap = effectsOfType(effects, 'reminder-scheduled').find((e) => e.reminder.rule === 'FAILOVER_GAP');
    if (!gap) throw new Error('no gap reminder');
    const due = T0.plus({ days: 1 });
    const decision = evaluateReminder(state, gap.reminder, due);
    if (!decision.send) throw new Error(decision.reason);
    const message = renderer.notice(
      snapshotOf(state),
      { kind: 'reminder', notice: decision.notice, reminder: gap.reminder },
      due,
    );
    assertWithinSlackLimits(message);
    expect(message.text.startsWith('<@ULEAD> ')).toBe(true);
    expect(message.text).toContain('Failover has been off for 1 day (limit 1 day)');
    const snooze = buttonsOf(message.blocks).find((b) => b.action_id === `${ACTIONS.snoozeReminder}.PT15M`);
    expect(decode(snoozeButtonValue, String(snooze?.value))?.reminder).toEqual({
      rule: 'FAILOVER_GAP',
      scope: 'failover',
      anchor: gap.reminder.anchor,
      occurrence: 1,
    });
  });
});
