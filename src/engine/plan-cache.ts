import { buildPlan } from './catalogue/build-plan.js';
import type { PlanName } from './constants.js';
import type { Plan, PlanOptions, UpgradeState } from './types.js';

// Plans are derived from (name, options) and never stored; building is deterministic, so caching is safe.
const cache = new Map<string, Plan>();

export function planFor(name: PlanName, options: PlanOptions): Plan {
  const key = `${name}:${options.methodA}:${options.methodB}:${options.switchMethod}:${options.baseOnly}`;
  let plan = cache.get(key);
  if (!plan) {
    plan = buildPlan(name, options);
    cache.set(key, plan);
  }
  return plan;
}

export function planOf(state: Pick<UpgradeState, 'plan' | 'options'>): Plan {
  return planFor(state.plan, state.options);
}
