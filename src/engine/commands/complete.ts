import { checkRefusal, refuse } from '../refusals.js';
import { openProblems } from '../state-queries.js';
import { stamp } from '../time.js';
import type {
  Command,
  Effect,
  Plan,
  StepDefinition,
  StepProgress,
  TransitionResult,
  UpgradeState,
} from '../types.js';
import { quoted } from '../words.js';
import { decideWithAppliances, recordEvidence } from './appliance-check.js';
import { type CommandHandler, onStep, prerequisitesPending } from './context.js';
import { finish } from './finish.js';
import { afterStepResolved } from './step-resolved.js';

/**
 * Why a step cannot be confirmed now, before any appliance is asked: an open problem, a missing
 * prerequisite or check, or the same person confirming a critical step twice. Null: go ahead.
 */
export function completionBlocker(
  plan: Plan,
  state: UpgradeState,
  step: StepDefinition,
  progress: StepProgress,
  by: string,
): TransitionResult | null {
  const problem = openProblems(state).find((p) => p.step === step.key);
  if (problem) {
    return refuse(
      'PROBLEM_OPEN',
      `${quoted(step.title)} has an open problem (#${problem.id}): record how it was resolved first.`,
      { missing: [step.key] },
    );
  }
  const pending = prerequisitesPending(plan, state, step);
  if (pending) return pending;
  const uncheckedFirst = step.checks.find((c) => !progress.checks[c.id]);
  if (uncheckedFirst) return checkRefusal(step, uncheckedFirst);
  if (step.critical && progress.confirmations.some((c) => c.by === by)) {
    return refuse(
      'SECOND_PERSON_REQUIRED',
      `You already confirmed ${quoted(step.title)}. It is a critical step: a second, different person has to confirm it too.`,
      { missing: [step.key], duplicate: true },
    );
  }
  return null;
}

/**
 * Confirms a step; a critical step needs two different people before it counts as done. On an upgrade
 * with linked appliances, a verified step also needs the appliances' readings to agree.
 */
export const complete: CommandHandler<Extract<Command, { type: 'complete' }>> = onStep(
  ({ state, plan, command, now, step, progress }) => {
    const by = command.actor.userId;
    const blocked = completionBlocker(plan, state, step, progress, by);
    if (blocked) return blocked;
    const decided = decideWithAppliances({
      plan,
      state,
      step,
      readings: command.readings,
      override: command.override,
      by,
      now,
    });
    if (!decided.ok) return decided.result;
    recordEvidence(progress, decided.evidence);

    const at = stamp(now);
    if (step.critical) {
      progress.confirmations.push({ by, at });
      if (progress.confirmations.length < 2) {
        progress.status = 'awaiting-second';
        return {
          ok: true,
          next: state,
          effects: [...decided.effects, { type: 'step-confirmed', step: step.key, by }],
        };
      }
    } else {
      progress.confirmations = [{ by, at }];
    }
    progress.status = 'done';
    progress.completedAt = at;
    const effects: Effect[] = [
      ...decided.effects,
      { type: 'step-completed', step: step.key, by: progress.confirmations.map((c) => c.by) },
      ...afterStepResolved(plan, state, step, now),
    ];
    return finish(plan, state, effects, now);
  },
);
