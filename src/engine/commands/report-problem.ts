import { stamp } from '../time.js';
import type { Command, Effect } from '../types.js';
import { type CommandHandler, findStep, isRefusal, meaningfulText } from './context.js';

export const BASE_PROBLEM_GUIDANCE =
  'Do not restart the appliance; contact BeyondTrust Technical Support. The upgrade is on hold until someone records how the problem was resolved.';

/** Records a problem; one on a base-software step holds the whole upgrade, as the guide demands. */
export const reportProblem: CommandHandler<Extract<Command, { type: 'report-problem' }>> = ({
  state,
  plan,
  command,
  now,
}) => {
  const step = findStep(plan, command.step);
  if (isRefusal(step)) return step;
  const vague = meaningfulText(command.description, 'a short description of the problem');
  if (vague) return vague;

  const id = state.problems.reduce((max, p) => Math.max(max, p.id), 0) + 1;
  const base = step.software === 'base';
  const description = command.description.trim();
  state.problems.push({
    id,
    step: step.key,
    by: command.actor.userId,
    at: stamp(now),
    description,
    base,
    resolvedBy: null,
    resolvedAt: null,
    resolution: null,
  });
  const effects: Effect[] = [
    { type: 'problem-reported', problemId: id, step: step.key, by: command.actor.userId, description, base },
  ];
  if (base) {
    effects.push({ type: 'guidance', kind: 'base-problem', message: BASE_PROBLEM_GUIDANCE });
    if (state.status === 'active') {
      state.status = 'blocked';
      effects.push({ type: 'upgrade-blocked', problemId: id });
    }
  }
  return { ok: true, next: state, effects };
};
