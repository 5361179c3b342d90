import type { DateTime } from 'luxon';
import { refuse } from '../refusals.js';
import { stepOf } from '../state-queries.js';
import type { Command, Plan, StepDefinition, TransitionResult, UpgradeState } from '../types.js';

export interface CommandContext<C extends Command> {
  /** A private copy: handlers may change it and return it as the next state. */
  state: UpgradeState;
  plan: Plan;
  command: C;
  now: DateTime;
}

export type CommandHandler<C extends Command> = (context: CommandContext<C>) => TransitionResult;

export function findStep(plan: Plan, key: string): StepDefinition | TransitionResult {
  const step = stepOf(plan, key);
  if (step) return step;
  return refuse('UNKNOWN_STEP', `The ${plan.name} runbook has no step “${key}”.`, { missing: [key] });
}

export function isRefusal(value: StepDefinition | TransitionResult): value is TransitionResult {
  return 'ok' in value;
}

export function leadOnly(state: UpgradeState, actorId: string, what: string): TransitionResult | null {
  if (state.lead === actorId) return null;
  return refuse('LEAD_ONLY', `Only the lead of this upgrade (<@${state.lead}>) can ${what}.`);
}

/** Free text (a reason, a description) must say something. */
export function meaningfulText(text: string, what: string): TransitionResult | null {
  if (text.trim().length >= 3) return null;
  return refuse('INVALID_INPUT', `Please give ${what} (at least a few words).`);
}
