import type { OrderingRule, RefusalReason } from './constants.js';
import { ORDERING_RULE_REASONS } from './rule-descriptions.js';
import { progressOf, titleOf } from './state-queries.js';
import type {
  Plan,
  Prerequisite,
  Refusal,
  StepCheck,
  StepDefinition,
  TransitionResult,
  UpgradeState,
} from './types.js';
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

/** How many missing steps a refusal sentence names before it counts the rest. */
export const NAMED_IN_SENTENCE = 3;

/**
 * Names the missing prerequisites and, in words, why each rule makes them come first. The headline
 * rule (kept as the refusal's code for the record) is a named safety rule before the guide's plain
 * sequence, and among those the earliest missing step in the runbook.
 */
export function orderRefusal(plan: Plan, step: StepDefinition, missing: Prerequisite[]): Refusal {
  const position = (key: string) => plan.steps.findIndex((s) => s.key === key);
  const sorted = [...missing].sort((x, y) => position(x.step) - position(y.step));
  const headline = sorted.find((p) => p.rule !== 'PROCEDURE_ORDER') ?? sorted[0];
  const rule: OrderingRule = headline ? headline.rule : 'PROCEDURE_ORDER';
  // The sentence names the steps behind named safety rules first (one per rule, then the others):
  // they are why the click is refused. The guide's plain sequence comes last.
  const safety = sorted.filter((p) => p.rule !== 'PROCEDURE_ORDER');
  const firstOfRule = safety.filter((p, i) => safety.findIndex((q) => q.rule === p.rule) === i);
  const named = [
    ...firstOfRule,
    ...safety.filter((p) => !firstOfRule.includes(p)),
    ...sorted.filter((p) => p.rule === 'PROCEDURE_ORDER'),
  ];
  const reasons = [...new Set(named.map((p) => p.rule))].map((r) => ORDERING_RULE_REASONS[r]);
  // Three titles read at a glance; the reply lists the rest below the sentence.
  const titles = named.slice(0, NAMED_IN_SENTENCE).map((p) => quoted(titleOf(plan, p.step)));
  const rest = named.length - titles.length;
  if (rest > 0) titles.push(`${rest} more step${rest === 1 ? '' : 's'}`);
  return {
    rule,
    missing: sorted.map((p) => p.step),
    duplicate: false,
    message: `${joinWords(titles)} must be done before ${quoted(step.title)}: ${reasons.join('; ')}.`,
  };
}

/** A check on the step itself that is not confirmed yet: the same shape of sentence as `orderRefusal`. */
export function checkRefusal(step: StepDefinition, check: StepCheck): TransitionResult {
  return refuse(
    check.rule,
    `${quoted(check.title)} must be confirmed on ${quoted(step.title)} first: ${ORDERING_RULE_REASONS[check.rule]}.`,
    { missing: [`${step.key}:${check.id}`] },
  );
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
