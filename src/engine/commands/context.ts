import type { DateTime } from 'luxon';
import { alreadyDone, orderRefusal, refuse } from '../refusals.js';
import { emptyProgress, isResolved, missingPrerequisites, stepOf } from '../state-queries.js';
import type {
  Command,
  Plan,
  StepDefinition,
  StepProgress,
  TransitionResult,
  UpgradeState,
} from '../types.js';

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

export function isRefusal<T extends object>(value: T | TransitionResult): value is TransitionResult {
  return 'ok' in value;
}

/**
 * The step a command works on and its progress in the handler's private state, or the refusal when the
 * step is unknown or already done (a repeat, answered "already done by …").
 */
export function openStep(
  plan: Plan,
  state: UpgradeState,
  key: string,
): { step: StepDefinition; progress: StepProgress } | TransitionResult {
  const step = findStep(plan, key);
  if (isRefusal(step)) return step;
  const progress = state.steps[step.key] ?? emptyProgress();
  state.steps[step.key] = progress;
  if (isResolved(progress)) return alreadyDone(state, step);
  return { step, progress };
}

/** The refusal when some of the step's prerequisites are not done yet, naming them and their rules. */
export function prerequisitesPending(
  plan: Plan,
  state: UpgradeState,
  step: StepDefinition,
): TransitionResult | null {
  const missing = missingPrerequisites(state, step);
  return missing.length > 0 ? { ok: false, refusal: orderRefusal(plan, step, missing) } : null;
}

/** A handler of a command on one step, called once the step is open (unknown or done is refused). */
export function onStep<C extends Extract<Command, { step: string }>>(
  handle: (context: CommandContext<C> & { step: StepDefinition; progress: StepProgress }) => TransitionResult,
): CommandHandler<C> {
  return (context) => {
    const opened = openStep(context.plan, context.state, context.command.step);
    if (isRefusal(opened)) return opened;
    return handle({ ...context, ...opened });
  };
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
