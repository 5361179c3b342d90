import { mention, refuse } from '../refusals.js';
import { stamp } from '../time.js';
import type { Command } from '../types.js';
import { quoted } from '../words.js';
import { decideWithAppliances, recordEvidence } from './appliance-check.js';
import { type CommandHandler, onStep, prerequisitesPending } from './context.js';

/** Confirms one of a step's checks, such as matching inter-appliance keys before Establish Relationship. */
export const confirmCheck: CommandHandler<Extract<Command, { type: 'confirm-check' }>> = onStep(
  ({ state, plan, command, now, step, progress }) => {
    const check = step.checks.find((c) => c.id === command.check);
    if (!check) {
      return refuse('UNKNOWN_CHECK', `${quoted(step.title)} has no check “${command.check}”.`, {
        missing: [step.key],
      });
    }
    const earlier = progress.checks[check.id];
    if (earlier) {
      return refuse(
        'ALREADY_DONE',
        `${quoted(check.title)} was already confirmed by ${mention(earlier.by)}.`,
        {
          duplicate: true,
        },
      );
    }
    const pending = prerequisitesPending(plan, state, step);
    if (pending) return pending;

    const decided = decideWithAppliances({
      plan,
      state,
      step,
      check: check.id,
      readings: command.readings,
      override: command.override,
      by: command.actor.userId,
      now,
    });
    if (!decided.ok) return decided.result;
    recordEvidence(progress, decided.evidence);

    progress.checks[check.id] = { by: command.actor.userId, at: stamp(now) };
    return {
      ok: true,
      next: state,
      effects: [
        ...decided.effects,
        { type: 'check-confirmed', step: step.key, check: check.id, by: command.actor.userId },
      ],
    };
  },
);
