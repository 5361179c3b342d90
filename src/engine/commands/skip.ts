import { refuse } from '../refusals.js';
import { openProblems } from '../state-queries.js';
import { stamp } from '../time.js';
import type { Command, Effect } from '../types.js';
import { quoted } from '../words.js';
import { type CommandHandler, meaningfulText, onStep, prerequisitesPending } from './context.js';
import { finish } from './finish.js';
import { afterStepResolved } from './step-resolved.js';

/** Skips an optional step; the reason is kept in the state and the audit log. */
export const skip: CommandHandler<Extract<Command, { type: 'skip' }>> = onStep(
  ({ state, plan, command, now, step, progress }) => {
    if (!step.skippable) {
      return refuse('NOT_SKIPPABLE', `${quoted(step.title)} cannot be skipped: it protects the upgrade.`, {
        missing: [step.key],
      });
    }
    const vague = meaningfulText(command.reason, 'a reason for skipping');
    if (vague) return vague;
    if (openProblems(state).some((p) => p.step === step.key)) {
      return refuse(
        'PROBLEM_OPEN',
        `${quoted(step.title)} has an open problem: record how it was resolved first.`,
        {
          missing: [step.key],
        },
      );
    }
    const pending = prerequisitesPending(plan, state, step);
    if (pending) return pending;

    const at = stamp(now);
    const reason = command.reason.trim();
    progress.status = 'skipped';
    progress.skipReason = reason;
    progress.confirmations = [{ by: command.actor.userId, at }];
    progress.completedAt = at;
    const effects: Effect[] = [
      { type: 'step-skipped', step: step.key, by: command.actor.userId, reason },
      ...afterStepResolved(plan, state, step, now),
    ];
    return finish(plan, state, effects, now);
  },
);
