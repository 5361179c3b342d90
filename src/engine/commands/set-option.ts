import { isPairPlan, resolvePlanOptions } from '../catalogue/build-plan.js';
import { PLAN_OPTION_VALUES, type PlanOptionName, SWITCH_METHODS, UPDATE_METHODS } from '../constants.js';
import { planFor } from '../plan-cache.js';
import { refuse } from '../refusals.js';
import { emptyProgress, hasStarted, isResolved, progressOf } from '../state-queries.js';
import type {
  Command,
  Effect,
  Plan,
  PlanOptions,
  PlanOptionsInput,
  StepDefinition,
  TransitionResult,
} from '../types.js';
import { quoted } from '../words.js';
import { type CommandHandler, leadOnly } from './context.js';

const BOOLEAN_WORDS: Record<string, boolean> = {
  on: true,
  off: false,
  true: true,
  false: false,
  yes: true,
  no: false,
};

function optionValue(options: PlanOptions, option: PlanOptionName): string {
  switch (option) {
    case 'method-a':
      return options.methodA;
    case 'method-b':
      return options.methodB ?? 'none';
    case 'switch':
      return options.switchMethod ?? 'none';
    case 'base-only':
      return options.baseOnly ? 'on' : 'off';
  }
}

/** Turns `set <option> <value>` into plan options, or says what is allowed. */
function requestedOptions(
  plan: Plan,
  option: PlanOptionName,
  raw: string,
): PlanOptionsInput | TransitionResult {
  const value = raw.trim().toLowerCase();
  const current: PlanOptionsInput = {
    methodA: plan.options.methodA,
    ...(plan.options.methodB ? { methodB: plan.options.methodB } : {}),
    ...(plan.options.switchMethod ? { switchMethod: plan.options.switchMethod } : {}),
    baseOnly: plan.options.baseOnly,
  };
  const notApplicable = (why: string) => refuse('OPTION_NOT_APPLICABLE', why);
  const invalid = () =>
    refuse(
      'INVALID_INPUT',
      `“${raw}” is not a value for ${option}; use one of: ${PLAN_OPTION_VALUES[option].join(', ')}.`,
    );
  switch (option) {
    case 'method-a':
    case 'method-b': {
      if (plan.name === 'single' || plan.name === 'manual') {
        return notApplicable(
          `The ${plan.name} plan fixes the update method; start the other one-appliance plan instead.`,
        );
      }
      if (option === 'method-b' && !isPairPlan(plan.name))
        return notApplicable(`The ${plan.name} plan has no appliance B.`);
      const method = UPDATE_METHODS.find((m) => m === value);
      if (!method) return invalid();
      return option === 'method-a' ? { ...current, methodA: method } : { ...current, methodB: method };
    }
    case 'switch': {
      if (plan.name !== 'async') return notApplicable('Only the async plan switches B to primary.');
      const method = SWITCH_METHODS.find((m) => m === value);
      if (!method) return invalid();
      return { ...current, switchMethod: method };
    }
    case 'base-only': {
      const flag = BOOLEAN_WORDS[value];
      if (flag === undefined) return invalid();
      return { ...current, baseOnly: flag };
    }
  }
}

function sameDefinition(a: StepDefinition, b: StepDefinition): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Changes an option of the plan while none of the steps it changes has started. */
export const setOption: CommandHandler<Extract<Command, { type: 'set-option' }>> = ({
  state,
  plan,
  command,
}) => {
  const notLead = leadOnly(state, command.actor.userId, 'change the plan options');
  if (notLead) return notLead;
  const requested = requestedOptions(plan, command.option, command.value);
  if ('ok' in requested) return requested;
  const resolved = resolvePlanOptions(plan.name, requested);
  if (!resolved.ok) return refuse('OPTION_NOT_APPLICABLE', resolved.problems.join(' '));
  const from = optionValue(plan.options, command.option);
  const to = optionValue(resolved.options, command.option);
  if (from === to) return refuse('ALREADY_DONE', `${command.option} is already ${to}.`, { duplicate: true });

  const nextPlan = planFor(plan.name, resolved.options);
  const before = new Map(plan.steps.map((s) => [s.key, s]));
  const after = new Map(nextPlan.steps.map((s) => [s.key, s]));
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter((key) => {
    const old = before.get(key);
    const next = after.get(key);
    return !old || !next || !sameDefinition(old, next);
  });
  const started = changed.filter((key) => {
    const progress = progressOf(state, key);
    return hasStarted(progress) || progress.claimedBy !== null;
  });
  // A finished step must still have its prerequisites finished under the new plan.
  const orphaned = nextPlan.steps.filter(
    (s) =>
      isResolved(progressOf(state, s.key)) &&
      s.prerequisites.some((p) => !isResolved(progressOf(state, p.step))),
  );
  const inTheWay = [...new Set([...started, ...orphaned.map((s) => s.key)])];
  if (inTheWay.length > 0) {
    const titles = inTheWay.map((key) => quoted(before.get(key)?.title ?? after.get(key)?.title ?? key));
    return refuse(
      'OPTION_LOCKED',
      `${command.option} can no longer change: it changes steps that have already started (${titles.join(', ')}).`,
      { missing: inTheWay },
    );
  }

  state.options = resolved.options;
  state.steps = Object.fromEntries(nextPlan.steps.map((s) => [s.key, state.steps[s.key] ?? emptyProgress()]));
  const effects: Effect[] = [
    { type: 'option-changed', option: command.option, from, to, by: command.actor.userId },
  ];
  const earlierWarnings = new Set(plan.warnings.map((w) => w.code));
  for (const warning of nextPlan.warnings) {
    if (!earlierWarnings.has(warning.code))
      effects.push({ type: 'warning', code: warning.code, message: warning.message });
  }
  return { ok: true, next: state, effects };
};
