// State names shared by the engine, the drizzle pgEnums and the zod parsers.
// Kept free of drizzle and Slack so every layer can import them.

export const PLAN_NAMES = ['single', 'manual', 'sync', 'async', 'hardware'] as const;
export type PlanName = (typeof PLAN_NAMES)[number];

export const UPDATE_METHODS = ['auto', 'manual'] as const;
export type UpdateMethod = (typeof UPDATE_METHODS)[number];

export const SWITCH_METHODS = ['shared-ip', 'dns', 'nat'] as const;
export type SwitchMethod = (typeof SWITCH_METHODS)[number];

/** Appliances that have a maintenance window of their own. */
export const WINDOW_APPLIANCES = ['a', 'b'] as const;
export type WindowAppliance = (typeof WINDOW_APPLIANCES)[number];

export const APPLIANCES = ['a', 'b', 'old', 'new'] as const;
export type Appliance = (typeof APPLIANCES)[number];

/**
 * The ordering rules of the upgrade guide (README, "The rules"), plus PROCEDURE_ORDER for the guide's own
 * step sequence.
 */
export const ORDERING_RULES = [
  'BACKUP_FIRST',
  'SYNC_BEFORE_BREAK',
  'BASE_BEFORE_SITE',
  'BACKUP_AFTER_BASE',
  'CERT_STORES_BEFORE_SITE',
  'FIRST_APPLIANCE',
  'VERIFY_BEFORE_NEXT',
  'KEYS_BEFORE_ESTABLISH',
  'BOTH_BEFORE_ESTABLISH',
  'HW_ORDER',
  'PROCEDURE_ORDER',
] as const;
export type OrderingRule = (typeof ORDERING_RULES)[number];

/** The time rules (README, "The rules"), plus CLAIM_STALE for a claimed step left untouched. */
export const TIME_RULES = [
  'FAILOVER_GAP',
  'WINDOW_START',
  'WINDOW_OVERRUN',
  'INSTALL_AFTER_DOWNLOAD',
  'SYNC_CONFIRM',
  'CLIENTS_SETTLE',
  'CLAIM_STALE',
] as const;
export type TimeRule = (typeof TIME_RULES)[number];

/** Why a command was refused when no ordering rule is the reason. */
export const REFUSAL_REASONS = [
  'NOT_PARTICIPANT',
  'LEAD_ONLY',
  'UNKNOWN_STEP',
  'UNKNOWN_CHECK',
  'NOT_SKIPPABLE',
  'ALREADY_DONE',
  'ALREADY_CLAIMED',
  'SECOND_PERSON_REQUIRED',
  'UPGRADE_BLOCKED',
  'UPGRADE_CLOSED',
  'PROBLEM_OPEN',
  'NO_OPEN_PROBLEM',
  'HAS_DEPENDANTS',
  'NOT_STARTED',
  'OPTION_LOCKED',
  'OPTION_NOT_APPLICABLE',
  'WINDOW_NOT_APPLICABLE',
  'WINDOW_IN_PAST',
  'INVALID_INPUT',
  'OTHER_WORKSPACE',
  'APPLIANCE_STATE',
  'APPLIANCE_UNREACHABLE',
  'APPLIANCE_CHECK_REQUIRED',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export const STEP_STATUSES = ['pending', 'awaiting-second', 'done', 'skipped'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const UPGRADE_STATUSES = ['active', 'blocked', 'completed', 'aborted'] as const;
export type UpgradeStatus = (typeof UPGRADE_STATUSES)[number];
/** Still under way: what `status`, the Home tab and the appliance watch list. */
export const OPEN_STATUSES: readonly UpgradeStatus[] = ['active', 'blocked'];

export const PHASES = [
  'prep',
  'break',
  'appliance-a',
  'appliance-b',
  'switch',
  'establish',
  'migration',
  'clients',
] as const;
export type Phase = (typeof PHASES)[number];

export const PLAN_OPTIONS = ['method-a', 'method-b', 'switch', 'base-only'] as const;
export type PlanOptionName = (typeof PLAN_OPTIONS)[number];

/** The words each option takes in `set <option> <value>` (base-only also reads true/false, yes/no). */
export const PLAN_OPTION_VALUES = {
  'method-a': UPDATE_METHODS,
  'method-b': UPDATE_METHODS,
  switch: SWITCH_METHODS,
  'base-only': ['on', 'off'],
} as const satisfies Record<PlanOptionName, readonly string[]>;

/** Snooze lengths offered on reminders (ISO-8601 durations). */
export const SNOOZE_DURATIONS = ['PT15M', 'PT1H', 'PT4H', 'P1D'] as const;
export type SnoozeDuration = (typeof SNOOZE_DURATIONS)[number];

/**
 * What an appliance can confirm about a step (BeyondTrust's Command and Configuration APIs). A step
 * (or a check) names its verification in its definition; the engine judges the readings.
 */
export const VERIFICATIONS = [
  'sync-after-open',
  'failover-off',
  'on-target-version',
  'same-version',
  'b-primary',
  'roles-as-planned',
  'jump-clients-updated',
  'jumpoints-connected',
  'new-ready',
] as const;
export type Verification = (typeof VERIFICATIONS)[number];

export const FAILOVER_ROLES = ['none', 'primary', 'backup'] as const;
export type FailoverRole = (typeof FAILOVER_ROLES)[number];

/** Why an appliance could not be asked. */
export const APPLIANCE_FAILURES = [
  'unreachable',
  'timeout',
  'unauthorized',
  'forbidden',
  'rate-limited',
  'tls',
  'appliance-error',
  'invalid-answer',
] as const;
export type ApplianceFailure = (typeof APPLIANCE_FAILURES)[number];
