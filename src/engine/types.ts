import type {
  Appliance,
  ApplianceFailure,
  FailoverRole,
  OrderingRule,
  Phase,
  PlanName,
  PlanOptionName,
  RefusalReason,
  SnoozeDuration,
  StepStatus,
  SwitchMethod,
  TimeRule,
  UpdateMethod,
  UpgradeStatus,
  Verification,
  WindowAppliance,
} from './constants.js';

export type StepKey = string;
/** An ISO-8601 timestamp with offset, as stored in state (plain data that round-trips through JSON). */
export type Timestamp = string;
/** An ISO-8601 duration such as `PT1H` or `P1D`. */
export type IsoDuration = string;

export interface Prerequisite {
  step: StepKey;
  rule: OrderingRule;
}

/** Something to confirm on a step before it can be completed, such as matching inter-appliance keys. */
export interface StepCheck {
  id: string;
  title: string;
  rule: OrderingRule;
  /** When the appliances are linked, the API confirms this check instead of a click. */
  verification?: Verification;
}

export interface StepDefinition {
  key: StepKey;
  title: string;
  instructions: string;
  appliance: Appliance | null;
  phase: Phase;
  /** Needs a second, different person to confirm. */
  critical: boolean;
  /** May be skipped with a reason. */
  skippable: boolean;
  software: 'base' | 'site' | null;
  /** An installation that takes 15 minutes to an hour and can overrun. */
  install: boolean;
  prerequisites: Prerequisite[];
  checks: StepCheck[];
  /** What the appliances confirm before the step counts as done, when they are linked. */
  verification: Verification | null;
}

export interface PlanOptions {
  /** Update method of appliance A (or the single / new appliance). */
  methodA: UpdateMethod;
  /** Update method of appliance B; null when the plan has no B. */
  methodB: UpdateMethod | null;
  /** How B becomes primary in an async plan; null otherwise. */
  switchMethod: SwitchMethod | null;
  /** Base software only: no site update, no backup after base, no client follow-up. */
  baseOnly: boolean;
}

export interface PlanWarning {
  code: 'AUTO_UPDATE_ON_FAILOVER_PAIR' | 'SHARED_IP_NOT_ON_AWS';
  message: string;
}

export interface Plan {
  name: PlanName;
  title: string;
  summary: string;
  options: PlanOptions;
  steps: StepDefinition[];
  /** Appliances with a maintenance window of their own. */
  windows: WindowAppliance[];
  /** The step whose completion unlocks the client follow-up (P6); null for base-only plans. */
  clientsUnlockedBy: StepKey | null;
  warnings: PlanWarning[];
}

/** What the person asked for; missing values take the plan's defaults. */
export interface PlanOptionsInput {
  method?: UpdateMethod;
  methodA?: UpdateMethod;
  methodB?: UpdateMethod;
  switchMethod?: SwitchMethod;
  baseOnly?: boolean;
}

export interface Confirmation {
  by: string;
  at: Timestamp;
}

export interface StepProgress {
  status: StepStatus;
  claimedBy: string | null;
  claimedAt: Timestamp | null;
  /** One entry for ordinary steps; two different people for critical ones. */
  confirmations: Confirmation[];
  completedAt: Timestamp | null;
  skipReason: string | null;
  checks: Record<string, Confirmation>;
  /** The last check with the appliances (only on upgrades with linked appliances). */
  verified?: StepEvidence;
}

/** What the appliances said about a step: being checked, agreed, disagreed, unreachable, or overridden. */
export interface StepEvidence {
  outcome: 'checking' | 'agreed' | 'disagreed' | 'unavailable' | 'overridden';
  verification: Verification;
  at: Timestamp;
  /** Who clicked (null when the bot itself observed it). */
  by: string | null;
  /** What the appliance reported, or why it could not be asked. */
  text: string;
  /** The reason given to confirm without the appliance. */
  reason?: string;
  /** The check this evidence is about, when it is a step's check rather than the step. */
  check?: string;
}

/** One appliance's `check_health` answer, as data. */
export interface HealthReading {
  /** Hostname the appliance reported. */
  hostname: string;
  version: string;
  build: string | null;
  healthy: boolean;
  errorMessage: string | null;
  role: FailoverRole;
  sharedIps: string[];
  lastSyncAt: Timestamp | null;
  lastSyncStatus: string | null;
}

export type ApplianceReading =
  | {
      appliance: Appliance;
      /** The name in the appliances file. */
      name: string;
      ok: true;
      health?: HealthReading;
      jumpClients?: { pending: number; total: number };
      jumpoints?: { total: number; connected: number; disconnected: string[] };
    }
  | { appliance: Appliance; name: string; ok: false; reason: ApplianceFailure; message: string };

/** What the appliances answered, gathered by a service just before the command. */
export interface Readings {
  at: Timestamp;
  appliances: ApplianceReading[];
}

/** The appliances an upgrade is linked to (names from the appliances file) and what they reported. */
export interface LinkedAppliances {
  names: Partial<Record<Appliance, string>>;
  /** Version and build each appliance reported at start. */
  recorded: Partial<Record<Appliance, { version: string; build: string | null }>>;
  /** `--to`: the version the update should reach; null: any change from the recorded one. */
  targetVersion: string | null;
  /** The latest count of Jump Clients still waiting to upgrade, kept current while their steps are open. */
  jumpClients: { appliance: Appliance; pending: number; total: number; at: Timestamp } | null;
}

export interface Problem {
  id: number;
  step: StepKey;
  by: string;
  at: Timestamp;
  description: string;
  /** Reported on a base-software step: the upgrade is held until resolved. */
  base: boolean;
  resolvedBy: string | null;
  resolvedAt: Timestamp | null;
  resolution: string | null;
}

export interface MaintenanceWindow {
  /** Start, ISO with the offset of `zone`. */
  startsAt: Timestamp;
  zone: string;
  length: IsoDuration;
}

/** Durations behind the time rules; the failover-gap limit comes from configuration or the upgrade. */
export interface TimingSettings {
  failoverGapLimit: IsoDuration;
  windowLength: IsoDuration;
  installExpected: IsoDuration;
  installAfterDownload: IsoDuration;
  syncConfirmAfter: IsoDuration;
  syncConfirmRepeat: IsoDuration;
  clientsSettleAfter: IsoDuration;
  clientsSettleRepeat: IsoDuration;
  claimStaleAfter: IsoDuration;
  windowStartLeadTimes: IsoDuration[];
}

export interface FailoverState {
  brokenAt: Timestamp | null;
  restoredAt: Timestamp | null;
  syncConfirmedAt: Timestamp | null;
  syncConfirmedBy: string | null;
  /** The first sync after re-establishing, as an appliance reported it (answers SYNC_CONFIRM). */
  syncObserved?: { appliance: Appliance; lastSyncAt: Timestamp } | null;
}

export interface UpgradeState {
  plan: PlanName;
  options: PlanOptions;
  lead: string;
  status: UpgradeStatus;
  startedAt: Timestamp;
  endedAt: Timestamp | null;
  abortReason: string | null;
  steps: Record<StepKey, StepProgress>;
  problems: Problem[];
  failover: FailoverState;
  windows: Partial<Record<WindowAppliance, MaintenanceWindow>>;
  timing: TimingSettings;
  /** Reminders already snoozed (by `rule|scope|anchor|occurrence`) and until when: a second click is a repeat. */
  snoozed: Record<string, Timestamp>;
  /** Present only when the upgrade names appliances of the appliances file. */
  linked?: LinkedAppliances;
}

export interface Actor {
  userId: string;
  /** A member of the upgrade channel (decided outside the engine). */
  participant: boolean;
}

export type Command =
  | { type: 'complete'; actor: Actor; step: StepKey; readings?: Readings; override?: string }
  | { type: 'verify-start'; actor: Actor; step: StepKey; check?: string }
  | {
      type: 'verify-result';
      actor: Actor;
      step: StepKey;
      check?: string;
      /** `cleared`: the confirmation was refused for another reason; the step no longer shows a check. */
      outcome: 'disagreed' | 'unavailable' | 'cleared';
      verification: Verification;
      text: string;
    }
  | { type: 'observe'; actor: Actor; readings: Readings }
  | { type: 'skip'; actor: Actor; step: StepKey; reason: string }
  | { type: 'claim'; actor: Actor; step: StepKey }
  | {
      type: 'confirm-check';
      actor: Actor;
      step: StepKey;
      check: string;
      readings?: Readings;
      override?: string;
    }
  | { type: 'report-problem'; actor: Actor; step: StepKey; description: string }
  | { type: 'resolve-problem'; actor: Actor; problemId: number | null; resolution: string }
  | { type: 'undo'; actor: Actor; step: StepKey }
  | { type: 'set-option'; actor: Actor; option: PlanOptionName; value: string }
  | { type: 'set-window'; actor: Actor; appliance: WindowAppliance; window: MaintenanceWindow }
  | { type: 'confirm-sync'; actor: Actor }
  | { type: 'reassign-lead'; actor: Actor; to: Actor }
  | { type: 'abort'; actor: Actor; reason: string }
  | { type: 'snooze'; actor: Actor; reminder: ReminderRef; duration: SnoozeDuration };

/** Identifies a reminder chain: which rule, about what, counted from when. */
export interface ReminderRef {
  rule: TimeRule;
  scope: string | null;
  anchor: Timestamp;
  occurrence: number;
}

export type CommandType = Command['type'];

export interface ReminderSpec {
  rule: TimeRule;
  /** Unique within the upgrade: scheduling the same key twice is a no-op. */
  key: string;
  /** What the reminder is about: a step key or an appliance; cancelling works by rule and scope. */
  scope: string | null;
  dueAt: Timestamp;
  occurrence: number;
  /** The moment the reminder counts from (break, claim, download, window start…); re-checked when due. */
  anchor: Timestamp;
}

export type Effect =
  | { type: 'upgrade-started'; plan: PlanName; lead: string }
  | { type: 'warning'; code: PlanWarning['code']; message: string }
  | { type: 'step-claimed'; step: StepKey; by: string }
  | { type: 'step-confirmed'; step: StepKey; by: string }
  | { type: 'step-completed'; step: StepKey; by: string[] }
  | { type: 'step-skipped'; step: StepKey; by: string; reason: string }
  | { type: 'check-confirmed'; step: StepKey; check: string; by: string }
  | { type: 'step-undone'; step: StepKey; by: string; previous: StepStatus }
  | {
      type: 'problem-reported';
      problemId: number;
      step: StepKey;
      by: string;
      description: string;
      base: boolean;
    }
  | { type: 'guidance'; kind: 'base-problem' | 'failover-still-broken'; message: string }
  | { type: 'upgrade-blocked'; problemId: number }
  | { type: 'problem-resolved'; problemId: number; by: string; resolution: string }
  | { type: 'upgrade-unblocked' }
  | { type: 'option-changed'; option: PlanOptionName; from: string; to: string; by: string }
  | { type: 'window-set'; appliance: WindowAppliance; window: MaintenanceWindow; by: string }
  | { type: 'lead-reassigned'; from: string; to: string; by: string }
  | { type: 'failover-gap-opened'; at: Timestamp }
  | { type: 'failover-gap-closed'; at: Timestamp; openedAt: Timestamp; duration: IsoDuration }
  | { type: 'failover-gap-reopened'; at: Timestamp }
  | { type: 'failover-gap-withdrawn'; at: Timestamp }
  | { type: 'sync-confirmed'; by: string }
  | { type: 'verification-started'; step: StepKey; verification: Verification; check: string | null }
  | {
      type: 'step-verified';
      step: StepKey;
      verification: Verification;
      check: string | null;
      evidence: string;
    }
  | {
      type: 'verification-noted';
      step: StepKey;
      verification: Verification;
      outcome: 'disagreed' | 'unavailable' | 'cleared';
      text: string;
    }
  | {
      type: 'verification-overridden';
      step: StepKey;
      verification: Verification;
      check: string | null;
      by: string;
      reason: string;
      why: string;
    }
  | { type: 'sync-observed'; appliance: Appliance; lastSyncAt: Timestamp }
  | { type: 'jump-clients-counted'; appliance: Appliance; pending: number; total: number }
  | { type: 'upgrade-completed'; at: Timestamp }
  | { type: 'upgrade-aborted'; by: string; reason: string }
  | { type: 'reminder-scheduled'; reminder: ReminderSpec }
  | {
      type: 'reminder-snoozed';
      rule: TimeRule;
      scope: string | null;
      requested: IsoDuration;
      until: Timestamp;
    }
  /** Cancels pending reminders of a rule (all rules when null), limited to a scope when given. */
  | { type: 'reminders-cancelled'; rule: TimeRule | null; scope: string | null };

export type EffectType = Effect['type'];

export interface Refusal {
  /** The ordering rule that was broken, or the reason when no ordering rule applies. */
  rule: OrderingRule | RefusalReason;
  /** Step keys (or `step:check`) still missing, or steps in the way. */
  missing: StepKey[];
  /** A sentence a person understands. */
  message: string;
  /** The command repeats what is already so (a second click): nothing to audit. */
  duplicate: boolean;
}

export type TransitionResult =
  | { ok: true; next: UpgradeState; effects: Effect[] }
  | { ok: false; refusal: Refusal };
