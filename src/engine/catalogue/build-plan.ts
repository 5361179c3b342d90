import type { PlanName } from '../constants.js';
import type { Plan, PlanOptions, PlanOptionsInput, PlanWarning, StepDefinition } from '../types.js';
import { validatePlan } from '../validate-plan.js';
import { applianceUpdate, verifyStep } from './appliance-update.js';
import { clientSteps } from './clients.js';
import { requires } from './define-step.js';
import { backupStep, breakStep, establishStep, promoteStep, syncStep } from './failover.js';
import { hardwareMigration } from './hardware.js';
import { preparationSteps } from './preparation.js';

export const PLAN_TITLES: Record<PlanName, { title: string; summary: string }> = {
  single: {
    title: 'One appliance, automatic update',
    summary: 'Back up, install base then site software from Check for Updates, verify, follow up on clients.',
  },
  manual: {
    title: 'One appliance, manual update',
    summary:
      'For restricted networks: Appliance Download Key, fetch at btupdate.com, install base then site.',
  },
  sync: {
    title: 'Failover pair, synchronous (A first, A stays primary)',
    summary:
      'Short outage, no role switch: break failover, update and verify A, then B, re-establish from A.',
  },
  async: {
    title: 'Failover pair, asynchronous (B first, B becomes primary)',
    summary:
      'Minimal outage over two windows: break failover, update and verify B, make B primary, update A, re-establish from B.',
  },
  hardware: {
    title: 'New hardware or virtual appliance',
    summary:
      'Install the new appliance, move the certificate and the backup over, verify, then reset the old one.',
  },
};

const PAIR_PLANS = ['sync', 'async'] as const satisfies readonly PlanName[];

export function isPairPlan(plan: PlanName): plan is (typeof PAIR_PLANS)[number] {
  return (PAIR_PLANS as readonly PlanName[]).includes(plan);
}

export type ResolvedOptions = { ok: true; options: PlanOptions } | { ok: false; problems: string[] };

/** Fills in the plan's defaults and refuses options that do not apply to it. */
export function resolvePlanOptions(plan: PlanName, input: PlanOptionsInput): ResolvedOptions {
  const problems: string[] = [];
  const baseOnly = input.baseOnly ?? false;
  const askedA = input.methodA ?? input.method;
  const askedB = input.methodB ?? input.method;
  if (!isPairPlan(plan) && input.methodB !== undefined) {
    problems.push(`The ${plan} plan has no appliance B, so it takes no update method for B.`);
  }
  if (plan !== 'async' && input.switchMethod !== undefined) {
    problems.push(`Only the async plan switches B to primary; the ${plan} plan takes no switch method.`);
  }
  if (plan === 'single' && askedA === 'manual') {
    problems.push('The single plan uses automatic updates; for a restricted network start the manual plan.');
  }
  if (plan === 'manual' && askedA === 'auto') {
    problems.push('The manual plan uses manual updates; for automatic updates start the single plan.');
  }
  if (problems.length > 0) return { ok: false, problems };

  switch (plan) {
    case 'single':
      return { ok: true, options: { methodA: 'auto', methodB: null, switchMethod: null, baseOnly } };
    case 'manual':
      return { ok: true, options: { methodA: 'manual', methodB: null, switchMethod: null, baseOnly } };
    case 'hardware':
      return {
        ok: true,
        options: { methodA: askedA ?? 'auto', methodB: null, switchMethod: null, baseOnly },
      };
    case 'sync':
    case 'async':
      // Newer BeyondTrust documentation: automatic updates do not apply to failover pairs.
      return {
        ok: true,
        options: {
          methodA: askedA ?? 'manual',
          methodB: askedB ?? 'manual',
          switchMethod: plan === 'async' ? (input.switchMethod ?? 'dns') : null,
          baseOnly,
        },
      };
  }
}

function planWarnings(plan: PlanName, options: PlanOptions): PlanWarning[] {
  const warnings: PlanWarning[] = [];
  if (isPairPlan(plan) && (options.methodA === 'auto' || options.methodB === 'auto')) {
    warnings.push({
      code: 'AUTO_UPDATE_ON_FAILOVER_PAIR',
      message:
        "BeyondTrust's newer documentation says automatic updates do not apply to a failover configuration or an Atlas deployment. The manual method (Appliance Download Key) is the default for pairs.",
    });
  }
  if (options.switchMethod === 'shared-ip') {
    warnings.push({
      code: 'SHARED_IP_NOT_ON_AWS',
      message: 'A shared IP is not supported on AWS: use a DNS or NAT swing there.',
    });
  }
  return warnings;
}

function gate(
  steps: StepDefinition[],
  target: StepDefinition,
  rule: 'BACKUP_FIRST' | 'PROCEDURE_ORDER',
  keys: string[],
) {
  for (const key of keys) {
    if (steps.some((s) => s.key === key)) requires(target, { step: key, rule });
  }
}

/** The preparation that must be done (or skipped with a reason) before the first risky step. */
function gatePreparation(
  steps: StepDefinition[],
  firstRisky: StepDefinition,
  backupGate: StepDefinition,
  sites: StepDefinition[],
): void {
  gate(steps, firstRisky, 'PROCEDURE_ORDER', ['prep.window', 'prep.announce', 'prep.test-env']);
  gate(steps, backupGate, 'BACKUP_FIRST', ['prep.vault-key', 'prep.certs']);
  for (const site of sites) {
    requires(site, { step: 'prep.cert-stores', rule: 'CERT_STORES_BEFORE_SITE' });
    requires(site, { step: 'prep.msi', rule: 'PROCEDURE_ORDER' });
  }
}

function withClients(
  steps: StepDefinition[],
  options: PlanOptions,
  unlockedBy: StepDefinition,
  rule: 'VERIFY_BEFORE_NEXT' | 'PROCEDURE_ORDER',
  extra?: { step: StepDefinition; rule: 'VERIFY_BEFORE_NEXT' },
): StepKeyOrNull {
  if (options.baseOnly) return null;
  for (const client of clientSteps()) {
    requires(client, { step: unlockedBy.key, rule });
    if (extra) requires(client, { step: extra.step.key, rule: extra.rule });
    steps.push(client);
  }
  return unlockedBy.key;
}

type StepKeyOrNull = string | null;

function singleAppliance(plan: 'single' | 'manual', options: PlanOptions) {
  const steps = preparationSteps({ pair: false, siteInstall: !options.baseOnly });
  const backup = backupStep(false);
  const update = applianceUpdate('a', options.methodA, options.baseOnly);
  requires(update.first, { step: backup.key, rule: 'BACKUP_FIRST' });
  const verify = requires(verifyStep('a', false), { step: update.lastInstall.key, rule: 'PROCEDURE_ORDER' });
  steps.push(backup, ...update.steps, verify);
  gatePreparation(steps, update.base, update.base, update.site ? [update.site] : []);
  const clientsUnlockedBy = withClients(steps, options, verify, 'VERIFY_BEFORE_NEXT');
  return { name: plan, steps, windows: ['a'] as const, clientsUnlockedBy };
}

function failoverPair(plan: 'sync' | 'async', options: PlanOptions) {
  const steps = preparationSteps({ pair: true, siteInstall: !options.baseOnly });
  const backup = backupStep(true);
  const sync = syncStep();
  const brk = requires(
    breakStep(),
    { step: backup.key, rule: 'BACKUP_FIRST' },
    { step: sync.key, rule: 'SYNC_BEFORE_BREAK' },
  );
  const a = applianceUpdate('a', options.methodA, options.baseOnly);
  const b = applianceUpdate('b', options.methodB ?? 'manual', options.baseOnly);
  const aVerify = requires(verifyStep('a', false), { step: a.lastInstall.key, rule: 'PROCEDURE_ORDER' });
  const bVerify = requires(verifyStep('b', true), { step: b.lastInstall.key, rule: 'PROCEDURE_ORDER' });
  const establish = establishStep(plan === 'sync' ? 'a' : 'b');
  requires(
    establish,
    { step: aVerify.key, rule: 'BOTH_BEFORE_ESTABLISH' },
    { step: bVerify.key, rule: 'BOTH_BEFORE_ESTABLISH' },
  );
  steps.push(backup, sync, brk);
  if (plan === 'sync') {
    requires(a.first, { step: brk.key, rule: 'PROCEDURE_ORDER' });
    requires(b.first, { step: aVerify.key, rule: 'FIRST_APPLIANCE' });
    steps.push(...a.steps, aVerify, ...b.steps, bVerify, establish);
  } else {
    const promote = promoteStep(options.switchMethod ?? 'dns');
    requires(b.first, { step: brk.key, rule: 'PROCEDURE_ORDER' });
    requires(promote, { step: bVerify.key, rule: 'FIRST_APPLIANCE' });
    requires(a.first, { step: promote.key, rule: 'FIRST_APPLIANCE' });
    steps.push(...b.steps, bVerify, promote, ...a.steps, aVerify, establish);
  }
  const sites = [a.site, b.site].filter((s): s is StepDefinition => s !== null);
  gatePreparation(steps, brk, brk, sites);
  const lastVerify = plan === 'sync' ? bVerify : aVerify;
  const clientsUnlockedBy = withClients(steps, options, establish, 'PROCEDURE_ORDER', {
    step: lastVerify,
    rule: 'VERIFY_BEFORE_NEXT',
  });
  return { name: plan, steps, windows: ['a', 'b'] as const, clientsUnlockedBy };
}

function newHardware(options: PlanOptions) {
  // The new appliance always gets site software installed, base-only or not.
  const steps = preparationSteps({ pair: false, siteInstall: true });
  const migration = hardwareMigration(options.methodA);
  steps.push(...migration.steps);
  gatePreparation(steps, migration.verify, migration.restore, [migration.software]);
  const clientsUnlockedBy = withClients(steps, options, migration.verify, 'VERIFY_BEFORE_NEXT');
  return { name: 'hardware' as const, steps, windows: ['a'] as const, clientsUnlockedBy };
}

/** Builds and validates the runbook of a plan with resolved options. */
export function buildPlan(name: PlanName, options: PlanOptions): Plan {
  const built =
    name === 'single' || name === 'manual'
      ? singleAppliance(name, options)
      : isPairPlan(name)
        ? failoverPair(name, options)
        : newHardware(options);
  const plan: Plan = {
    name,
    ...PLAN_TITLES[name],
    options,
    steps: built.steps,
    windows: [...built.windows],
    clientsUnlockedBy: built.clientsUnlockedBy,
    warnings: planWarnings(name, options),
  };
  validatePlan(plan);
  return plan;
}
