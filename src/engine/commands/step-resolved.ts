import type { DateTime } from 'luxon';
import { BREAK_STEP, establishStepOf, lastInstallOf } from '../state-queries.js';
import { elapsed, later, stamp } from '../time.js';
import { cancel, FAILOVER_SCOPE, firstFailoverGapReminder, schedule } from '../time-rules.js';
import type { Effect, Plan, StepDefinition, UpgradeState } from '../types.js';

/**
 * What finishing a step sets in motion: the failover-gap clock, download and client reminders.
 * Mutates the handler's private copy of the state.
 */
export function afterStepResolved(
  plan: Plan,
  state: UpgradeState,
  step: StepDefinition,
  now: DateTime,
): Effect[] {
  const at = stamp(now);
  const effects: Effect[] = [cancel('CLAIM_STALE', step.key), cancel('WINDOW_OVERRUN', step.key)];
  const done = state.steps[step.key]?.status === 'done';

  if (done && step.key === BREAK_STEP) {
    state.failover = { brokenAt: at, restoredAt: null, syncConfirmedAt: null, syncConfirmedBy: null };
    effects.push({ type: 'failover-gap-opened', at }, firstFailoverGapReminder(state, at, now));
  }
  if (done && step.key === establishStepOf(plan) && state.failover.brokenAt !== null) {
    const openedAt = state.failover.brokenAt;
    state.failover.restoredAt = at;
    effects.push(
      { type: 'failover-gap-closed', at, openedAt, duration: elapsed(openedAt, at) },
      cancel('FAILOVER_GAP', FAILOVER_SCOPE),
      schedule('SYNC_CONFIRM', FAILOVER_SCOPE, at, later(at, state.timing.syncConfirmAfter)),
    );
  }
  for (const appliance of ['a', 'b'] as const) {
    if (done && step.key === `${appliance}.update.fetch`) {
      effects.push(
        schedule('INSTALL_AFTER_DOWNLOAD', appliance, at, later(at, state.timing.installAfterDownload)),
      );
    }
    if (step.key === lastInstallOf(plan, appliance))
      effects.push(cancel('INSTALL_AFTER_DOWNLOAD', appliance));
  }
  if (step.key === plan.clientsUnlockedBy) {
    effects.push(
      schedule('CLIENTS_SETTLE', 'clients.settle', at, later(at, state.timing.clientsSettleAfter)),
    );
  }
  if (step.key === 'clients.settle') effects.push(cancel('CLIENTS_SETTLE'));
  return effects;
}
