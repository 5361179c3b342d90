import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  evaluateReminder,
  type ReminderSpec,
  startUpgrade,
  transition,
  type UpgradeState,
} from '../../../src/engine/index.js';
import {
  apply,
  effectsOfType,
  finishSteps,
  finishThrough,
  LEAD,
  person,
  prerequisitesOf,
  SECOND,
  started,
  T0,
} from '../../support/engine.js';

const lead = person(LEAD);
const scheduled = (effects: Parameters<typeof effectsOfType>[0]) =>
  effectsOfType(effects, 'reminder-scheduled').map((e) => e.reminder);

function broken(plan: 'sync' | 'async', limit = 'PT4H'): { state: UpgradeState; gap: ReminderSpec } {
  const base = started(plan, {}, { timing: { failoverGapLimit: limit } });
  const r = finishSteps(base, [...prerequisitesOf(base, 'a.break'), 'a.break']);
  const gap = scheduled(r.effects).find((s) => s.rule === 'FAILOVER_GAP');
  if (!gap) throw new Error('no failover-gap reminder');
  return { state: r.state, gap };
}

describe('FAILOVER_GAP', () => {
  it('is scheduled at the break plus the limit', () => {
    const { state, gap } = broken('async');
    expect(state.failover.brokenAt).toBe('2026-11-28T10:00:00.000Z');
    expect(gap).toMatchObject({ dueAt: '2026-11-28T14:00:00.000Z', occurrence: 1, scope: 'failover' });
  });

  it('fires once the limit has passed, mentioning the lead, and comes back escalating to everyone', () => {
    const { state, gap } = broken('async');
    const due = DateTime.fromISO(gap.dueAt);
    const first = evaluateReminder(state, gap, due);
    if (!first.send) throw new Error(first.reason);
    expect(first.notice).toMatchObject({
      rule: 'FAILOVER_GAP',
      mention: { kind: 'user', userId: LEAD },
      limit: 'PT4H',
      elapsed: 'PT4H',
    });
    expect(first.next).toMatchObject({ occurrence: 2, dueAt: '2026-11-28T18:00:00.000Z' });
    const second = evaluateReminder(state, { ...(first.next as ReminderSpec) }, due.plus({ hours: 4 }));
    if (!second.send) throw new Error(second.reason);
    expect(second.notice.mention).toEqual({ kind: 'channel' });
    expect(second.next?.occurrence).toBe(3);
  });

  it('repeats at most every 12 hours when the limit is long', () => {
    const { state, gap } = broken('async', 'P3D');
    const first = evaluateReminder(state, gap, DateTime.fromISO(gap.dueAt));
    expect(first.send && first.next?.dueAt).toBe('2026-12-01T22:00:00.000Z');
  });

  it('sends nothing once failover is re-established, and cancels the pending one', () => {
    const { state, gap } = broken('sync');
    const r = finishThrough(state, 'a.establish', T0.plus({ hours: 2 }));
    expect(r.effects).toContainEqual({
      type: 'reminders-cancelled',
      rule: 'FAILOVER_GAP',
      scope: 'failover',
    });
    expect(effectsOfType(r.effects, 'failover-gap-closed')).toEqual([
      {
        type: 'failover-gap-closed',
        at: '2026-11-28T12:00:00.000Z',
        openedAt: '2026-11-28T10:00:00.000Z',
        duration: 'PT2H',
      },
    ]);
    expect(evaluateReminder(r.state, gap, DateTime.fromISO(gap.dueAt))).toEqual({
      send: false,
      reason: 'its condition no longer holds',
    });
  });

  it('sends nothing once the upgrade is aborted', () => {
    const { state, gap } = broken('async');
    const aborted = apply(state, {
      type: 'abort',
      actor: lead,
      reason: 'rolled back to the old version',
    }).state;
    expect(evaluateReminder(aborted, gap, DateTime.fromISO(gap.dueAt)).send).toBe(false);
  });

  it('a snooze never silences it for longer than the limit', () => {
    const { state, gap } = broken('async', 'PT4H');
    const now = DateTime.fromISO(gap.dueAt);
    const r = apply(state, { type: 'snooze', actor: lead, reminder: gap, duration: 'P1D' }, now);
    const snoozed = effectsOfType(r.effects, 'reminder-snoozed')[0];
    expect(snoozed).toMatchObject({ requested: 'P1D', until: '2026-11-28T18:00:00.000Z' });
    expect(scheduled(r.effects)).toEqual([
      expect.objectContaining({ rule: 'FAILOVER_GAP', dueAt: '2026-11-28T18:00:00.000Z', occurrence: 2 }),
    ]);
    // A second click on the same reminder is a repeat, not a second snooze.
    const twice = transition(
      r.state,
      { type: 'snooze', actor: person(SECOND), reminder: gap, duration: 'PT15M' },
      now,
    );
    expect(!twice.ok && twice.refusal).toMatchObject({ rule: 'ALREADY_DONE', duplicate: true });
    // A short snooze is granted as asked.
    const short = apply(state, { type: 'snooze', actor: lead, reminder: gap, duration: 'PT15M' }, now);
    expect(scheduled(short.effects)[0]?.dueAt).toBe('2026-11-28T14:15:00.000Z');
  });
});

describe('WINDOW_START and WINDOW_OVERRUN', () => {
  const window = (local: string, zone: string) => ({
    startsAt: DateTime.fromISO(local, { zone }).toISO() ?? '',
    zone,
    length: 'PT2H',
  });

  it('reminds a day and 15 minutes before, and warns when the window overruns', () => {
    const start = startUpgrade(
      {
        plan: 'async',
        options: {},
        lead: LEAD,
        windows: { b: window('2026-12-03T22:00', 'Europe/Amsterdam') },
      },
      T0,
    );
    if (!start.ok) throw new Error(start.problems.join());
    expect(scheduled(start.effects).map((r) => [r.rule, r.scope, r.dueAt])).toEqual([
      ['WINDOW_START', 'b', '2026-12-02T21:00:00.000Z'],
      ['WINDOW_START', 'b', '2026-12-03T20:45:00.000Z'],
      ['WINDOW_OVERRUN', 'b', '2026-12-03T23:00:00.000Z'],
    ]);
  });

  it('keeps the local hour across the spring DST change in Europe/Amsterdam', () => {
    // Clocks go forward on 28 March 2027: 22:00 on the 28th is UTC+2, 22:00 on the 27th UTC+1.
    const start = startUpgrade(
      {
        plan: 'single',
        options: {},
        lead: LEAD,
        windows: { a: window('2027-03-28T22:00', 'Europe/Amsterdam') },
      },
      T0,
    );
    if (!start.ok) throw new Error(start.problems.join());
    const [dayBefore, quarterBefore] = scheduled(start.effects);
    expect(dayBefore?.dueAt).toBe('2027-03-27T21:00:00.000Z');
    expect(
      DateTime.fromISO(dayBefore?.dueAt ?? '')
        .setZone('Europe/Amsterdam')
        .toFormat('dd HH:mm'),
    ).toBe('27 22:00');
    expect(quarterBefore?.dueAt).toBe('2027-03-28T19:45:00.000Z');
  });

  it('keeps the local hour across the autumn DST change in America/New_York', () => {
    // Clocks go back on 7 November 2027: 23:00 on the 7th is UTC-5, 23:00 on the 6th UTC-4.
    const start = startUpgrade(
      {
        plan: 'single',
        options: {},
        lead: LEAD,
        windows: { a: window('2027-11-07T23:00', 'America/New_York') },
      },
      T0,
    );
    if (!start.ok) throw new Error(start.problems.join());
    const [dayBefore, quarterBefore, overrun] = scheduled(start.effects);
    expect(dayBefore?.dueAt).toBe('2027-11-07T03:00:00.000Z');
    expect(quarterBefore?.dueAt).toBe('2027-11-08T03:45:00.000Z');
    expect(overrun?.dueAt).toBe('2027-11-08T06:00:00.000Z');
  });

  it('skips reminders already in the past and refuses windows that have ended', () => {
    const soon = startUpgrade(
      { plan: 'single', options: {}, lead: LEAD, windows: { a: window('2026-11-28T11:00', 'UTC') } },
      T0,
    );
    if (!soon.ok) throw new Error(soon.problems.join());
    expect(scheduled(soon.effects).map((r) => r.dueAt)).toEqual([
      '2026-11-28T10:45:00.000Z',
      '2026-11-28T13:00:00.000Z',
    ]);
    const over = startUpgrade(
      { plan: 'single', options: {}, lead: LEAD, windows: { a: window('2026-11-27T11:00', 'UTC') } },
      T0,
    );
    expect(over.ok).toBe(false);
    const noB = startUpgrade(
      { plan: 'single', options: {}, lead: LEAD, windows: { b: window('2026-12-01T11:00', 'UTC') } },
      T0,
    );
    expect(noB.ok).toBe(false);
  });

  it('a window reminder snoozes, but never past the opening of its window, and leaves the other reminder alone', () => {
    const state = started('sync');
    const set = apply(state, {
      type: 'set-window',
      actor: lead,
      appliance: 'a',
      window: window('2026-11-29T10:30', 'UTC'),
    });
    const [dayBefore] = scheduled(set.effects);
    if (!dayBefore) throw new Error('no reminder');
    const now = T0.plus({ hours: 1 });
    const r = apply(set.state, { type: 'snooze', actor: lead, reminder: dayBefore, duration: 'P1D' }, now);
    expect(r.effects.filter((e) => e.type === 'reminders-cancelled')).toEqual([]);
    expect(scheduled(r.effects)).toEqual([
      expect.objectContaining({ rule: 'WINDOW_START', scope: 'a', dueAt: '2026-11-29T10:30:00.000Z' }),
    ]);
    const short = apply(
      set.state,
      { type: 'snooze', actor: lead, reminder: dayBefore, duration: 'PT1H' },
      now,
    );
    expect(scheduled(short.effects)[0]?.dueAt).toBe('2026-11-28T12:00:00.000Z');
    const afterOpening = transition(
      set.state,
      { type: 'snooze', actor: lead, reminder: dayBefore, duration: 'PT1H' },
      T0.plus({ days: 2 }),
    );
    expect(afterOpening.ok).toBe(false);
  });

  it('moving a window cancels its old reminders and a window reminder after the work is done is dropped', () => {
    const state = started('sync');
    const first = apply(state, {
      type: 'set-window',
      actor: lead,
      appliance: 'a',
      window: window('2026-12-01T20:00', 'UTC'),
    });
    const moved = apply(first.state, {
      type: 'set-window',
      actor: lead,
      appliance: 'a',
      window: window('2026-12-02T20:00', 'UTC'),
    });
    expect(moved.effects.slice(1, 3)).toEqual([
      { type: 'reminders-cancelled', rule: 'WINDOW_START', scope: 'a' },
      { type: 'reminders-cancelled', rule: 'WINDOW_OVERRUN', scope: 'a' },
    ]);
    const old = scheduled(first.effects)[0];
    if (!old) throw new Error('no reminder');
    expect(evaluateReminder(moved.state, old, DateTime.fromISO(old.dueAt)).send).toBe(false);
    const fresh = scheduled(moved.effects)[0];
    if (!fresh) throw new Error('no reminder');
    const decision = evaluateReminder(moved.state, fresh, DateTime.fromISO(fresh.dueAt));
    expect(decision.send && decision.notice.mention).toEqual({ kind: 'none' });
    const done = finishSteps(moved.state, [...prerequisitesOf(moved.state, 'a.verify'), 'a.verify']).state;
    expect(evaluateReminder(done, fresh, DateTime.fromISO(fresh.dueAt)).send).toBe(false);
  });

  it('an install running past its expected hour is reported to whoever claimed it', () => {
    const base = started('single');
    const ready = finishSteps(base, prerequisitesOf(base, 'a.update.site')).state;
    const claimed = apply(ready, { type: 'claim', actor: person(SECOND), step: 'a.update.site' });
    const overrun = scheduled(claimed.effects).find((r) => r.rule === 'WINDOW_OVERRUN');
    if (!overrun) throw new Error('no overrun reminder');
    const decision = evaluateReminder(claimed.state, overrun, T0.plus({ hours: 1 }));
    expect(decision.send && decision.notice.mention).toEqual({ kind: 'user', userId: SECOND });
    const finished = apply(
      claimed.state,
      { type: 'complete', actor: lead, step: 'a.update.site' },
      T0.plus({ minutes: 40 }),
    );
    expect(finished.effects).toContainEqual({
      type: 'reminders-cancelled',
      rule: 'WINDOW_OVERRUN',
      scope: 'a.update.site',
    });
    expect(evaluateReminder(finished.state, overrun, T0.plus({ hours: 1 })).send).toBe(false);
  });
});

describe('INSTALL_AFTER_DOWNLOAD, SYNC_CONFIRM, CLIENTS_SETTLE, CLAIM_STALE', () => {
  it('reminds to install soon after a manual download, until the site update is in', () => {
    const base = started('manual');
    const r = finishSteps(base, [...prerequisitesOf(base, 'a.update.fetch'), 'a.update.fetch']);
    const reminder = scheduled(r.effects).find((s) => s.rule === 'INSTALL_AFTER_DOWNLOAD');
    expect(reminder).toMatchObject({ scope: 'a', dueAt: '2026-11-28T10:30:00.000Z' });
    if (!reminder) return;
    expect(evaluateReminder(r.state, reminder, T0.plus({ minutes: 30 })).send).toBe(true);
    const installed = finishThrough(r.state, 'a.update.site');
    expect(installed.effects).toContainEqual({
      type: 'reminders-cancelled',
      rule: 'INSTALL_AFTER_DOWNLOAD',
      scope: 'a',
    });
    expect(evaluateReminder(installed.state, reminder, T0.plus({ minutes: 30 })).send).toBe(false);
  });

  it('asks for the sync date and time about 60 seconds after re-establishing, a few times at most', () => {
    const base = started('async');
    const r = finishSteps(base, [...prerequisitesOf(base, 'b.establish'), 'b.establish']);
    const ask = scheduled(r.effects).find((s) => s.rule === 'SYNC_CONFIRM');
    expect(ask).toMatchObject({ dueAt: '2026-11-28T10:01:00.000Z', occurrence: 1 });
    if (!ask) return;
    let decision = evaluateReminder(r.state, ask, T0.plus({ minutes: 1 }));
    let occurrences = 0;
    while (decision.send) {
      occurrences++;
      if (!decision.next) break;
      decision = evaluateReminder(r.state, decision.next, DateTime.fromISO(decision.next.dueAt));
    }
    expect(occurrences).toBe(4);
    const confirmed = apply(r.state, { type: 'confirm-sync', actor: lead });
    expect(evaluateReminder(confirmed.state, ask, T0.plus({ minutes: 1 })).send).toBe(false);
  });

  it('holds other work until Jump Clients are back, daily, until clients.settle', () => {
    const base = started('single');
    const r = finishSteps(base, [...prerequisitesOf(base, 'a.verify'), 'a.verify']);
    const settle = scheduled(r.effects).find((s) => s.rule === 'CLIENTS_SETTLE');
    expect(settle).toMatchObject({ dueAt: '2026-11-28T12:00:00.000Z' });
    if (!settle) return;
    const decision = evaluateReminder(r.state, settle, T0.plus({ hours: 2 }));
    expect(decision.send && decision.next?.dueAt).toBe('2026-11-29T12:00:00.000Z');
    const settled = finishSteps(r.state, ['clients.jump', 'clients.settle']);
    expect(evaluateReminder(settled.state, settle, T0.plus({ hours: 2 })).send).toBe(false);
  });

  it('nudges whoever claimed a step and left it untouched', () => {
    const claimed = apply(started('single'), { type: 'claim', actor: person(SECOND), step: 'prep.certs' });
    const stale = scheduled(claimed.effects).find((s) => s.rule === 'CLAIM_STALE');
    expect(stale?.dueAt).toBe('2026-11-28T12:00:00.000Z');
    if (!stale) return;
    const decision = evaluateReminder(claimed.state, stale, T0.plus({ hours: 2 }));
    expect(decision.send && decision.notice.mention).toEqual({ kind: 'user', userId: SECOND });
    const done = transition(
      claimed.state,
      { type: 'complete', actor: lead, step: 'prep.certs' },
      T0.plus({ hours: 1 }),
    );
    expect(done.ok && evaluateReminder(done.next, stale, T0.plus({ hours: 2 })).send).toBe(false);
  });
});
