import { checkRefusal, refuse } from '../refusals.js';
import { openProblems } from '../state-queries.js';
import { stamp } from '../time.js';
import type { Command, Effect } from '../types.js';
import { quoted } from '../words.js';
import { type CommandHandler, onStep, prerequisitesPending } from './context.js';
import { finish } from './finish.js';
import { afterStepResolved } from './step-resolved.js';

/** Confirms a step; a critical step needs two different people before it counts as done. */
export const complete: CommandHandler<Extract<Command, { type: 'complete' }>> = onStep(
  ({ state, plan, command, now, step, progress }) => {
    const problem = openProblems(state).find((p) => p.step === step.key);
    if (problem) {
      return refuse(
        'PROBLEM_OPEN',
        `${quoted(step.title)} has an open problem (#${problem.id}): record how it was resolved first.`,
        {
          missing: [step.key],
        },
      );
    }
    const pending = prerequisitesPending(plan, state, step);
    if (pending) return pending;
    const uncheckedFirst = step.checks.find((c) => !progress.checks[c.id]);
    if (uncheckedFirst) return checkRefusal(step, uncheckedFirst);

    const at = stamp(now);
    const by = command.actor.userId;
    if (step.critical) {
      if (progress.confirmations.some((c) => c.by === by)) {
        return refuse(
          'SECOND_PERSON_REQUIRED',
          `You already confirmed ${quoted(step.title)}. It is a critical step: a second, different person has to confirm it too.`,
          { missing: [step.key], duplicate: true },
        );
      }
      progress.confirmations.push({ by, at });
      if (progress.confirmations.length < 2) {
        progress.status = 'awaiting-second';
        return { ok: true, next: state, effects: [{ type: 'step-confirmed', step: step.key, by }] };
      }
    } else {
      progress.confirmations = [{ by, at }];
    }
    progress.status = 'done';
    progress.completedAt = at;
    const effects: Effect[] = [
      { type: 'step-completed', step: step.key, by: progress.confirmations.map((c) => c.by) },
      ...afterStepResolved(plan, state, step, now),
    ];
    return finish(plan, state, effects, now);
  },
);
