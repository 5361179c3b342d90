import { describe, expect, it } from 'vitest';
import { transition } from '../../../src/engine/index.js';
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

describe('critical steps need a second, different person', () => {
  const ready = () => {
    const state = started('async');
    return finishSteps(state, prerequisitesOf(state, 'a.break')).state;
  };

  it('one person clicking twice never completes the break', () => {
    const first = apply(ready(), { type: 'complete', actor: person(LEAD), step: 'a.break' });
    expect(first.state.steps['a.break']?.status).toBe('awaiting-second');
    expect(first.effects).toEqual([{ type: 'step-confirmed', step: 'a.break', by: LEAD }]);
    expect(first.state.failover.brokenAt).toBeNull();

    const again = refusalOf(first.state, { type: 'complete', actor: person(LEAD), step: 'a.break' });
    expect(again.rule).toBe('SECOND_PERSON_REQUIRED');
    expect(again.duplicate).toBe(true);
    expect(again.message).toContain('second, different person');
  });

  it('a second person completes it and the failover gap opens', () => {
    const first = apply(ready(), { type: 'complete', actor: person(LEAD), step: 'a.break' });
    const second = apply(first.state, { type: 'complete', actor: person(SECOND), step: 'a.break' });
    expect(second.state.steps['a.break']?.status).toBe('done');
    expect(second.state.steps['a.break']?.confirmations.map((c) => c.by)).toEqual([LEAD, SECOND]);
    expect(effectsOfType(second.effects, 'step-completed')).toEqual([
      { type: 'step-completed', step: 'a.break', by: [LEAD, SECOND] },
    ]);
    expect(effectsOfType(second.effects, 'failover-gap-opened')).toHaveLength(1);
    expect(second.state.failover.brokenAt).not.toBeNull();
  });

  it('a first confirmation already counts as work built on the step before it', () => {
    const state = started('hardware');
    const almost = finishSteps(state, prerequisitesOf(state, 'old.decommission')).state;
    const first = apply(almost, { type: 'complete', actor: person(LEAD), step: 'old.decommission' });
    expect(first.state.steps['old.decommission']?.status).toBe('awaiting-second');
    const undo = refusalOf(first.state, { type: 'undo', actor: person(LEAD), step: 'new.verify' });
    expect(undo.rule).toBe('HAS_DEPENDANTS');
    expect(undo.missing).toEqual(['old.decommission']);
    // A second person from outside the channel cannot complete it either.
    const outsider = transition(
      first.state,
      { type: 'complete', actor: person('UOUT', false), step: 'old.decommission' },
      T0,
    );
    expect(outsider.ok).toBe(false);
  });

  it('an ordinary step is done with one confirmation', () => {
    const r = apply(started('single'), { type: 'complete', actor: person(LEAD), step: 'prep.window' });
    expect(r.state.steps['prep.window']?.status).toBe('done');
  });
});
