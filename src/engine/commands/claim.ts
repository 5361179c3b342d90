import { mention, refuse } from '../refusals.js';
import { later, stamp } from '../time.js';
import { schedule } from '../time-rules.js';
import type { Command, Effect } from '../types.js';
import { quoted } from '../words.js';
import { type CommandHandler, onStep, prerequisitesPending } from './context.js';

/** "I'm on it": one person owns a step; claiming an install starts its overrun clock. */
export const claim: CommandHandler<Extract<Command, { type: 'claim' }>> = onStep(
  ({ state, plan, command, now, step, progress }) => {
    const by = command.actor.userId;
    if (progress.claimedBy === by) {
      return refuse('ALREADY_CLAIMED', `You are already on ${quoted(step.title)}.`, { duplicate: true });
    }
    // The lead may take over a claim, so a step never stays stuck with someone who is away.
    if (progress.claimedBy !== null && by !== state.lead) {
      return refuse(
        'ALREADY_CLAIMED',
        `${mention(progress.claimedBy)} is already on ${quoted(step.title)}. Ask them, or the lead, to hand it over.`,
        { missing: [step.key] },
      );
    }
    const pending = prerequisitesPending(plan, state, step);
    if (pending) return pending;

    const at = stamp(now);
    progress.claimedBy = by;
    progress.claimedAt = at;
    const effects: Effect[] = [
      { type: 'step-claimed', step: step.key, by },
      schedule('CLAIM_STALE', step.key, at, later(at, state.timing.claimStaleAfter)),
    ];
    if (step.install) {
      effects.push(schedule('WINDOW_OVERRUN', step.key, at, later(at, state.timing.installExpected)));
    }
    return { ok: true, next: state, effects };
  },
);
