import type { DateTime } from 'luxon';
import { allResolved } from '../state-queries.js';
import { stamp } from '../time.js';
import { cancel } from '../time-rules.js';
import type { Effect, Plan, TransitionResult, UpgradeState } from '../types.js';

/** Closes the upgrade once every step is done or skipped. */
export function finish(plan: Plan, state: UpgradeState, effects: Effect[], now: DateTime): TransitionResult {
  if (state.status === 'active' && allResolved(plan, state)) {
    state.status = 'completed';
    state.endedAt = stamp(now);
    effects.push({ type: 'upgrade-completed', at: state.endedAt }, cancel(null));
  }
  return { ok: true, next: state, effects };
}
