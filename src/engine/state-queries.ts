import type { WindowAppliance } from './constants.js';
import { planOf } from './plan-cache.js';
import type { Plan, Problem, StepDefinition, StepKey, StepProgress, UpgradeState } from './types.js';

export function emptyProgress(): StepProgress {
  return {
    status: 'pending',
    claimedBy: null,
    claimedAt: null,
    confirmations: [],
    completedAt: null,
    skipReason: null,
    checks: {},
  };
}

export function progressOf(state: UpgradeState, key: StepKey): StepProgress {
  return state.steps[key] ?? emptyProgress();
}

export function isResolved(progress: StepProgress): boolean {
  return progress.status === 'done' || progress.status === 'skipped';
}

/** Anything recorded against the step beyond a claim: a confirmation, a check, completion or a skip. */
export function hasStarted(progress: StepProgress): boolean {
  return (
    progress.status !== 'pending' ||
    progress.confirmations.length > 0 ||
    Object.keys(progress.checks).length > 0
  );
}

/** The step of this key in the plan; the one place a step is looked up by key. */
export function stepOf(plan: Plan, key: StepKey | null | undefined): StepDefinition | undefined {
  return key ? plan.steps.find((s) => s.key === key) : undefined;
}

/** The step's title, or its key when the plan has no such step (an option change removed it). */
export function titleOf(plan: Plan, key: StepKey): string {
  return stepOf(plan, key)?.title ?? key;
}

export function missingPrerequisites(state: UpgradeState, step: StepDefinition) {
  return step.prerequisites.filter((p) => !isResolved(progressOf(state, p.step)));
}

export function dependantsOf(plan: Plan, key: StepKey): StepDefinition[] {
  return plan.steps.filter((s) => s.prerequisites.some((p) => p.step === key));
}

/** Steps a person can work on now: not resolved, every prerequisite resolved. */
export function readySteps(plan: Plan, state: UpgradeState): StepDefinition[] {
  return plan.steps.filter(
    (s) => !isResolved(progressOf(state, s.key)) && missingPrerequisites(state, s).length === 0,
  );
}

export function openProblems(state: UpgradeState): Problem[] {
  return state.problems.filter((p) => p.resolvedAt === null);
}

export function allResolved(plan: Plan, state: UpgradeState): boolean {
  return plan.steps.every((s) => isResolved(progressOf(state, s.key)));
}

export function isClosed(state: UpgradeState): boolean {
  return state.status === 'completed' || state.status === 'aborted';
}

export function failoverIsBroken(state: UpgradeState): boolean {
  return state.failover.brokenAt !== null && state.failover.restoredAt === null;
}

/** The step that ends an appliance's work in its maintenance window. */
export function windowEndStep(plan: Plan, appliance: WindowAppliance): StepKey {
  return plan.name === 'hardware' ? 'new.verify' : `${appliance}.verify`;
}

/** The install step an appliance finishes its updates with (site, or base in a base-only upgrade). */
export function lastInstallOf(plan: Plan, appliance: 'a' | 'b'): StepKey {
  return plan.options.baseOnly ? `${appliance}.update.base` : `${appliance}.update.site`;
}

export function establishStepOf(plan: Plan): StepKey | null {
  return plan.name === 'sync' ? 'a.establish' : plan.name === 'async' ? 'b.establish' : null;
}

export const BREAK_STEP: StepKey = 'a.break';

export interface Progress {
  total: number;
  resolved: number;
  awaitingSecond: number;
}

export function progressCounts(plan: Plan, state: UpgradeState): Progress {
  let resolved = 0;
  let awaitingSecond = 0;
  for (const step of plan.steps) {
    const progress = progressOf(state, step.key);
    if (isResolved(progress)) resolved++;
    if (progress.status === 'awaiting-second') awaitingSecond++;
  }
  return { total: plan.steps.length, resolved, awaitingSecond };
}

/** The site upgrade is done and the client follow-up has begun, but Jump Clients are not all back. */
export function awaitingClientsSettle(state: UpgradeState): boolean {
  if (state.status !== 'active' && state.status !== 'blocked') return false;
  const plan = planOf(state);
  return (
    plan.clientsUnlockedBy !== null &&
    isResolved(progressOf(state, plan.clientsUnlockedBy)) &&
    !isResolved(progressOf(state, 'clients.settle'))
  );
}
