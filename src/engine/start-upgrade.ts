import type { DateTime } from 'luxon';
import { durationBoundProblem, FAILOVER_GAP_LIMIT_BOUND } from './bounds.js';
import { resolvePlanOptions } from './catalogue/build-plan.js';
import { type PlanName, WINDOW_APPLIANCES, type WindowAppliance } from './constants.js';
import { planFor } from './plan-cache.js';
import { emptyProgress } from './state-queries.js';
import { DEFAULT_TIMING, isPositiveDuration, stamp } from './time.js';
import { windowReminders } from './time-rules.js';
import type {
  Effect,
  MaintenanceWindow,
  Plan,
  PlanOptionsInput,
  TimingSettings,
  UpgradeState,
} from './types.js';
import { windowProblem } from './windows.js';

export interface StartInput {
  plan: PlanName;
  options: PlanOptionsInput;
  lead: string;
  timing?: Partial<TimingSettings>;
  windows?: Partial<Record<WindowAppliance, MaintenanceWindow>>;
}

export type StartResult =
  | { ok: true; state: UpgradeState; plan: Plan; effects: Effect[] }
  | { ok: false; problems: string[] };

/** The first state of an upgrade: every step of the runbook pending, reminders for any windows given. */
export function startUpgrade(input: StartInput, now: DateTime): StartResult {
  const resolved = resolvePlanOptions(input.plan, input.options);
  if (!resolved.ok) return resolved;
  const timing: TimingSettings = { ...DEFAULT_TIMING, ...input.timing };
  const problems: string[] = [];
  for (const [name, value] of Object.entries(timing)) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (!isPositiveDuration(v))
        problems.push(`${name} “${v}” is not a positive ISO-8601 duration such as PT4H.`);
    }
  }
  if (problems.length === 0) {
    const gap = durationBoundProblem(
      timing.failoverGapLimit,
      FAILOVER_GAP_LIMIT_BOUND,
      'The failover gap limit',
    );
    if (gap) problems.push(gap);
  }
  const plan = planFor(input.plan, resolved.options);
  const windows: Partial<Record<WindowAppliance, MaintenanceWindow>> = {};
  for (const appliance of WINDOW_APPLIANCES) {
    const window = input.windows?.[appliance];
    if (!window) continue;
    const problem = windowProblem(plan, appliance, window, now);
    if (problem) problems.push(problem.message);
    else windows[appliance] = window;
  }
  if (problems.length > 0) return { ok: false, problems };

  const state: UpgradeState = {
    plan: input.plan,
    options: resolved.options,
    lead: input.lead,
    status: 'active',
    startedAt: stamp(now),
    endedAt: null,
    abortReason: null,
    steps: Object.fromEntries(plan.steps.map((s) => [s.key, emptyProgress()])),
    problems: [],
    failover: { brokenAt: null, restoredAt: null, syncConfirmedAt: null, syncConfirmedBy: null },
    windows,
    timing,
    snoozed: {},
  };
  const effects: Effect[] = [{ type: 'upgrade-started', plan: input.plan, lead: input.lead }];
  for (const warning of plan.warnings)
    effects.push({ type: 'warning', code: warning.code, message: warning.message });
  for (const appliance of WINDOW_APPLIANCES) {
    const window = windows[appliance];
    if (!window) continue;
    effects.push({ type: 'window-set', appliance, window, by: input.lead });
    effects.push(...windowReminders(appliance, window, state, now));
  }
  return { ok: true, state, plan, effects };
}
