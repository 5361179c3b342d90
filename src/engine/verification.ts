// What the appliances must report for a step to count as done. The services ask the appliances and
// pass the readings in as data; this module decides, so every rule is testable without a network.
import type { Appliance, PlanName, Verification } from './constants.js';
import { progressOf, stepOf } from './state-queries.js';
import { instant } from './time.js';
import type {
  ApplianceReading,
  HealthReading,
  LinkedAppliances,
  Plan,
  Readings,
  StepDefinition,
  UpgradeState,
} from './types.js';

export type ReadingKind = 'health' | 'jump-clients' | 'jumpoints';

export interface ApplianceQuestion {
  appliance: Appliance;
  name: string;
  what: ReadingKind[];
}

/** Which appliances a verification asks, and what. */
export interface VerificationPlan {
  verification: Verification;
  ask: ApplianceQuestion[];
}

export type Verdict =
  | { verdict: 'agrees'; evidence: string }
  | { verdict: 'disagrees'; fact: string }
  | { verdict: 'unavailable'; why: string };

/** The appliance the site (and its clients) runs on once the upgrade is through. */
export function siteAppliance(plan: PlanName): Appliance {
  return plan === 'async' ? 'b' : plan === 'hardware' ? 'new' : 'a';
}

/** The appliance that is primary after failover is re-established. */
export function primaryAfterEstablish(plan: PlanName): Appliance | null {
  return plan === 'sync' ? 'a' : plan === 'async' ? 'b' : null;
}

function appliancesFor(verification: Verification, plan: PlanName, step: StepDefinition): Appliance[] {
  switch (verification) {
    case 'sync-after-open':
      return ['a'];
    case 'failover-off':
    case 'same-version':
    case 'b-primary':
    case 'roles-as-planned':
      return ['a', 'b'];
    case 'on-target-version':
      return [step.appliance ?? 'a'];
    case 'jump-clients-updated':
    case 'jumpoints-connected':
      return [siteAppliance(plan)];
    case 'new-ready':
      return ['new'];
  }
}

function kindFor(verification: Verification): ReadingKind {
  return verification === 'jump-clients-updated'
    ? 'jump-clients'
    : verification === 'jumpoints-connected'
      ? 'jumpoints'
      : 'health';
}

/**
 * The verification a step (or one of its checks) needs on this upgrade, or null when the step has
 * none or its appliances are not linked: then a click confirms it, exactly as without appliances.
 */
export function verificationFor(
  plan: Plan,
  state: UpgradeState,
  stepKey: string,
  checkId?: string,
): VerificationPlan | null {
  const linked = state.linked;
  const step = stepOf(plan, stepKey);
  if (!linked || !step) return null;
  const verification = checkId ? step.checks.find((c) => c.id === checkId)?.verification : step.verification;
  if (!verification) return null;
  const ask: ApplianceQuestion[] = [];
  for (const appliance of appliancesFor(verification, plan.name, step)) {
    const name = linked.names[appliance];
    if (!name) return null;
    ask.push({ appliance, name, what: [kindFor(verification)] });
  }
  return { verification, ask };
}

/** "A (pra-a.corp)", as a person reads it. */
export function who(appliance: Appliance, name: string): string {
  const label =
    appliance === 'old'
      ? 'The current appliance'
      : appliance === 'new'
        ? 'The new appliance'
        : appliance.toUpperCase();
  return `${label} (${name})`;
}

export function versionText(reading: { version: string; build: string | null }): string {
  return reading.build ? `${reading.version} (${reading.build})` : reading.version;
}

/** Compares dotted versions numerically (24.1.2 > 23.3.10); non-numeric parts compare as text. */
export function compareVersions(left: string, right: string): number {
  const a = left.split('.');
  const b = right.split('.');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? '0';
    const y = b[i] ?? '0';
    const nx = Number(x);
    const ny = Number(y);
    const diff = Number.isNaN(nx) || Number.isNaN(ny) ? x.localeCompare(y) : nx - ny;
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

type Answered = Extract<ApplianceReading, { ok: true }>;

function readingOf(readings: Readings, question: ApplianceQuestion): Answered | string {
  const reading = readings.appliances.find((r) => r.appliance === question.appliance);
  const label = who(question.appliance, question.name);
  if (!reading) return `${label} was not asked`;
  if (!reading.ok) return `${label}: ${reading.message}`;
  for (const kind of question.what) {
    const present =
      kind === 'health' ? reading.health : kind === 'jump-clients' ? reading.jumpClients : reading.jumpoints;
    if (!present) return `${label} gave no ${kind} answer`;
  }
  return reading;
}

function roleText(appliance: Appliance, name: string, health: HealthReading): string {
  return `${who(appliance, name)} reports failover role ${health.role}`;
}

/** The moment a step was opened: its claim, else the completion of its last prerequisite, else the start. */
export function openedAt(state: UpgradeState, step: StepDefinition): string {
  const progress = progressOf(state, step.key);
  if (progress.claimedAt) return progress.claimedAt;
  const completions = step.prerequisites
    .map((p) => progressOf(state, p.step).completedAt)
    .filter((t): t is string => t !== null)
    .sort((x, y) => instant(x).toMillis() - instant(y).toMillis());
  return completions.at(-1) ?? state.startedAt;
}

function targetProblem(
  linked: LinkedAppliances,
  appliance: Appliance,
  name: string,
  health: HealthReading,
  baseOnly: boolean,
): string | null {
  const label = who(appliance, name);
  if (!health.healthy) {
    return `${label} reports it is not healthy${health.errorMessage ? `: ${health.errorMessage}` : ''}`;
  }
  if (linked.targetVersion) {
    return health.version === linked.targetVersion
      ? null
      : `${label} still reports ${versionText(health)}, not ${linked.targetVersion}`;
  }
  const recorded = linked.recorded[appliance];
  // A base-only upgrade leaves the site version as it was: health is what it can prove.
  if (baseOnly || !recorded) return null;
  return health.version === recorded.version && health.build === recorded.build
    ? `${label} still reports ${versionText(health)}, the version it reported when the upgrade started`
    : null;
}

/** Judges what the appliances reported against what the step claims. */
export function judge(
  plan: Plan,
  state: UpgradeState,
  step: StepDefinition,
  checked: VerificationPlan,
  readings: Readings,
): Verdict {
  const linked = state.linked;
  if (!linked) return { verdict: 'unavailable', why: 'no appliances are linked to this upgrade' };
  const answers = new Map<Appliance, Answered>();
  const unavailable: string[] = [];
  for (const question of checked.ask) {
    const reading = readingOf(readings, question);
    if (typeof reading === 'string') unavailable.push(reading);
    else answers.set(question.appliance, reading);
  }
  if (unavailable.length > 0) return { verdict: 'unavailable', why: unavailable.join('; ') };
  const health = (appliance: Appliance): HealthReading => {
    const answered = answers.get(appliance)?.health;
    // Every appliance a case reads is in its `ask` list; anything else is a mistake in the catalogue.
    if (!answered)
      throw new Error(`verification ${checked.verification} reads ${appliance} without asking it`);
    return answered;
  };
  const name = (appliance: Appliance) => linked.names[appliance] ?? appliance;
  const agrees = (evidence: string): Verdict => ({ verdict: 'agrees', evidence });
  const disagrees = (fact: string): Verdict => ({ verdict: 'disagrees', fact });

  switch (checked.verification) {
    case 'sync-after-open': {
      const a = health('a');
      const since = openedAt(state, step);
      if (!a.lastSyncAt)
        return disagrees(`${who('a', name('a'))} reports no data sync (is failover configured?)`);
      if (instant(a.lastSyncAt) <= instant(since)) {
        return disagrees(
          `${who('a', name('a'))} last synced at ${a.lastSyncAt}, before this step was opened (${since}): click Sync Now and wait until it completes`,
        );
      }
      return agrees(
        `${who('a', name('a'))} synced at ${a.lastSyncAt}${a.lastSyncStatus ? ` (${a.lastSyncStatus})` : ''}`,
      );
    }
    case 'failover-off': {
      const still = (['a', 'b'] as const).filter((x) => health(x).role !== 'none');
      if (still.length > 0) {
        return disagrees(
          `${still.map((x) => roleText(x, name(x), health(x))).join(' and ')}: failover is still configured`,
        );
      }
      return agrees('A and B both report failover role none');
    }
    case 'on-target-version': {
      const appliance = step.appliance ?? 'a';
      const problem = targetProblem(
        linked,
        appliance,
        name(appliance),
        health(appliance),
        state.options.baseOnly,
      );
      return problem
        ? disagrees(problem)
        : agrees(`${who(appliance, name(appliance))} is healthy on ${versionText(health(appliance))}`);
    }
    case 'same-version': {
      const a = health('a');
      const b = health('b');
      if (a.version !== b.version || a.build !== b.build) {
        return disagrees(
          `A reports ${versionText(a)} and B reports ${versionText(b)}: product version and build must match`,
        );
      }
      return agrees(`A and B both report ${versionText(a)}`);
    }
    case 'b-primary': {
      const a = health('a');
      const b = health('b');
      if (b.role !== 'primary') return disagrees(`${roleText('b', name('b'), b)}, not primary`);
      if (state.options.switchMethod === 'shared-ip') {
        if (a.sharedIps.length > 0)
          return disagrees(`the shared IP is still enabled on A (${a.sharedIps.join(', ')})`);
        if (b.sharedIps.length === 0) return disagrees(`${who('b', name('b'))} has no shared IP enabled`);
        return agrees(`B is primary with the shared IP ${b.sharedIps.join(', ')}; A has none`);
      }
      return agrees(`${who('b', name('b'))} reports failover role primary`);
    }
    case 'roles-as-planned': {
      const primary = primaryAfterEstablish(plan.name) ?? 'a';
      const backup: Appliance = primary === 'a' ? 'b' : 'a';
      const p = health(primary);
      const s = health(backup);
      if (p.role !== 'primary' || s.role !== 'backup') {
        return disagrees(
          `${roleText(primary, name(primary), p)} and ${roleText(backup, name(backup), s)}; the plan wants ${primary.toUpperCase()} primary and ${backup.toUpperCase()} backup`,
        );
      }
      return agrees(`${primary.toUpperCase()} reports primary and ${backup.toUpperCase()} backup`);
    }
    case 'jump-clients-updated': {
      const appliance = siteAppliance(plan.name);
      const counted = answers.get(appliance)?.jumpClients ?? { pending: 0, total: 0 };
      if (counted.pending > 0) {
        return disagrees(
          `${counted.pending} of ${counted.total} Jump Clients on ${who(appliance, name(appliance))} still wait to upgrade (Upgrade Pending)`,
        );
      }
      return agrees(
        `no Jump Client on ${who(appliance, name(appliance))} waits to upgrade (${counted.total} in all)`,
      );
    }
    case 'jumpoints-connected': {
      const appliance = siteAppliance(plan.name);
      const jumpoints = answers.get(appliance)?.jumpoints ?? { total: 0, connected: 0, disconnected: [] };
      if (jumpoints.disconnected.length > 0) {
        return disagrees(
          `${jumpoints.disconnected.length} of ${jumpoints.total} Jumpoints on ${who(appliance, name(appliance))} are not connected: ${jumpoints.disconnected.slice(0, 10).join(', ')}`,
        );
      }
      return agrees(`all ${jumpoints.total} Jumpoints on ${who(appliance, name(appliance))} are connected`);
    }
    case 'new-ready': {
      const fresh = health('new');
      const label = who('new', name('new'));
      if (!fresh.healthy)
        return disagrees(
          `${label} reports it is not healthy${fresh.errorMessage ? `: ${fresh.errorMessage}` : ''}`,
        );
      if (linked.targetVersion && fresh.version !== linked.targetVersion) {
        return disagrees(`${label} reports ${versionText(fresh)}, not ${linked.targetVersion}`);
      }
      const old = linked.recorded.old;
      if (!linked.targetVersion && old && compareVersions(fresh.version, old.version) < 0) {
        return disagrees(
          `${label} reports ${versionText(fresh)}, older than the current appliance's ${versionText(old)}`,
        );
      }
      return agrees(`${label} is healthy on ${versionText(fresh)}`);
    }
  }
}

/** What the periodic watch should ask while steps that follow the appliances are open. */
export function watchQuestions(plan: Plan, state: UpgradeState): ApplianceQuestion[] {
  const linked = state.linked;
  if (!linked || (state.status !== 'active' && state.status !== 'blocked')) return [];
  const questions: ApplianceQuestion[] = [];
  const primary = primaryAfterEstablish(plan.name);
  const primaryName = primary ? linked.names[primary] : undefined;
  if (primary && primaryName && state.failover.restoredAt && state.failover.syncConfirmedAt === null) {
    questions.push({ appliance: primary, name: primaryName, what: ['health'] });
  }
  const site = siteAppliance(plan.name);
  const siteName = linked.names[site];
  const unlockedBy = plan.clientsUnlockedBy;
  const open = (key: string) => {
    const progress = progressOf(state, key);
    return progress.status !== 'done' && progress.status !== 'skipped';
  };
  const clientsOpen =
    unlockedBy !== null &&
    progressOf(state, unlockedBy).status === 'done' &&
    (open('clients.jump') || open('clients.settle'));
  if (siteName && clientsOpen) {
    const existing = questions.find((q) => q.appliance === site);
    if (existing) existing.what.push('jump-clients');
    else questions.push({ appliance: site, name: siteName, what: ['jump-clients'] });
  }
  return questions;
}
