import { describe, expect, it } from 'vitest';
import {
  ORDERING_RULE_REASONS,
  ORDERING_RULES,
  type OrderingRule,
  PLAN_NAMES,
  planFor,
  planOf,
  startUpgrade,
  transition,
  type UpgradeState,
} from '../../../src/engine/index.js';
import {
  allOptionCombinations,
  apply,
  finishSteps,
  LEAD,
  person,
  prerequisitesOf,
  refusalOf,
  started,
  T0,
} from '../../support/engine.js';

/** Finishes everything `target` needs except `withheld` and whatever builds on it. */
function readyExcept(state: UpgradeState, target: string, withheld: string): UpgradeState {
  const plan = planOf(state);
  const blocked = new Set([withheld]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const step of plan.steps) {
      if (!blocked.has(step.key) && step.prerequisites.some((p) => blocked.has(p.step))) {
        blocked.add(step.key);
        grew = true;
      }
    }
  }
  return finishSteps(
    state,
    prerequisitesOf(state, target).filter((k) => !blocked.has(k)),
  ).state;
}

const complete = (step: string) => ({ type: 'complete' as const, actor: person(LEAD), step });

interface Case {
  rule: OrderingRule;
  story: string;
  plan: Parameters<typeof started>[0];
  options?: Parameters<typeof started>[1];
  target: string;
  withheld: string;
  mentions: string;
}

// One human-readable case per rule: break it, see it refused, named, with the missing step.
const CASES: Case[] = [
  {
    rule: 'BACKUP_FIRST',
    story: 'break failover without a backup',
    plan: 'sync',
    target: 'a.break',
    withheld: 'a.backup',
    mentions: 'Download Backup',
  },
  {
    rule: 'BACKUP_FIRST',
    story: 'install base software without a backup',
    plan: 'single',
    target: 'a.update.base',
    withheld: 'prep.vault-key',
    mentions: 'Vault encryption key',
  },
  {
    rule: 'SYNC_BEFORE_BREAK',
    story: 'break failover before Sync Now',
    plan: 'async',
    target: 'a.break',
    withheld: 'a.sync',
    mentions: 'Sync Now',
  },
  {
    rule: 'BASE_BEFORE_SITE',
    story: 'site update before the base updates',
    plan: 'single',
    target: 'a.update.site',
    withheld: 'a.update.base',
    mentions: 'base software',
  },
  {
    rule: 'BACKUP_AFTER_BASE',
    story: 'site update without the fresh backup after base',
    plan: 'manual',
    target: 'a.update.site',
    withheld: 'a.update.backup-after-base',
    mentions: 'fresh backup',
  },
  {
    rule: 'CERT_STORES_BEFORE_SITE',
    story: 'site update with unchecked certificate stores',
    plan: 'sync',
    target: 'a.update.site',
    withheld: 'prep.cert-stores',
    mentions: 'certificate stores',
  },
  {
    rule: 'FIRST_APPLIANCE',
    story: 'sync: touch B before A is verified',
    plan: 'sync',
    target: 'b.update.download-key',
    withheld: 'a.verify',
    mentions: 'Verify and test A',
  },
  {
    rule: 'FIRST_APPLIANCE',
    story: 'async: promote B before it is verified',
    plan: 'async',
    target: 'b.promote',
    withheld: 'b.verify',
    mentions: 'Verify and test B',
  },
  {
    rule: 'FIRST_APPLIANCE',
    story: 'async: update A before B is primary',
    plan: 'async',
    target: 'a.update.download-key',
    withheld: 'b.promote',
    mentions: 'Make B primary',
  },
  {
    rule: 'VERIFY_BEFORE_NEXT',
    story: 'client follow-up before verifying',
    plan: 'single',
    target: 'clients.jump',
    withheld: 'a.verify',
    mentions: 'Verify and test A',
  },
  {
    rule: 'BOTH_BEFORE_ESTABLISH',
    story: 'async: re-establish before A is verified',
    plan: 'async',
    target: 'b.establish',
    withheld: 'a.verify',
    mentions: 'Verify and test A',
  },
  {
    rule: 'BOTH_BEFORE_ESTABLISH',
    story: 'sync: re-establish before B is verified',
    plan: 'sync',
    target: 'a.establish',
    withheld: 'b.verify',
    mentions: 'Verify and test B',
  },
  {
    rule: 'HW_ORDER',
    story: 'import the certificate before exporting it',
    plan: 'hardware',
    target: 'new.cert-import',
    withheld: 'old.cert-export',
    mentions: 'Export the SSL certificate',
  },
  {
    rule: 'HW_ORDER',
    story: 'restore before the software is installed',
    plan: 'hardware',
    target: 'new.restore',
    withheld: 'new.software',
    mentions: 'Install the software',
  },
  {
    rule: 'HW_ORDER',
    story: 'reset the old appliance before the new one is verified',
    plan: 'hardware',
    target: 'old.decommission',
    withheld: 'new.verify',
    mentions: 'Point DNS at the new appliance',
  },
  {
    rule: 'PROCEDURE_ORDER',
    story: 'install before the updates are downloaded',
    plan: 'manual',
    target: 'a.update.base',
    withheld: 'a.update.fetch',
    mentions: 'Download the updates',
  },
];

describe('every ordering rule refuses the step that breaks it', () => {
  it.each(CASES)('$rule: $story', ({ rule, plan, options, target, withheld, mentions }) => {
    const state = readyExcept(started(plan, options), target, withheld);
    const refusal = refusalOf(state, complete(target));
    expect(refusal.rule).toBe(rule);
    expect(refusal.missing).toContain(withheld);
    // Words for people: the rule's reason, never its code (the code is the refusal's `rule`).
    expect(refusal.message).toContain(ORDERING_RULE_REASONS[rule]);
    expect(refusal.message).not.toContain(rule);
    expect(refusal.message).toContain(mentions);
    // Claiming ("I'm on it") and skipping are held to the same order.
    expect(refusalOf(state, { type: 'claim', actor: person(LEAD), step: target }).rule).toBe(rule);
  });

  it('KEYS_BEFORE_ESTABLISH: re-establish before the inter-appliance keys are confirmed', () => {
    const state = finishSteps(started('sync'), prerequisitesOf(started('sync'), 'a.establish')).state;
    const refusal = refusalOf(state, complete('a.establish'));
    expect(refusal.rule).toBe('KEYS_BEFORE_ESTABLISH');
    expect(refusal.missing).toEqual(['a.establish:keys']);
    expect(refusal.message).toContain('Inter-appliance keys');
    const checked = apply(state, {
      type: 'confirm-check',
      actor: person(LEAD),
      step: 'a.establish',
      check: 'keys',
    });
    expect(transition(checked.state, complete('a.establish'), T0).ok).toBe(true);
  });

  it('holds a skip to the same order as a completion', () => {
    // Skipping an optional client step before the appliance is verified is still out of order.
    const state = readyExcept(started('single'), 'clients.jump', 'a.verify');
    const refusal = refusalOf(state, {
      type: 'skip',
      actor: person(LEAD),
      step: 'clients.jump',
      reason: 'no jump clients here',
    });
    expect(refusal.rule).toBe('VERIFY_BEFORE_NEXT');
    expect(refusal.missing).toContain('a.verify');
  });

  it('writes the refusal as a sentence a person understands', () => {
    const state = readyExcept(started('sync'), 'a.break', 'a.sync');
    const refusal = refusalOf(state, complete('a.break'));
    expect(refusal.message).toBe(
      '“Sync Now on A” must be done before “Break Failover Relationship”: failover is never broken without a fresh sync.',
    );
    // Many steps missing: one behind each named safety rule first, then the others, the rest counted.
    const fresh = refusalOf(started('async'), complete('a.break'));
    expect(fresh.rule).toBe('BACKUP_FIRST');
    expect(fresh.message).toMatch(
      /^“Back up the Vault encryption key”, “Sync Now on A”, “Export the SSL certificate and private key” and \d+ more steps must be done before “Break Failover Relationship”: nothing is broken or installed without a fresh backup/,
    );
    expect(fresh.message).toContain(ORDERING_RULE_REASONS.SYNC_BEFORE_BREAK);
  });

  it('has a case above for every ordering rule', () => {
    const covered = new Set<string>([...CASES.map((c) => c.rule), 'KEYS_BEFORE_ESTABLISH']);
    expect([...ORDERING_RULES].filter((r) => !covered.has(r))).toEqual([]);
  });
});

describe('every prerequisite edge of every plan is enforced', () => {
  it.each(PLAN_NAMES)('%s: withholding any prerequisite refuses the step and names its rule', (name) => {
    for (const options of allOptionCombinations(name)) {
      const plan = planFor(name, options);
      const start = startUpgrade(
        {
          plan: name,
          options: {
            ...options,
            methodB: options.methodB ?? undefined,
            switchMethod: options.switchMethod ?? undefined,
          },
          lead: LEAD,
        },
        T0,
      );
      if (!start.ok) throw new Error(start.problems.join());
      for (const step of plan.steps) {
        for (const edge of step.prerequisites) {
          const state = readyExcept(start.state, step.key, edge.step);
          const result = transition(state, complete(step.key), T0);
          expect(result.ok, `${name} ${step.key} without ${edge.step}`).toBe(false);
          if (!result.ok) {
            expect(result.refusal.missing).toContain(edge.step);
            expect(result.refusal.message).toContain(ORDERING_RULE_REASONS[edge.rule]);
            expect(result.refusal.message).not.toMatch(/[A-Z]{4,}_[A-Z]{4,}/);
          }
        }
      }
    }
  });
});
