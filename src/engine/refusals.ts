import type { OrderingRule, RefusalReason } from './constants.js';
import { ORDERING_RULE_DESCRIPTIONS } from './rule-descriptions.js';
import { progressOf, titleOf } from './state-queries.js';
import type { Plan, Prerequisite, Refusal, StepDefinition, TransitionResult, UpgradeState } from './types.js';
import { joinWords, quoted } from './words.js';

export function refuse(
  rule: RefusalReason | OrderingRule,
  message: string,
  extra: { missing?: string[]; duplicate?: boolean } = {},
): TransitionResult {
  return {
    ok: false,
    refusal: { rule, message, missing: extra.missing ?? [], duplicate: extra.duplicate ?? false },
  };
}

/**
 * Names the missing prerequisites and the rule each one protects. The headline is a named safety rule
 * before the guide's plain sequence, and among those the earliest missing step in the runbook.
 */
export function orderRefusal(plan: Plan, step: StepDefinition, missing: Prerequisite[]): Refusal {
  const position = (key: string) => plan.steps.findIndex((s) => s.key === key);
  const sorted = [...missing].sort((x, y) => position(x.step) - position(y.step));
  const headline = sorted.find((p) => p.rule !== 'PROCEDURE_ORDER') ?? sorted[0];
  const rule: OrderingRule = headline ? headline.rule : 'PROCEDURE_ORDER';
  const parts = sorted.map((p) => `${quoted(titleOf(plan, p.step))} (${p.rule})`);
  const verb = sorted.length === 1 ? 'is' : 'are';
  return {
    rule,
    missing: sorted.map((p) => p.step),
    duplicate: false,
    message: `${quoted(step.title)} needs ${joinWords(parts)} to be completed first; ${sorted.length === 1 ? 'it' : 'they'} ${verb} not done yet. ${rule}: ${ORDERING_RULE_DESCRIPTIONS[rule]}`,
  };
}

/** User references in engine messages use the `<@id>` form, which Slack renders as a name. */
export function mention(userId: string): string {
  return `<@${userId}>`;
}

/** "already done by <@U1>": a repeat of what is already so. */
export function alreadyDone(state: UpgradeState, step: StepDefinition): TransitionResult {
  const progress = progressOf(state, step.key);
  const who = progress.confirmations.map((c) => c.by);
  const how = progress.status === 'skipped' ? 'skipped' : 'done';
  return refuse(
    'ALREADY_DONE',
    `${quoted(step.title)} is already ${how}${who.length > 0 ? ` by ${joinWords(who.map(mention))}` : ''}.`,
    { missing: [], duplicate: true },
  );
}
