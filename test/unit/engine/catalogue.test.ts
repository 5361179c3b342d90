import { describe, expect, it } from 'vitest';
import {
  buildPlan,
  ORDERING_RULES,
  PLAN_NAMES,
  PlanDefinitionError,
  type PlanName,
  type PlanOptions,
  resolvePlanOptions,
  type SWITCH_METHODS,
  topologicalOrder,
  validatePlan,
} from '../../../src/engine/index.js';
import { stepOf } from '../../../src/engine/state-queries.js';
import { allOptionCombinations } from '../../support/engine.js';

const PREP = [
  'prep.window',
  'prep.announce',
  'prep.test-env',
  'prep.vault-key',
  'prep.certs',
  'prep.cert-stores',
  'prep.msi',
];
const CLIENTS = [
  'clients.consoles',
  'clients.jump',
  'clients.jumpoints',
  'clients.agents',
  'clients.integration',
  'clients.installers',
  'clients.settle',
];
const auto = (x: string) => [
  `${x}.update.check`,
  `${x}.update.base`,
  `${x}.update.backup-after-base`,
  `${x}.update.site`,
];
const manual = (x: string) => [
  `${x}.update.download-key`,
  `${x}.update.fetch`,
  `${x}.update.base`,
  `${x}.update.backup-after-base`,
  `${x}.update.site`,
];

describe('the plan catalogue', () => {
  it('uses exactly the step keys of the reference, in the guide order', () => {
    const keys = (plan: PlanName, options: Partial<PlanOptions> = {}) => {
      const resolved = resolvePlanOptions(plan, {});
      if (!resolved.ok) throw new Error('unresolvable');
      return buildPlan(plan, { ...resolved.options, ...options }).steps.map((s) => s.key);
    };
    expect(keys('single')).toEqual([...PREP, 'a.backup', ...auto('a'), 'a.verify', ...CLIENTS]);
    expect(keys('manual')).toEqual([...PREP, 'a.backup', ...manual('a'), 'a.verify', ...CLIENTS]);
    expect(keys('sync')).toEqual([
      ...PREP,
      'a.backup',
      'a.sync',
      'a.break',
      ...manual('a'),
      'a.verify',
      ...manual('b'),
      'b.verify',
      'a.establish',
      ...CLIENTS,
    ]);
    expect(keys('async', { methodB: 'auto' })).toEqual([
      ...PREP,
      'a.backup',
      'a.sync',
      'a.break',
      ...auto('b'),
      'b.verify',
      'b.promote',
      ...manual('a'),
      'a.verify',
      'b.establish',
      ...CLIENTS,
    ]);
    expect(keys('hardware')).toEqual([
      ...PREP,
      'new.install',
      'old.backup',
      'old.cert-export',
      'new.cert-import',
      'new.cert-default',
      'new.software',
      'new.restore',
      'new.verify',
      'old.decommission',
      ...CLIENTS,
    ]);
  });

  it('leaves out backup-after-base, site and client steps in a base-only upgrade', () => {
    const keys = buildPlan('sync', {
      methodA: 'auto',
      methodB: 'manual',
      switchMethod: null,
      baseOnly: true,
    }).steps.map((s) => s.key);
    expect(keys).not.toContain('a.update.site');
    expect(keys).not.toContain('b.update.backup-after-base');
    expect(keys.filter((k) => k.startsWith('clients.'))).toEqual([]);
    expect(keys).toContain('a.update.base');
    expect(keys).toContain('b.update.fetch');
  });

  it.each(PLAN_NAMES)('builds a valid, completable runbook for every option of %s', (plan) => {
    for (const options of allOptionCombinations(plan)) {
      const built = buildPlan(plan, options);
      expect(() => validatePlan(built)).not.toThrow();
      expect(topologicalOrder(built)).toHaveLength(built.steps.length);
      for (const step of built.steps) {
        expect(step.title.length).toBeGreaterThan(3);
        expect(step.instructions.length).toBeGreaterThan(20);
        for (const p of step.prerequisites) expect(ORDERING_RULES).toContain(p.rule);
      }
    }
  });

  it('marks the break, the promotion, re-establishing and the factory reset as critical', () => {
    const critical = (plan: PlanName) => {
      const resolved = resolvePlanOptions(plan, {});
      if (!resolved.ok) throw new Error('unresolvable');
      return buildPlan(plan, resolved.options)
        .steps.filter((s) => s.critical)
        .map((s) => s.key);
    };
    expect(critical('sync')).toEqual(['a.break', 'a.establish']);
    expect(critical('async')).toEqual(['a.break', 'b.promote', 'b.establish']);
    expect(critical('hardware')).toEqual(['old.decommission']);
    expect(critical('single')).toEqual([]);
  });

  it('flags base and site software steps and lets only optional steps be skipped', () => {
    const plan = buildPlan('async', {
      methodA: 'manual',
      methodB: 'auto',
      switchMethod: 'dns',
      baseOnly: false,
    });
    const software = Object.fromEntries(plan.steps.filter((s) => s.software).map((s) => [s.key, s.software]));
    expect(software).toEqual({
      'b.update.base': 'base',
      'b.update.site': 'site',
      'a.update.base': 'base',
      'a.update.site': 'site',
    });
    const skippable = plan.steps.filter((s) => s.skippable).map((s) => s.key);
    expect(skippable).toEqual(
      expect.arrayContaining(['prep.test-env', 'prep.vault-key', 'prep.msi', 'clients.integration']),
    );
    expect(skippable).not.toContain('a.break');
    expect(skippable).not.toContain('prep.cert-stores');
  });

  it('gives each switch method its own instructions for making B primary', () => {
    const promote = (switchMethod: (typeof SWITCH_METHODS)[number]) =>
      buildPlan('async', { methodA: 'manual', methodB: 'manual', switchMethod, baseOnly: false }).steps.find(
        (s) => s.key === 'b.promote',
      );
    expect(promote('shared-ip')?.instructions).toContain('shared IP');
    expect(promote('shared-ip')?.instructions).toContain('AWS');
    expect(promote('dns')?.instructions).toContain('DNS');
    expect(promote('nat')?.instructions).toContain('NAT');
  });

  it('writes the instructions with BeyondTrust UI paths and button names', () => {
    const plan = buildPlan('sync', {
      methodA: 'manual',
      methodB: 'auto',
      switchMethod: null,
      baseOnly: false,
    });
    const text = (key: string) => stepOf(plan, key)?.instructions ?? '';
    expect(text('a.backup')).toContain('/login > Management > Software > Download Backup');
    expect(text('a.sync')).toContain('Sync Now');
    expect(text('a.break')).toContain('Break Failover Relationship');
    expect(text('a.update.download-key')).toContain('Appliance Download Key');
    expect(text('a.update.fetch')).toContain('btupdate.com');
    expect(text('b.update.check')).toContain('Check for Updates');
    expect(text('a.establish')).toContain('Establish Relationship');
    expect(text('a.establish')).toContain('inter-appliance keys');
  });
});

describe('plan options', () => {
  it('defaults failover pairs to manual updates and async to a DNS swing', () => {
    expect(resolvePlanOptions('async', {})).toEqual({
      ok: true,
      options: { methodA: 'manual', methodB: 'manual', switchMethod: 'dns', baseOnly: false },
    });
    expect(resolvePlanOptions('sync', { methodB: 'auto' })).toEqual({
      ok: true,
      options: { methodA: 'manual', methodB: 'auto', switchMethod: null, baseOnly: false },
    });
  });

  it('warns when a failover pair uses automatic updates', () => {
    const plan = buildPlan('sync', {
      methodA: 'auto',
      methodB: 'manual',
      switchMethod: null,
      baseOnly: false,
    });
    expect(plan.warnings.map((w) => w.code)).toEqual(['AUTO_UPDATE_ON_FAILOVER_PAIR']);
    expect(plan.warnings[0]?.message).toContain('do not apply to a failover configuration');
  });

  it('refuses options that do not fit the plan, saying why', () => {
    const refused = resolvePlanOptions('single', {
      switchMethod: 'dns',
      methodB: 'manual',
      method: 'manual',
    });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.problems).toHaveLength(3);
      expect(refused.problems.join(' ')).toContain('manual plan');
    }
    expect(resolvePlanOptions('manual', { method: 'auto' }).ok).toBe(false);
    expect(resolvePlanOptions('sync', { switchMethod: 'nat' }).ok).toBe(false);
  });
});

describe('plan validation', () => {
  const good = () =>
    buildPlan('single', { methodA: 'auto', methodB: null, switchMethod: null, baseOnly: false });

  it('refuses a cycle', () => {
    const plan = good();
    const backup = stepOf(plan, 'a.backup');
    backup?.prerequisites.push({ step: 'a.verify', rule: 'PROCEDURE_ORDER' });
    expect(() => validatePlan(plan)).toThrow(/cycle/);
  });

  it('refuses unknown keys and duplicate steps', () => {
    const plan = good();
    plan.steps[0]?.prerequisites.push({ step: 'a.nope', rule: 'BACKUP_FIRST' });
    const copy = plan.steps[1];
    if (copy) plan.steps.push({ ...copy });
    try {
      validatePlan(plan);
      expect.unreachable('validation passed');
    } catch (error) {
      expect(error).toBeInstanceOf(PlanDefinitionError);
      expect((error as PlanDefinitionError).problems.join(' ')).toMatch(
        /unknown step a\.nope.*appears twice|appears twice.*unknown step a\.nope/,
      );
    }
  });
});

describe('certificate stores', () => {
  it('may be skipped only when the plan installs no site software', () => {
    const skippable = (plan: PlanName, baseOnly: boolean) => {
      const resolved = resolvePlanOptions(plan, { baseOnly });
      if (!resolved.ok) throw new Error('unresolvable');
      return buildPlan(plan, resolved.options).steps.find((s) => s.key === 'prep.cert-stores')?.skippable;
    };
    expect(skippable('single', true)).toBe(true);
    expect(skippable('async', true)).toBe(true);
    expect(skippable('single', false)).toBe(false);
    // A new appliance gets site software installed even in a base-only migration.
    expect(skippable('hardware', true)).toBe(false);
  });
});
