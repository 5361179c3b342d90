import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Command,
  PLAN_NAMES,
  PLAN_OPTIONS,
  planOf,
  SNOOZE_DURATIONS,
  SWITCH_METHODS,
  startUpgrade,
  topologicalOrder,
  transition,
  UPDATE_METHODS,
  type UpgradeState,
} from '../../../src/engine/index.js';
import { finishSteps, LEAD, person, SECOND, T0 } from '../../support/engine.js';

const PEOPLE = [person(LEAD), person(SECOND), person('UTHIRD'), person('UOUTSIDER', false)];

/** A command drawn blind: any verb, any person, any step key of any plan. */
function commandArbitrary(stepKeys: string[]): fc.Arbitrary<Command> {
  const actor = fc.constantFrom(...PEOPLE);
  const step = fc.constantFrom(...stepKeys, 'x.unknown');
  const text = fc.constantFrom('', 'ok', 'a reason given', 'support case 42');
  return fc.oneof(
    { weight: 8, arbitrary: fc.record({ type: fc.constant('complete' as const), actor, step }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('skip' as const), actor, step, reason: text }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('claim' as const), actor, step }) },
    {
      weight: 2,
      arbitrary: fc.record({
        type: fc.constant('confirm-check' as const),
        actor,
        step,
        check: fc.constantFrom('keys', 'other'),
      }),
    },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('undo' as const), actor, step }) },
    {
      weight: 1,
      arbitrary: fc.record({ type: fc.constant('report-problem' as const), actor, step, description: text }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        type: fc.constant('resolve-problem' as const),
        actor,
        problemId: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
        resolution: text,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        type: fc.constant('set-option' as const),
        actor,
        option: fc.constantFrom(...PLAN_OPTIONS),
        value: fc.constantFrom(...UPDATE_METHODS, ...SWITCH_METHODS, 'on', 'off', 'nonsense'),
      }),
    },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('confirm-sync' as const), actor }) },
    {
      weight: 1,
      arbitrary: fc.record({
        type: fc.constant('snooze' as const),
        actor,
        reminder: fc.record({
          rule: fc.constantFrom('FAILOVER_GAP' as const, 'CLAIM_STALE' as const),
          scope: fc.constantFrom('failover', 'prep.window'),
          anchor: fc.constant(T0.toUTC().toISO() ?? ''),
          occurrence: fc.constant(1),
        }),
        duration: fc.constantFrom(...SNOOZE_DURATIONS),
      }),
    },
  );
}

const ALL_KEYS = [
  ...new Set(
    PLAN_NAMES.flatMap((name) => {
      const s = startUpgrade({ plan: name, options: {}, lead: LEAD }, T0);
      return s.ok ? Object.keys(s.state.steps) : [];
    }),
  ),
];

const scenario = fc.record({
  plan: fc.constantFrom(...PLAN_NAMES),
  baseOnly: fc.boolean(),
  commands: fc.array(commandArbitrary(ALL_KEYS), { maxLength: 120 }),
});

function start(plan: (typeof PLAN_NAMES)[number], baseOnly: boolean): UpgradeState {
  const s = startUpgrade({ plan, options: { baseOnly }, lead: LEAD }, T0);
  if (!s.ok) throw new Error(s.problems.join());
  return s.state;
}

function checkInvariants(state: UpgradeState): void {
  const plan = planOf(state);
  expect(Object.keys(state.steps).sort()).toEqual(plan.steps.map((s) => s.key).sort());
  for (const step of plan.steps) {
    const progress = state.steps[step.key];
    if (!progress || progress.status === 'pending') continue;
    // Nothing is completed (or half-confirmed, or skipped) before its prerequisites.
    for (const p of step.prerequisites) {
      expect(['done', 'skipped'], `${step.key} before ${p.step}`).toContain(state.steps[p.step]?.status);
    }
    if (step.critical && progress.status === 'done') {
      expect(new Set(progress.confirmations.map((c) => c.by)).size).toBeGreaterThanOrEqual(2);
    }
    if (progress.status === 'skipped') expect(step.skippable).toBe(true);
  }
  expect(JSON.parse(JSON.stringify(state))).toEqual(state);
}

describe('random command sequences', () => {
  it('never complete a step before its prerequisites, nor a critical step with one person', () => {
    fc.assert(
      fc.property(scenario, ({ plan, baseOnly, commands }) => {
        let state = start(plan, baseOnly);
        let now = T0;
        for (const command of commands) {
          now = now.plus({ minutes: 7 });
          const before = JSON.stringify(state);
          const result = transition(state, command, now);
          // The engine never changes the state it was given.
          expect(JSON.stringify(state)).toBe(before);
          if (result.ok) {
            expect(command.actor.participant).toBe(true);
            state = result.next;
            checkInvariants(state);
          } else {
            expect(result.refusal.message.length).toBeGreaterThan(10);
            expect(result.refusal.rule.length).toBeGreaterThan(3);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('always leave a valid order that completes the upgrade', () => {
    fc.assert(
      fc.property(scenario, ({ plan, baseOnly, commands }) => {
        let state = start(plan, baseOnly);
        let now = T0;
        for (const command of commands) {
          now = now.plus({ minutes: 7 });
          const result = transition(state, command, now);
          if (result.ok) state = result.next;
        }
        if (state.status === 'aborted' || state.status === 'completed') return;
        for (const problem of state.problems.filter((p) => p.resolvedAt === null)) {
          const r = transition(
            state,
            {
              type: 'resolve-problem',
              actor: person(LEAD),
              problemId: problem.id,
              resolution: 'fixed by support',
            },
            now,
          );
          if (!r.ok) throw new Error(r.refusal.message);
          state = r.next;
        }
        const order = topologicalOrder(planOf(state)) ?? [];
        const remaining = order.filter((k) => !['done', 'skipped'].includes(state.steps[k]?.status ?? ''));
        // A half-confirmed critical step already holds the lead's confirmation: the second person finishes it.
        for (const key of remaining) {
          const progress = state.steps[key];
          if (progress?.status === 'awaiting-second') {
            const other = progress.confirmations.some((c) => c.by === SECOND) ? 'UTHIRD' : SECOND;
            const r = transition(state, { type: 'complete', actor: person(other), step: key }, now);
            if (!r.ok) throw new Error(r.refusal.message);
            state = r.next;
          } else {
            state = finishSteps(state, [key], now).state;
          }
        }
        expect(state.status).toBe('completed');
      }),
      { numRuns: 200 },
    );
  });
});
