import { ORDERING_RULES } from './constants.js';
import type { Plan, StepKey } from './types.js';

export class PlanDefinitionError extends Error {
  constructor(
    readonly plan: string,
    readonly problems: string[],
  ) {
    super(`The ${plan} runbook is inconsistent: ${problems.join('; ')}`);
    this.name = 'PlanDefinitionError';
  }
}

/**
 * Kahn's algorithm: an order in which every step has its prerequisites before it, or null when
 * the graph has a cycle. Ties keep the catalogue order so the result reads like the guide.
 */
export function topologicalOrder(plan: Pick<Plan, 'steps'>): StepKey[] | null {
  const remaining = new Map(plan.steps.map((s) => [s.key, new Set(s.prerequisites.map((p) => p.step))]));
  const order: StepKey[] = [];
  while (remaining.size > 0) {
    const ready = plan.steps.find((s) => remaining.get(s.key)?.size === 0);
    if (!ready) return null;
    order.push(ready.key);
    remaining.delete(ready.key);
    for (const waiting of remaining.values()) waiting.delete(ready.key);
  }
  return order;
}

/** Refuses a runbook with duplicate or unknown keys, unlabelled edges or a cycle (it could never complete). */
export function validatePlan(plan: Plan): void {
  const problems: string[] = [];
  const keys = new Set<StepKey>();
  for (const step of plan.steps) {
    if (keys.has(step.key)) problems.push(`step ${step.key} appears twice`);
    keys.add(step.key);
  }
  for (const step of plan.steps) {
    for (const prerequisite of step.prerequisites) {
      if (!keys.has(prerequisite.step)) problems.push(`${step.key} needs unknown step ${prerequisite.step}`);
      if (prerequisite.step === step.key) problems.push(`${step.key} needs itself`);
      if (!ORDERING_RULES.includes(prerequisite.rule)) {
        problems.push(`${step.key} → ${prerequisite.step} has no known rule (${prerequisite.rule})`);
      }
    }
    if (step.critical && step.skippable) problems.push(`${step.key} is critical and cannot be skippable`);
  }
  if (plan.clientsUnlockedBy !== null && !keys.has(plan.clientsUnlockedBy)) {
    problems.push(`clients are unlocked by unknown step ${plan.clientsUnlockedBy}`);
  }
  if (problems.length === 0 && topologicalOrder(plan) === null) {
    problems.push('the prerequisites form a cycle, so the runbook can never be completed');
  }
  if (problems.length > 0) throw new PlanDefinitionError(plan.name, problems);
}
