import { DateTime } from 'luxon';
import {
  type Actor,
  type Command,
  type Effect,
  type PlanName,
  type PlanOptions,
  type PlanOptionsInput,
  planOf,
  type Refusal,
  type StartInput,
  SWITCH_METHODS,
  startUpgrade,
  topologicalOrder,
  transition,
  UPDATE_METHODS,
  type UpgradeState,
} from '../../src/engine/index.js';
import { stepOf } from '../../src/engine/state-queries.js';

export const T0 = DateTime.fromISO('2026-11-28T10:00:00Z', { zone: 'utc' });
export const LEAD = 'ULEAD';
export const SECOND = 'USECOND';

export function person(userId: string, participant = true): Actor {
  return { userId, participant };
}

export function started(
  plan: PlanName,
  options: PlanOptionsInput = {},
  extra: Partial<StartInput> = {},
): UpgradeState {
  const result = startUpgrade({ plan, options, lead: LEAD, ...extra }, T0);
  if (!result.ok) throw new Error(`could not start ${plan}: ${result.problems.join('; ')}`);
  return result.state;
}

/** Applies a command that must succeed; fails the test with the refusal otherwise. */
export function apply(
  state: UpgradeState,
  command: Command,
  now: DateTime = T0,
): { state: UpgradeState; effects: Effect[] } {
  const result = transition(state, command, now);
  if (!result.ok)
    throw new Error(`${command.type} refused: ${result.refusal.rule} ${result.refusal.message}`);
  return { state: result.next, effects: result.effects };
}

export function refusalOf(state: UpgradeState, command: Command, now: DateTime = T0): Refusal {
  const result = transition(state, command, now);
  if (result.ok) throw new Error(`${command.type} was accepted but should have been refused`);
  return result.refusal;
}

/**
 * Finishes one step the way a team would: checks confirmed, then one confirmation, or two different
 * people for a critical step.
 */
export function finishStep(
  state: UpgradeState,
  key: string,
  now: DateTime = T0,
): { state: UpgradeState; effects: Effect[] } {
  const step = stepOf(planOf(state), key);
  if (!step) throw new Error(`no step ${key} in ${state.plan}`);
  let current = state;
  const effects: Effect[] = [];
  for (const check of step.checks) {
    if (current.steps[key]?.checks[check.id]) continue;
    const r = apply(current, { type: 'confirm-check', actor: person(LEAD), step: key, check: check.id }, now);
    current = r.state;
    effects.push(...r.effects);
  }
  const first = apply(current, { type: 'complete', actor: person(LEAD), step: key }, now);
  current = first.state;
  effects.push(...first.effects);
  if (step.critical) {
    const second = apply(current, { type: 'complete', actor: person(SECOND), step: key }, now);
    current = second.state;
    effects.push(...second.effects);
  }
  return { state: current, effects };
}

export function finishSteps(state: UpgradeState, keys: string[], now: DateTime = T0) {
  let current = state;
  const effects: Effect[] = [];
  for (const key of keys) {
    const r = finishStep(current, key, now);
    current = r.state;
    effects.push(...r.effects);
  }
  return { state: current, effects };
}

/** Every step before `key` in a valid order of the runbook, and nothing after it. */
export function stepsBefore(state: UpgradeState, key: string): string[] {
  const order = topologicalOrder(planOf(state));
  if (!order) throw new Error('cyclic plan');
  const index = order.indexOf(key);
  if (index < 0) throw new Error(`no step ${key}`);
  return order.slice(0, index);
}

/** Finishes every prerequisite (transitively) of `key`, and nothing else. */
export function prerequisitesOf(state: UpgradeState, key: string): string[] {
  const plan = planOf(state);
  const needed = new Set<string>();
  const visit = (k: string) => {
    for (const p of stepOf(plan, k)?.prerequisites ?? []) {
      if (!needed.has(p.step)) {
        needed.add(p.step);
        visit(p.step);
      }
    }
  };
  visit(key);
  const order = topologicalOrder(plan) ?? [];
  return order.filter((k) => needed.has(k));
}

export function effectsOfType<T extends Effect['type']>(
  effects: Effect[],
  type: T,
): Extract<Effect, { type: T }>[] {
  return effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);
}

/** Every option combination a plan accepts. */
export function allOptionCombinations(plan: PlanName): PlanOptions[] {
  const combos: PlanOptions[] = [];
  for (const baseOnly of [false, true]) {
    if (plan === 'single') combos.push({ methodA: 'auto', methodB: null, switchMethod: null, baseOnly });
    if (plan === 'manual') combos.push({ methodA: 'manual', methodB: null, switchMethod: null, baseOnly });
    if (plan === 'hardware') {
      for (const methodA of UPDATE_METHODS)
        combos.push({ methodA, methodB: null, switchMethod: null, baseOnly });
    }
    if (plan === 'sync' || plan === 'async') {
      for (const methodA of UPDATE_METHODS) {
        for (const methodB of UPDATE_METHODS) {
          const switches = plan === 'async' ? SWITCH_METHODS : [null];
          for (const switchMethod of switches) combos.push({ methodA, methodB, switchMethod, baseOnly });
        }
      }
    }
  }
  return combos;
}

/** Finishes whatever `key` still needs, then `key` itself. */
export function finishThrough(state: UpgradeState, key: string, now: DateTime = T0) {
  const open = prerequisitesOf(state, key).filter((k) => {
    const status = state.steps[k]?.status;
    return status !== 'done' && status !== 'skipped';
  });
  return finishSteps(state, [...open, key], now);
}
