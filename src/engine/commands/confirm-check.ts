import { alreadyDone, mention, orderRefusal, quoted, refuse } from '../refusals.js';
import { emptyProgress, isResolved, missingPrerequisites } from '../state-queries.js';
import { stamp } from '../time.js';
import type { Command } from '../types.js';
import { type CommandHandler, findStep, isRefusal } from './context.js';

/** Confirms one of a step's checks, such as matching inter-appliance keys before Establish Relationship. */
export const confirmCheck: CommandHandler<Extract<Command, { type: 'confirm-check' }>> = ({
  state,
  plan,
  command,
  now,
}) => {
  const step = findStep(plan, command.step);
  if (isRefusal(step)) return step;
  const check = step.checks.find((c) => c.id === command.check);
  if (!check) {
    return refuse('UNKNOWN_CHECK', `${quoted(step.title)} has no check “${command.check}”.`, {
      missing: [step.key],
    });
  }
  const progress = state.steps[step.key] ?? emptyProgress();
  state.steps[step.key] = progress;
  if (isResolved(progress)) return alreadyDone(state, step);
  const earlier = progress.checks[check.id];
  if (earlier) {
    return refuse('ALREADY_DONE', `${quoted(check.title)} was already confirmed by ${mention(earlier.by)}.`, {
      duplicate: true,
    });
  }
  const missing = missingPrerequisites(state, step);
  if (missing.length > 0) return { ok: false, refusal: orderRefusal(plan, step, missing) };

  progress.checks[check.id] = { by: command.actor.userId, at: stamp(now) };
  return {
    ok: true,
    next: state,
    effects: [{ type: 'check-confirmed', step: step.key, check: check.id, by: command.actor.userId }],
  };
};
