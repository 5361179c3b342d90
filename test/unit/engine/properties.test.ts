import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Command,
  PLAN_NAMES,
  PLAN_OPTIONS,
  planOf,
  readySteps,
  SNOOZE_DURATIONS,
  SWITCH_METHODS,
  startUpgrade,
  topologicalOrder,
  transition,
  UPDATE_METHODS,
  type UpgradeState,
} from '../../../src/engine/index.js';
import { finishSteps, LEAD, person, SECOND, T0 } from '../../support/engine.js';

// Hundreds of long command sequences: seconds of CPU, many more on a loaded machine. The runs are
// bounded by numRuns; the timeout only keeps a slow machine from failing a correct property.
const PROPERTY_TIMEOUT_MS = 180_000;

const PEOPLE = [person(LEAD), person(SECOND), person('UTHIRD'), person('UOUTSIDER', false)];

/**
 * What a command is about is decided when it runs: mostly a step that is ready now (so sequences get
 * deep into the runbook, through the critical steps), sometimes any step of any plan, or an unknown one.
 */
interface Intent {
  verb:
    | 'complete'
    | 'skip'
    | 'claim'
    | 'confirm-check'
    | 'undo'
    | 'report-problem'
    | 'resolve-problem'
    | 'set-option'
    | 'confirm-sync'
    | 'snooze'
    | 'abort';
  actor: (typeof PEOPLE)[number];
  pickReady: boolean;
  index: number;
  text: string;
  option: (typeof PLAN_OPTIONS)[number];
  value: string;
  duration: (typeof SNOOZE_DURATIONS)[number];
}

const intentArbitrary: fc.Arbitrary<Intent> = fc.record({
  verb: fc.oneof(
    { weight: 30, arbitrary: fc.constant('complete' as const) },
    { weight: 3, arbitrary: fc.constant('skip' as const) },
    { weight: 3, arbitrary: fc.constant('claim' as const) },
    { weight: 4, arbitrary: fc.constant('confirm-check' as const) },
    { weight: 2, arbitrary: fc.constant('undo' as const) },
    { weight: 1, arbitrary: fc.constant('report-problem' as const) },
    { weight: 2, arbitrary: fc.constant('resolve-problem' as const) },
    { weight: 1, arbitrary: fc.constant('set-option' as const) },
    { weight: 1, arbitrary: fc.constant('confirm-sync' as const) },
    { weight: 1, arbitrary: fc.constant('snooze' as const) },
    { weight: 1, arbitrary: fc.constant('abort' as const) },
  ),
  actor: fc.constantFrom(...PEOPLE),
  pickReady: fc.boolean().map((b) => b || Math.random() < 0.6),
  index: fc.nat({ max: 1000 }),
  text: fc.constantFrom('', 'ok', 'a reason given', 'support case 42'),
  option: fc.constantFrom(...PLAN_OPTIONS),
  value: fc.constantFrom(...UPDATE_METHODS, ...SWITCH_METHODS, 'on', 'off', 'nonsense'),
  duration: fc.constantFrom(...SNOOZE_DURATIONS),
});

function commandFor(intent: Intent, state: UpgradeState): Command {
  const plan = planOf(state);
  const ready = readySteps(plan, state).map((s) => s.key);
  const pool = intent.pickReady && ready.length > 0 ? ready : [...ALL_KEYS, 'x.unknown'];
  const step = pool[intent.index % pool.length] ?? 'x.unknown';
  const actor = intent.actor;
  switch (intent.verb) {
    case 'complete':
    case 'claim':
    case 'undo':
      return { type: intent.verb, actor, step };
    case 'skip':
      return { type: 'skip', actor, step, reason: intent.text };
    case 'confirm-check':
      return { type: 'confirm-check', actor, step, check: intent.index % 5 === 0 ? 'other' : 'keys' };
    case 'report-problem':
      return { type: 'report-problem', actor, step, description: intent.text };
    case 'resolve-problem':
      return {
        type: 'resolve-problem',
        actor,
        problemId: intent.index % 2 ? null : (intent.index % 3) + 1,
        resolution: intent.text,
      };
    case 'set-option':
      return { type: 'set-option', actor, option: intent.option, value: intent.value };
    case 'confirm-sync':
      return { type: 'confirm-sync', actor };
    case 'abort':
      // Rare on purpose: an aborted upgrade ends the sequence's interest.
      return intent.index % 7 === 0
        ? { type: 'abort', actor, reason: intent.text }
        : { type: 'complete', actor, step };
    case 'snooze':
      return {
        type: 'snooze',
        actor,
        duration: intent.duration,
        reminder: {
          rule: 'FAILOVER_GAP',
          scope: 'failover',
          anchor: state.failover.brokenAt ?? T0.toUTC().toISO() ?? '',
          occurrence: 1,
        },
      };
  }
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
  intents: fc.array(intentArbitrary, { minLength: 50, maxLength: 300, size: 'max' }),
});

/** How deep the runs went: the properties are only worth something if critical steps were reached. */
const reached = { criticalDone: 0, completed: 0, runs: 0 };

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
  it(
    'never complete a step before its prerequisites, nor a critical step with one person',
    () => {
      fc.assert(
        fc.property(scenario, ({ plan, baseOnly, intents }) => {
          let state = start(plan, baseOnly);
          let now = T0;
          reached.runs++;
          for (const intent of intents) {
            now = now.plus({ minutes: 7 });
            const command = commandFor(intent, state);
            const before = JSON.stringify(state);
            const result = transition(state, command, now);
            // The engine never changes the state it was given.
            expect(JSON.stringify(state)).toBe(before);
            if (result.ok) {
              expect(command.actor.participant).toBe(true);
              state = result.next;
              checkInvariants(state);
              for (const effect of result.effects) {
                if (effect.type === 'step-completed' && effect.by.length > 1) reached.criticalDone++;
                if (effect.type === 'upgrade-completed') reached.completed++;
              }
            } else {
              expect(result.refusal.message.length).toBeGreaterThan(10);
              expect(result.refusal.rule.length).toBeGreaterThan(3);
            }
          }
        }),
        { numRuns: 200 },
      );
      // The generator reaches the dangerous part of the runbook, not just the preparation.
      expect(reached.criticalDone).toBeGreaterThan(reached.runs / 4);
      expect(reached.completed).toBeGreaterThan(0);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'always leave a valid order that completes the upgrade',
    () => {
      fc.assert(
        fc.property(scenario, ({ plan, baseOnly, intents }) => {
          let state = start(plan, baseOnly);
          let now = T0;
          for (const intent of intents) {
            now = now.plus({ minutes: 7 });
            const result = transition(state, commandFor(intent, state), now);
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
        { numRuns: 150 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
