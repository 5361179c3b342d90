import { refuse } from '../refusals.js';
import { openProblems } from '../state-queries.js';
import { stamp } from '../time.js';
import type { Command, Effect } from '../types.js';
import { type CommandHandler, meaningfulText } from './context.js';

/** Records how a problem was resolved; the upgrade resumes once no base-software problem is open. */
export const resolveProblem: CommandHandler<Extract<Command, { type: 'resolve-problem' }>> = ({
  state,
  command,
  now,
}) => {
  const open = openProblems(state);
  const problem = command.problemId === null ? open[0] : open.find((p) => p.id === command.problemId);
  if (!problem) {
    return refuse(
      'NO_OPEN_PROBLEM',
      command.problemId === null
        ? 'There is no open problem to resolve.'
        : `Problem #${command.problemId} is not open.`,
    );
  }
  const vague = meaningfulText(command.resolution, 'how the problem was resolved');
  if (vague) return vague;

  problem.resolvedBy = command.actor.userId;
  problem.resolvedAt = stamp(now);
  problem.resolution = command.resolution.trim();
  const effects: Effect[] = [
    {
      type: 'problem-resolved',
      problemId: problem.id,
      by: command.actor.userId,
      resolution: problem.resolution,
    },
  ];
  if (state.status === 'blocked' && !openProblems(state).some((p) => p.base)) {
    state.status = 'active';
    effects.push({ type: 'upgrade-unblocked' });
  }
  return { ok: true, next: state, effects };
};
