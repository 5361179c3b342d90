import type { DateTime } from 'luxon';
import { durationBoundProblem, FAILOVER_GAP_LIMIT_BOUND } from './bounds.js';
import { resolvePlanOptions } from './catalogue/build-plan.js';
import { type Appliance, type PlanName, WINDOW_APPLIANCES, type WindowAppliance } from './constants.js';
import { planFor } from './plan-cache.js';
import { emptyProgress } from './state-queries.js';
import { DEFAULT_TIMING, isPositiveDuration, stamp } from './time.js';
import { windowReminders } from './time-rules.js';
import type {
  Effect,
  LinkedAppliances,
  MaintenanceWindow,
  Plan,
  PlanOptionsInput,
  Readings,
  TimingSettings,
  UpgradeState,
} from './types.js';
import { who } from './verification.js';
import { windowProblem } from './windows.js';

export interface StartInput {
  plan: PlanName;
  options: PlanOptionsInput;
  lead: string;
  timing?: Partial<TimingSettings>;
  windows?: Partial<Record<WindowAppliance, MaintenanceWindow>>;
  /** Appliances of the appliances file that this upgrade names, with what they answered just now. */
  linked?: { names: Partial<Record<Appliance, string>>; targetVersion: string | null; readings: Readings };
}

/**
 * Checks what the named appliances report before anything starts: each must answer, and a pair must
 * be A primary and B backup. The versions they report are recorded for the verify steps.
 */
function linkAppliances(
  planName: PlanName,
  linked: NonNullable<StartInput['linked']>,
): { ok: true; linked: LinkedAppliances } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const recorded: LinkedAppliances['recorded'] = {};
  const roles: Partial<Record<Appliance, string>> = {};
  for (const [appliance, name] of Object.entries(linked.names) as [Appliance, string][]) {
    const reading = linked.readings.appliances.find((r) => r.appliance === appliance);
    if (!reading?.ok || !reading.health) {
      const why = reading && !reading.ok ? reading.message : 'it gave no health answer';
      problems.push(
        `${who(appliance, name)} could not be asked: ${why}. Check the appliance and its entry in the appliances file, then start again (or start without naming it, to confirm its steps by clicks only).`,
      );
      continue;
    }
    recorded[appliance] = { version: reading.health.version, build: reading.health.build };
    roles[appliance] = reading.health.role;
  }
  const names = linked.names;
  if (problems.length === 0 && (planName === 'sync' || planName === 'async') && names.a && names.b) {
    if (roles.a !== 'primary' || roles.b !== 'backup') {
      const swapped = roles.a === 'backup' && roles.b === 'primary';
      problems.push(
        `${who('a', names.a)} reports failover role ${roles.a} and ${who('b', names.b)} reports ${roles.b}, but this plan starts from A primary and B backup. ${
          swapped
            ? `They are the other way round: start again with --a ${names.b} --b ${names.a}.`
            : 'Set up (or repair) the failover relationship first, or upgrade each appliance on its own with the single or manual plan.'
        }`,
      );
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    linked: { names: { ...names }, recorded, targetVersion: linked.targetVersion, jumpClients: null },
  };
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
  const linking = input.linked ? linkAppliances(input.plan, input.linked) : null;
  if (linking && !linking.ok) problems.push(...linking.problems);
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
    ...(linking?.ok ? { linked: linking.linked } : {}),
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
