import { describe, expect, it } from 'vitest';
import {
  BASE_PROBLEM_GUIDANCE,
  FAILOVER_STILL_BROKEN_GUIDANCE,
  planOf,
  transition,
} from '../../../src/engine/index.js';
import {
  apply,
  effectsOfType,
  finishSteps,
  LEAD,
  person,
  prerequisitesOf,
  refusalOf,
  SECOND,
  started,
  T0,
} from '../../support/engine.js';

const lead = person(LEAD);
const member = person(SECOND);

describe('who may act', () => {
  it('refuses anyone outside the upgrade channel, whatever the command', () => {
    const state = started('single');
    const outsider = person('UOUTSIDE', false);
    for (const command of [
      { type: 'complete', actor: outsider, step: 'prep.window' },
      { type: 'claim', actor: outsider, step: 'prep.window' },
      { type: 'abort', actor: outsider, reason: 'not mine to abort' },
    ] as const) {
      expect(refusalOf(state, command).rule).toBe('NOT_PARTICIPANT');
    }
  });

  it('keeps undo, abort, options and the lead itself for the lead', () => {
    const state = finishSteps(started('sync'), ['prep.window']).state;
    expect(refusalOf(state, { type: 'undo', actor: member, step: 'prep.window' }).rule).toBe('LEAD_ONLY');
    expect(refusalOf(state, { type: 'abort', actor: member, reason: 'wrong window' }).rule).toBe('LEAD_ONLY');
    expect(
      refusalOf(state, { type: 'set-option', actor: member, option: 'method-a', value: 'auto' }).rule,
    ).toBe('LEAD_ONLY');
    expect(refusalOf(state, { type: 'reassign-lead', actor: member, to: member }).rule).toBe('LEAD_ONLY');
    const handed = apply(state, { type: 'reassign-lead', actor: lead, to: member });
    expect(handed.state.lead).toBe(SECOND);
    expect(handed.effects).toEqual([{ type: 'lead-reassigned', from: LEAD, to: SECOND, by: LEAD }]);
    expect(refusalOf(state, { type: 'reassign-lead', actor: lead, to: person('UOUT', false) }).rule).toBe(
      'NOT_PARTICIPANT',
    );
  });
});

describe('complete, claim and checks', () => {
  it('treats a second click on a done step as a duplicate naming who did it', () => {
    const state = finishSteps(started('single'), ['prep.window']).state;
    const again = refusalOf(state, { type: 'complete', actor: member, step: 'prep.window' });
    expect(again).toMatchObject({ rule: 'ALREADY_DONE', duplicate: true });
    expect(again.message).toContain(`<@${LEAD}>`);
  });

  it('refuses an unknown step', () => {
    expect(refusalOf(started('single'), { type: 'complete', actor: lead, step: 'b.verify' }).rule).toBe(
      'UNKNOWN_STEP',
    );
  });

  it('lets one person claim a step; the lead can take it over', () => {
    const claimed = apply(started('single'), { type: 'claim', actor: member, step: 'prep.window' });
    expect(claimed.state.steps['prep.window']?.claimedBy).toBe(SECOND);
    expect(effectsOfType(claimed.effects, 'reminder-scheduled').map((e) => e.reminder.rule)).toEqual([
      'CLAIM_STALE',
    ]);
    expect(refusalOf(claimed.state, { type: 'claim', actor: member, step: 'prep.window' }).duplicate).toBe(
      true,
    );
    expect(
      refusalOf(claimed.state, { type: 'claim', actor: person('UTHIRD'), step: 'prep.window' }).rule,
    ).toBe('ALREADY_CLAIMED');
    expect(
      apply(claimed.state, { type: 'claim', actor: lead, step: 'prep.window' }).state.steps['prep.window']
        ?.claimedBy,
    ).toBe(LEAD);
  });

  it('starts the overrun clock when someone claims an install', () => {
    const state = finishSteps(started('single'), prerequisitesOf(started('single'), 'a.update.base')).state;
    const claimed = apply(state, { type: 'claim', actor: member, step: 'a.update.base' });
    const rules = effectsOfType(claimed.effects, 'reminder-scheduled').map((e) => [
      e.reminder.rule,
      e.reminder.dueAt,
    ]);
    expect(rules).toContainEqual(['WINDOW_OVERRUN', '2026-11-28T11:00:00.000Z']);
  });

  it('refuses a check that does not exist and counts a confirmed check once', () => {
    const base = started('sync');
    const state = finishSteps(base, prerequisitesOf(base, 'a.establish')).state;
    expect(
      refusalOf(state, { type: 'confirm-check', actor: lead, step: 'a.establish', check: 'nope' }).rule,
    ).toBe('UNKNOWN_CHECK');
    const checked = apply(state, {
      type: 'confirm-check',
      actor: member,
      step: 'a.establish',
      check: 'keys',
    });
    const twice = refusalOf(checked.state, {
      type: 'confirm-check',
      actor: lead,
      step: 'a.establish',
      check: 'keys',
    });
    expect(twice).toMatchObject({ rule: 'ALREADY_DONE', duplicate: true });
  });
});

describe('skip', () => {
  it('skips an optional step with a reason', () => {
    const r = apply(started('single'), {
      type: 'skip',
      actor: member,
      step: 'prep.test-env',
      reason: 'no test appliance',
    });
    expect(r.state.steps['prep.test-env']).toMatchObject({
      status: 'skipped',
      skipReason: 'no test appliance',
    });
    expect(r.effects[0]).toEqual({
      type: 'step-skipped',
      step: 'prep.test-env',
      by: SECOND,
      reason: 'no test appliance',
    });
  });

  it('refuses to skip a step that protects the upgrade, or without a reason', () => {
    const state = started('sync');
    expect(refusalOf(state, { type: 'skip', actor: lead, step: 'a.backup', reason: 'in a hurry' }).rule).toBe(
      'NOT_SKIPPABLE',
    );
    expect(refusalOf(state, { type: 'skip', actor: lead, step: 'prep.msi', reason: ' ' }).rule).toBe(
      'INVALID_INPUT',
    );
  });

  it('counts a skipped step as resolved for what follows', () => {
    const base = started('single');
    let state = finishSteps(
      base,
      prerequisitesOf(base, 'a.update.base').filter((k) => k !== 'prep.test-env'),
    ).state;
    expect(refusalOf(state, { type: 'complete', actor: lead, step: 'a.update.base' }).missing).toEqual([
      'prep.test-env',
    ]);
    state = apply(state, { type: 'skip', actor: lead, step: 'prep.test-env', reason: 'no lab' }).state;
    expect(transition(state, { type: 'complete', actor: lead, step: 'a.update.base' }, T0).ok).toBe(true);
  });
});

describe('problems', () => {
  const atBase = () => {
    const base = started('manual');
    return finishSteps(base, prerequisitesOf(base, 'a.update.base')).state;
  };

  it('a problem on a base-software step blocks the upgrade with the support guidance', () => {
    const r = apply(atBase(), {
      type: 'report-problem',
      actor: member,
      step: 'a.update.base',
      description: 'package failed to install',
    });
    expect(r.state.status).toBe('blocked');
    expect(effectsOfType(r.effects, 'guidance')).toEqual([
      { type: 'guidance', kind: 'base-problem', message: BASE_PROBLEM_GUIDANCE },
    ]);
    expect(BASE_PROBLEM_GUIDANCE).toContain(
      'Do not restart the appliance; contact BeyondTrust Technical Support',
    );
    const held = refusalOf(r.state, { type: 'complete', actor: lead, step: 'a.update.base' });
    expect(held.rule).toBe('UPGRADE_BLOCKED');
    expect(held.message).toContain('Do not restart the appliance');
    expect(refusalOf(r.state, { type: 'claim', actor: lead, step: 'prep.msi' }).rule).toBe('UPGRADE_BLOCKED');
  });

  it('resolving it with a note lets the upgrade go on', () => {
    const blocked = apply(atBase(), {
      type: 'report-problem',
      actor: member,
      step: 'a.update.base',
      description: 'package failed',
    }).state;
    expect(
      refusalOf(blocked, { type: 'resolve-problem', actor: lead, problemId: 1, resolution: '' }).rule,
    ).toBe('INVALID_INPUT');
    const resolved = apply(blocked, {
      type: 'resolve-problem',
      actor: lead,
      problemId: null,
      resolution: 'support case 123: reinstalled package',
    });
    expect(resolved.state.status).toBe('active');
    expect(resolved.effects.map((e) => e.type)).toEqual(['problem-resolved', 'upgrade-unblocked']);
    expect(resolved.state.problems[0]).toMatchObject({
      resolvedBy: LEAD,
      resolution: 'support case 123: reinstalled package',
    });
    expect(transition(resolved.state, { type: 'complete', actor: lead, step: 'a.update.base' }, T0).ok).toBe(
      true,
    );
    expect(
      refusalOf(resolved.state, {
        type: 'resolve-problem',
        actor: lead,
        problemId: null,
        resolution: 'again please',
      }).rule,
    ).toBe('NO_OPEN_PROBLEM');
  });

  it('a problem on another step holds only that step', () => {
    const r = apply(started('single'), {
      type: 'report-problem',
      actor: member,
      step: 'prep.certs',
      description: 'export button greyed out',
    });
    expect(r.state.status).toBe('active');
    expect(effectsOfType(r.effects, 'guidance')).toEqual([]);
    expect(refusalOf(r.state, { type: 'complete', actor: lead, step: 'prep.certs' }).rule).toBe(
      'PROBLEM_OPEN',
    );
    expect(transition(r.state, { type: 'complete', actor: lead, step: 'prep.window' }, T0).ok).toBe(true);
  });
});

describe('undo', () => {
  it('takes back a step nothing has built on', () => {
    const state = finishSteps(started('single'), ['prep.window']).state;
    const r = apply(state, { type: 'undo', actor: lead, step: 'prep.window' });
    expect(r.state.steps['prep.window']?.status).toBe('pending');
    expect(r.effects).toEqual([{ type: 'step-undone', step: 'prep.window', by: LEAD, previous: 'done' }]);
  });

  it('refuses when a dependant is done, or when there is nothing to undo', () => {
    const base = started('single');
    const state = finishSteps(base, [...prerequisitesOf(base, 'a.update.check'), 'a.update.check']).state;
    const refusal = refusalOf(state, { type: 'undo', actor: lead, step: 'a.backup' });
    expect(refusal.rule).toBe('HAS_DEPENDANTS');
    expect(refusal.missing).toEqual(['a.update.check']);
    expect(refusalOf(state, { type: 'undo', actor: lead, step: 'a.verify' }).rule).toBe('NOT_STARTED');
  });

  it('undoing the break withdraws the failover gap and its reminders', () => {
    const base = started('async');
    const state = finishSteps(base, [...prerequisitesOf(base, 'a.break'), 'a.break']).state;
    expect(state.failover.brokenAt).not.toBeNull();
    const r = apply(state, { type: 'undo', actor: lead, step: 'a.break' });
    expect(r.state.failover.brokenAt).toBeNull();
    expect(r.effects).toContainEqual({
      type: 'reminders-cancelled',
      rule: 'FAILOVER_GAP',
      scope: 'failover',
    });
    expect(effectsOfType(r.effects, 'failover-gap-withdrawn')).toHaveLength(1);
  });

  it('undoing the re-establishment reopens the gap and re-arms its reminder', () => {
    const base = started('sync');
    const state = finishSteps(base, [...prerequisitesOf(base, 'a.establish'), 'a.establish']).state;
    const later = T0.plus({ hours: 3 });
    const r = apply(state, { type: 'undo', actor: lead, step: 'a.establish' }, later);
    expect(r.state.failover.restoredAt).toBeNull();
    expect(effectsOfType(r.effects, 'failover-gap-reopened')).toHaveLength(1);
    const rearmed = effectsOfType(r.effects, 'reminder-scheduled').map((e) => e.reminder);
    expect(rearmed).toEqual([
      expect.objectContaining({ rule: 'FAILOVER_GAP', dueAt: '2026-11-29T10:00:00.000Z' }),
    ]);
  });
});

describe('options', () => {
  it('changes the update method of B before B has started', () => {
    const state = finishSteps(started('async'), ['prep.window']).state;
    const r = apply(state, { type: 'set-option', actor: lead, option: 'method-b', value: 'auto' });
    expect(r.state.options.methodB).toBe('auto');
    expect(Object.keys(r.state.steps)).toContain('b.update.check');
    expect(Object.keys(r.state.steps)).not.toContain('b.update.fetch');
    expect(r.state.steps['prep.window']?.status).toBe('done');
    expect(effectsOfType(r.effects, 'warning').map((w) => w.code)).toEqual(['AUTO_UPDATE_ON_FAILOVER_PAIR']);
  });

  it('refuses to change an option once the steps it changes have started', () => {
    const base = started('async');
    const state = finishSteps(base, [
      ...prerequisitesOf(base, 'b.update.download-key'),
      'b.update.download-key',
    ]).state;
    const refusal = refusalOf(state, { type: 'set-option', actor: lead, option: 'method-b', value: 'auto' });
    expect(refusal.rule).toBe('OPTION_LOCKED');
    expect(refusal.missing).toContain('b.update.download-key');
    // Still free: the switch method, since b.promote has not started.
    expect(
      apply(state, { type: 'set-option', actor: lead, option: 'switch', value: 'nat' }).state.options
        .switchMethod,
    ).toBe('nat');
  });

  it('turns base-only on, dropping the site and client steps', () => {
    const r = apply(started('single'), { type: 'set-option', actor: lead, option: 'base-only', value: 'on' });
    expect(r.state.options.baseOnly).toBe(true);
    expect(planOf(r.state).steps.some((s) => s.key.startsWith('clients.'))).toBe(false);
    expect(r.state.steps['a.update.site']).toBeUndefined();
  });

  it('says which values and options are allowed', () => {
    const state = started('sync');
    expect(refusalOf(state, { type: 'set-option', actor: lead, option: 'switch', value: 'dns' }).rule).toBe(
      'OPTION_NOT_APPLICABLE',
    );
    const bad = refusalOf(state, { type: 'set-option', actor: lead, option: 'method-a', value: 'fast' });
    expect(bad.rule).toBe('INVALID_INPUT');
    expect(bad.message).toContain('auto, manual');
    expect(
      refusalOf(started('single'), { type: 'set-option', actor: lead, option: 'method-a', value: 'manual' })
        .rule,
    ).toBe('OPTION_NOT_APPLICABLE');
    expect(
      refusalOf(state, { type: 'set-option', actor: lead, option: 'method-a', value: 'manual' }).duplicate,
    ).toBe(true);
  });
});

describe('abort', () => {
  it('ends the upgrade, cancels reminders and refuses anything after', () => {
    const r = apply(started('single'), { type: 'abort', actor: lead, reason: 'vendor recalled the release' });
    expect(r.state).toMatchObject({ status: 'aborted', abortReason: 'vendor recalled the release' });
    expect(r.effects).toContainEqual({ type: 'reminders-cancelled', rule: null, scope: null });
    expect(refusalOf(r.state, { type: 'complete', actor: lead, step: 'prep.window' }).rule).toBe(
      'UPGRADE_CLOSED',
    );
    expect(refusalOf(started('single'), { type: 'abort', actor: lead, reason: '' }).rule).toBe(
      'INVALID_INPUT',
    );
  });

  it('warns that failover is still broken when aborting in the gap', () => {
    const base = started('sync');
    const state = finishSteps(base, [...prerequisitesOf(base, 'a.break'), 'a.break']).state;
    const r = apply(state, { type: 'abort', actor: lead, reason: 'appliance A hardware fault' });
    expect(effectsOfType(r.effects, 'guidance')).toEqual([
      { type: 'guidance', kind: 'failover-still-broken', message: FAILOVER_STILL_BROKEN_GUIDANCE },
    ]);
  });
});

describe('sync confirmation', () => {
  it('is refused before re-establishing and recorded once after', () => {
    const base = started('async');
    expect(refusalOf(base, { type: 'confirm-sync', actor: lead }).rule).toBe('NOT_STARTED');
    const state = finishSteps(base, [...prerequisitesOf(base, 'b.establish'), 'b.establish']).state;
    const r = apply(state, { type: 'confirm-sync', actor: member });
    expect(r.state.failover.syncConfirmedBy).toBe(SECOND);
    expect(r.effects).toContainEqual({
      type: 'reminders-cancelled',
      rule: 'SYNC_CONFIRM',
      scope: 'failover',
    });
    expect(refusalOf(r.state, { type: 'confirm-sync', actor: lead }).duplicate).toBe(true);
  });
});
