import { refuse } from '../refusals.js';
import {
  BREAK_STEP,
  dependantsOf,
  emptyProgress,
  establishStepOf,
  hasStarted,
  progressOf,
} from '../state-queries.js';
import { stamp } from '../time.js';
import { cancel, FAILOVER_SCOPE, firstFailoverGapReminder } from '../time-rules.js';
import type { Command, Effect } from '../types.js';
import { quoted } from '../words.js';
import { type CommandHandler, findStep, isRefusal, leadOnly } from './context.js';

/** The lead takes back a step nothing has built on yet; the failover clock follows. */
export const undo: CommandHandler<Extract<Command, { type: 'undo' }>> = ({ state, plan, command, now }) => {
  const notLead = leadOnly(state, command.actor.userId, 'undo a step');
  if (notLead) return notLead;
  const step = findStep(plan, command.step);
  if (isRefusal(step)) return step;
  const progress = progressOf(state, step.key);
  if (!hasStarted(progress)) {
    return refuse(
      'NOT_STARTED',
      `${quoted(step.title)} has not been confirmed, so there is nothing to undo.`,
    );
  }
  const inTheWay = dependantsOf(plan, step.key).filter((d) => hasStarted(progressOf(state, d.key)));
  if (inTheWay.length > 0) {
    return refuse(
      'HAS_DEPENDANTS',
      `${quoted(step.title)} cannot be undone: ${inTheWay.map((d) => quoted(d.title)).join(', ')} already built on it. Undo those first.`,
      { missing: inTheWay.map((d) => d.key) },
    );
  }

  const wasDone = progress.status === 'done';
  state.steps[step.key] = emptyProgress();
  const effects: Effect[] = [
    { type: 'step-undone', step: step.key, by: command.actor.userId, previous: progress.status },
  ];
  const at = stamp(now);
  if (wasDone && step.key === BREAK_STEP) {
    state.failover = { brokenAt: null, restoredAt: null, syncConfirmedAt: null, syncConfirmedBy: null };
    effects.push({ type: 'failover-gap-withdrawn', at }, cancel('FAILOVER_GAP', FAILOVER_SCOPE));
  }
  const brokenAt = state.failover.brokenAt;
  if (wasDone && step.key === establishStepOf(plan) && brokenAt !== null) {
    state.failover = { brokenAt, restoredAt: null, syncConfirmedAt: null, syncConfirmedBy: null };
    effects.push(
      { type: 'failover-gap-reopened', at },
      cancel('SYNC_CONFIRM', FAILOVER_SCOPE),
      firstFailoverGapReminder(state, brokenAt, now, `reopened-${at}`),
    );
  }
  if (step.key === plan.clientsUnlockedBy) effects.push(cancel('CLIENTS_SETTLE'));
  for (const appliance of ['a', 'b'] as const) {
    if (step.key === `${appliance}.update.fetch`) effects.push(cancel('INSTALL_AFTER_DOWNLOAD', appliance));
  }
  return { ok: true, next: state, effects };
};
