// The pure runbook engine: plans, rules and transitions. No Slack, no database, no clock.

export { buildPlan, isPairPlan, PLAN_TITLES, resolvePlanOptions } from './catalogue/build-plan.js';
export { FAILOVER_STILL_BROKEN_GUIDANCE } from './commands/abort.js';
export { BASE_PROBLEM_GUIDANCE } from './commands/report-problem.js';
export * from './constants.js';
export { planFor, planOf } from './plan-cache.js';
export { NAMED_IN_SENTENCE } from './refusals.js';
export {
  evaluateReminder,
  type Mention,
  type ReminderDecision,
  type ReminderNotice,
  reminderStillApplies,
} from './reminders.js';
export {
  ORDERING_RULE_DESCRIPTIONS,
  ORDERING_RULE_REASONS,
  TIME_RULE_DESCRIPTIONS,
} from './rule-descriptions.js';
export { type StartInput, type StartResult, startUpgrade } from './start-upgrade.js';
export * from './state-queries.js';
export { summarize, type UpgradeSummary } from './summary.js';
export { DEFAULT_TIMING, duration, elapsed, instant, isPositiveDuration, later, stamp } from './time.js';
export { transition } from './transition.js';
export type * from './types.js';
export { PlanDefinitionError, topologicalOrder, validatePlan } from './validate-plan.js';
export {
  compareVersions,
  judge,
  siteAppliance,
  type Verdict,
  verificationFor,
  versionText,
  watchQuestions,
  who,
} from './verification.js';
