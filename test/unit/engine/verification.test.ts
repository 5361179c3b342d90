import { describe, expect, it } from 'vitest';
import {
  type Appliance,
  type Command,
  type HealthReading,
  judge,
  type PlanName,
  type PlanOptionsInput,
  planOf,
  type Readings,
  startUpgrade,
  transition,
  type UpgradeState,
  verificationFor,
} from '../../../src/engine/index.js';
import { stamp } from '../../../src/engine/time.js';
import {
  apply,
  LEAD,
  person,
  prerequisitesOf,
  refusalOf,
  SECOND,
  started,
  T0,
} from '../../support/engine.js';

function health(overrides: Partial<HealthReading> = {}): HealthReading {
  return {
    hostname: 'pra',
    version: '23.3.1',
    build: '4123',
    healthy: true,
    errorMessage: null,
    role: 'none',
    sharedIps: [],
    lastSyncAt: null,
    lastSyncStatus: null,
    ...overrides,
  };
}

const NAMES: Record<Appliance, string> = { a: 'pra-a', b: 'pra-b', old: 'pra-old', new: 'pra-new' };

type Answer =
  | Partial<HealthReading>
  | { jumpClients: { pending: number; total: number } }
  | {
      jumpoints: { total: number; connected: number; disconnected: string[] };
    };

function readings(answers: Partial<Record<Appliance, Answer>>): Readings {
  return {
    at: stamp(T0),
    appliances: (Object.entries(answers) as [Appliance, Answer][]).map(([appliance, answer]) => {
      const name = NAMES[appliance];
      if ('jumpClients' in answer) return { appliance, name, ok: true, jumpClients: answer.jumpClients };
      if ('jumpoints' in answer) return { appliance, name, ok: true, jumpoints: answer.jumpoints };
      return { appliance, name, ok: true, health: health(answer as Partial<HealthReading>) };
    }),
  };
}

function linked(
  plan: PlanName,
  options: PlanOptionsInput = {},
  targetVersion: string | null = null,
): UpgradeState {
  const hardware = plan === 'hardware';
  const names = hardware
    ? { old: 'pra-old', new: 'pra-new' }
    : plan === 'sync' || plan === 'async'
      ? { a: 'pra-a', b: 'pra-b' }
      : { a: 'pra-a' };
  const answers = hardware
    ? { old: {}, new: {} }
    : plan === 'sync' || plan === 'async'
      ? { a: { role: 'primary' as const }, b: { role: 'backup' as const } }
      : { a: {} };
  return started(plan, options, { linked: { names, targetVersion, readings: readings(answers) } });
}

/** The state with every prerequisite of `key` done (as if confirmed earlier). */
function readyFor(state: UpgradeState, key: string): UpgradeState {
  const next = structuredClone(state);
  for (const k of prerequisitesOf(state, key)) {
    const progress = next.steps[k];
    if (!progress) continue;
    progress.status = 'done';
    progress.completedAt = stamp(T0);
    progress.confirmations = [{ by: LEAD, at: stamp(T0) }];
    const step = planOf(state).steps.find((s) => s.key === k);
    for (const check of step?.checks ?? []) progress.checks[check.id] = { by: LEAD, at: stamp(T0) };
  }
  return next;
}

interface Case {
  name: string;
  plan: PlanName;
  options?: PlanOptionsInput;
  target?: string;
  step: string;
  check?: string;
  agrees: Partial<Record<Appliance, Answer>>;
  disagrees: Partial<Record<Appliance, Answer>>;
  fact: RegExp;
}

const LATER = stamp(T0.plus({ minutes: 10 }));
const EARLIER = stamp(T0.minus({ hours: 1 }));
const NEW = { version: '24.1.2', build: '5123' };

const CASES: Case[] = [
  {
    name: 'Sync Now: a sync newer than the step',
    plan: 'async',
    step: 'a.sync',
    agrees: { a: { role: 'primary', lastSyncAt: LATER } },
    disagrees: { a: { role: 'primary', lastSyncAt: EARLIER } },
    fact: /A \(pra-a\) last synced at .* before this step was opened/,
  },
  {
    name: 'Break Failover: both roles none',
    plan: 'async',
    step: 'a.break',
    agrees: { a: {}, b: {} },
    disagrees: { a: { role: 'primary' }, b: {} },
    fact: /A \(pra-a\) reports failover role primary: failover is still configured/,
  },
  {
    name: 'site update on the target version',
    plan: 'async',
    target: '24.1.2',
    step: 'b.update.site',
    agrees: { b: NEW },
    disagrees: { b: {} },
    fact: /B \(pra-b\) still reports 23\.3\.1 \(4123\), not 24\.1\.2/,
  },
  {
    name: 'verify: changed from the recorded version',
    plan: 'async',
    step: 'b.verify',
    agrees: { b: NEW },
    disagrees: { b: {} },
    fact: /B \(pra-b\) still reports 23\.3\.1 \(4123\), the version it reported when the upgrade started/,
  },
  {
    name: 'verify: healthy',
    plan: 'single',
    step: 'a.verify',
    agrees: { a: NEW },
    disagrees: { a: { ...NEW, healthy: false, errorMessage: 'Storage degraded' } },
    fact: /A \(pra-a\) reports it is not healthy: Storage degraded/,
  },
  {
    name: 'establish check: same version and build',
    plan: 'async',
    step: 'b.establish',
    check: 'keys',
    agrees: { a: NEW, b: NEW },
    disagrees: { a: NEW, b: { version: '24.1.2', build: '5124' } },
    fact: /A reports 24\.1\.2 \(5123\) and B reports 24\.1\.2 \(5124\)/,
  },
  {
    name: 'Make B primary',
    plan: 'async',
    step: 'b.promote',
    agrees: { a: {}, b: { role: 'primary' } },
    disagrees: { a: {}, b: {} },
    fact: /B \(pra-b\) reports failover role none, not primary/,
  },
  {
    name: 'Make B primary by shared IP',
    plan: 'async',
    options: { switchMethod: 'shared-ip' },
    step: 'b.promote',
    agrees: { a: {}, b: { role: 'primary', sharedIps: ['10.0.0.5'] } },
    disagrees: { a: { sharedIps: ['10.0.0.5'] }, b: { role: 'primary', sharedIps: ['10.0.0.5'] } },
    fact: /the shared IP is still enabled on A \(10\.0\.0\.5\)/,
  },
  {
    name: 're-establish (async): B primary, A backup',
    plan: 'async',
    step: 'b.establish',
    agrees: { a: { role: 'backup' }, b: { role: 'primary' } },
    disagrees: { a: { role: 'primary' }, b: { role: 'backup' } },
    fact: /the plan wants B primary and A backup/,
  },
  {
    name: 're-establish (sync): A primary, B backup',
    plan: 'sync',
    step: 'a.establish',
    agrees: { a: { role: 'primary' }, b: { role: 'backup' } },
    disagrees: { a: { role: 'primary' }, b: { role: 'none' } },
    fact: /B \(pra-b\) reports failover role none; the plan wants A primary and B backup/,
  },
  {
    name: 'settle: no Jump Client waiting',
    plan: 'async',
    step: 'clients.settle',
    agrees: { b: { jumpClients: { pending: 0, total: 10 } } },
    disagrees: { b: { jumpClients: { pending: 3, total: 10 } } },
    fact: /3 of 10 Jump Clients on B \(pra-b\) still wait to upgrade/,
  },
  {
    name: 'Jumpoints all connected',
    plan: 'single',
    step: 'clients.jumpoints',
    agrees: { a: { jumpoints: { total: 2, connected: 2, disconnected: [] } } },
    disagrees: { a: { jumpoints: { total: 2, connected: 1, disconnected: ['lab'] } } },
    fact: /1 of 2 Jumpoints on A \(pra-a\) are not connected: lab/,
  },
  {
    name: 'hardware: the new appliance healthy, not older than the old one',
    plan: 'hardware',
    step: 'new.restore',
    agrees: { new: {} },
    disagrees: { new: { version: '22.1.0', build: '100' } },
    fact: /The new appliance \(pra-new\) reports 22\.1\.0 \(100\), older than the current appliance's 23\.3\.1 \(4123\)/,
  },
  {
    name: 'hardware: on the target version',
    plan: 'hardware',
    target: '24.1.2',
    step: 'new.verify',
    agrees: { new: NEW },
    disagrees: { new: {} },
    fact: /reports 23\.3\.1 \(4123\), not 24\.1\.2/,
  },
];

describe('what the appliances must report, step by step', () => {
  it.each(CASES)('$name: agrees and disagrees', (c) => {
    const state = linked(c.plan, c.options, c.target ?? null);
    const plan = planOf(state);
    const step = plan.steps.find((s) => s.key === c.step);
    if (!step) throw new Error(`no ${c.step}`);
    const checked = verificationFor(plan, state, c.step, c.check);
    expect(checked).not.toBeNull();
    if (!checked) return;
    expect(judge(plan, state, step, checked, readings(c.agrees))).toMatchObject({ verdict: 'agrees' });
    const disagrees = judge(plan, state, step, checked, readings(c.disagrees));
    expect(disagrees.verdict).toBe('disagrees');
    expect(disagrees.verdict === 'disagrees' && disagrees.fact).toMatch(c.fact);
  });

  it('every step that names a verification is in the table', () => {
    const covered = new Set(CASES.map((c) => c.step.replace(/^[ab]\./, 'x.')));
    for (const plan of ['single', 'sync', 'async', 'hardware'] as const) {
      for (const step of planOf(linked(plan)).steps) {
        if (step.verification)
          expect(covered, `${plan} ${step.key}`).toContain(step.key.replace(/^[ab]\./, 'x.'));
      }
    }
  });

  it('steps of an upgrade without linked appliances have no verification', () => {
    const state = started('async');
    expect(verificationFor(planOf(state), state, 'b.verify')).toBeNull();
  });
});

describe('confirming a verified step', () => {
  const base = () => readyFor(linked('async', {}, '24.1.2'), 'b.verify');

  it('is done with the evidence when the appliance agrees', () => {
    const { state, effects } = apply(base(), {
      type: 'complete',
      actor: person(LEAD),
      step: 'b.verify',
      readings: readings({ b: NEW }),
    });
    expect(state.steps['b.verify']).toMatchObject({ status: 'done', verified: { outcome: 'agreed' } });
    expect(state.steps['b.verify']?.verified?.text).toContain('B (pra-b) is healthy on 24.1.2 (5123)');
    expect(effects.map((e) => e.type)).toContain('step-verified');
  });

  it('is refused with APPLIANCE_STATE and what the appliance reported, and nothing changes', () => {
    const before = base();
    const refusal = refusalOf(before, {
      type: 'complete',
      actor: person(LEAD),
      step: 'b.verify',
      readings: readings({ b: {} }),
    });
    expect(refusal.rule).toBe('APPLIANCE_STATE');
    expect(refusal.message).toContain('B (pra-b) still reports 23.3.1 (4123), not 24.1.2');
  });

  it('is refused without readings: a linked step cannot be clicked past the appliance', () => {
    expect(refusalOf(base(), { type: 'complete', actor: person(LEAD), step: 'b.verify' }).rule).toBe(
      'APPLIANCE_CHECK_REQUIRED',
    );
  });

  it('an appliance that cannot be asked: refused with why, then accepted with a reason, shown and announced', () => {
    const unreachable: Readings = {
      at: stamp(T0),
      appliances: [
        { appliance: 'b', name: 'pra-b', ok: false, reason: 'timeout', message: 'no answer within 10 s' },
      ],
    };
    const refusal = refusalOf(base(), {
      type: 'complete',
      actor: person(LEAD),
      step: 'b.verify',
      readings: unreachable,
    });
    expect(refusal.rule).toBe('APPLIANCE_UNREACHABLE');
    expect(refusal.message).toContain('B (pra-b): no answer within 10 s');
    expect(refusal.message).toContain('Confirm anyway');
    const { state, effects } = apply(base(), {
      type: 'complete',
      actor: person(LEAD),
      step: 'b.verify',
      readings: unreachable,
      override: 'Help > About on B shows 24.1.2 (5123)',
    });
    expect(state.steps['b.verify']).toMatchObject({
      status: 'done',
      verified: { outcome: 'overridden', reason: 'Help > About on B shows 24.1.2 (5123)', by: LEAD },
    });
    expect(effects).toContainEqual(expect.objectContaining({ type: 'verification-overridden', by: LEAD }));
  });

  it('a reason never overrules an appliance that answers and disagrees', () => {
    const refusal = refusalOf(base(), {
      type: 'complete',
      actor: person(LEAD),
      step: 'b.verify',
      readings: readings({ b: {} }),
      override: 'I am sure it is fine',
    });
    expect(refusal.rule).toBe('APPLIANCE_STATE');
  });

  it('checking starts only when the confirmation itself would be accepted', () => {
    const early = linked('async');
    expect(refusalOf(early, { type: 'verify-start', actor: person(LEAD), step: 'b.verify' }).rule).toBe(
      'PROCEDURE_ORDER',
    );
    const { state } = apply(base(), { type: 'verify-start', actor: person(LEAD), step: 'b.verify' });
    expect(state.steps['b.verify']?.verified?.outcome).toBe('checking');
    const noted = apply(state, {
      type: 'verify-result',
      actor: person(LEAD),
      step: 'b.verify',
      outcome: 'disagreed',
      verification: 'on-target-version',
      text: 'B still reports 23.3.1 (4123)',
    });
    expect(noted.state.steps['b.verify']?.verified).toMatchObject({ outcome: 'disagreed' });
  });

  it('a critical step is checked at each confirmation', () => {
    const ready = readyFor(linked('async'), 'a.break');
    const first = apply(ready, {
      type: 'complete',
      actor: person(LEAD),
      step: 'a.break',
      readings: readings({ a: {}, b: {} }),
    });
    expect(first.state.steps['a.break']?.status).toBe('awaiting-second');
    const again = refusalOf(first.state, {
      type: 'complete',
      actor: person(SECOND),
      step: 'a.break',
      readings: readings({ a: { role: 'primary' }, b: {} }),
    });
    expect(again.rule).toBe('APPLIANCE_STATE');
  });
});

describe('what the watch observes', () => {
  function established(): UpgradeState {
    const state = readyFor(linked('async'), 'clients.jump');
    const next = structuredClone(state);
    next.failover = {
      brokenAt: EARLIER,
      restoredAt: stamp(T0),
      syncConfirmedAt: null,
      syncConfirmedBy: null,
    };
    return next;
  }

  it('a sync after re-establishing answers SYNC_CONFIRM by itself; an older one does not', () => {
    const older = refusalOf(established(), {
      type: 'observe',
      actor: person('system:watch'),
      readings: readings({ b: { role: 'primary', lastSyncAt: EARLIER } }),
    });
    expect(older.duplicate).toBe(true);
    const { state, effects } = apply(
      established(),
      {
        type: 'observe',
        actor: person('system:watch'),
        readings: readings({ b: { role: 'primary', lastSyncAt: LATER } }),
      },
      T0.plus({ minutes: 11 }),
    );
    expect(state.failover.syncObserved).toEqual({ appliance: 'b', lastSyncAt: LATER });
    expect(state.failover.syncConfirmedAt).not.toBeNull();
    expect(effects).toContainEqual({ type: 'reminders-cancelled', rule: 'SYNC_CONFIRM', scope: 'failover' });
  });

  it('keeps the Jump Client count, recording a change and ignoring a repeat', () => {
    const first = observeCount(established(), 7, 1);
    expect(first.ok && first.next.linked?.jumpClients).toMatchObject({
      appliance: 'b',
      pending: 7,
      total: 9,
    });
    if (!first.ok) return;
    const same = observeCount(first.next, 7, 3);
    expect(same.ok).toBe(false);
    const fewer = observeCount(first.next, 0, 3);
    expect(fewer.ok && fewer.effects).toContainEqual({
      type: 'jump-clients-counted',
      appliance: 'b',
      pending: 0,
      total: 9,
    });
  });
});

function observeCount(state: UpgradeState, pending: number, minutes: number) {
  return transitionOf(
    state,
    {
      type: 'observe',
      actor: person('system:watch'),
      readings: readings({ b: { jumpClients: { pending, total: 9 } } }),
    },
    minutes,
  );
}

function transitionOf(state: UpgradeState, command: Command, minutes: number) {
  return transition(state, command, T0.plus({ minutes }));
}

describe('starting with linked appliances', () => {
  it('refuses a pair that is the wrong way round, and says how to start instead', () => {
    const result = startUpgradeWith({ a: { role: 'backup' }, b: { role: 'primary' } });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.join()).toContain('start again with --a pra-b --b pra-a');
  });

  it('refuses a pair without failover, and an appliance that cannot be asked', () => {
    const none = startUpgradeWith({ a: {}, b: {} });
    expect(!none.ok && none.problems.join()).toContain('reports failover role none');
    const unreachable = startUpgrade(
      {
        plan: 'async',
        options: {},
        lead: LEAD,
        linked: {
          names: { a: 'pra-a', b: 'pra-b' },
          targetVersion: null,
          readings: {
            at: stamp(T0),
            appliances: [
              {
                appliance: 'a',
                name: 'pra-a',
                ok: false,
                reason: 'unauthorized',
                message: 'it refused the API account',
              },
              { appliance: 'b', name: 'pra-b', ok: true, health: health({ role: 'backup' }) },
            ],
          },
        },
      },
      T0,
    );
    expect(!unreachable.ok && unreachable.problems.join()).toContain(
      'A (pra-a) could not be asked: it refused the API account',
    );
  });

  it('records the versions the appliances report', () => {
    const result = startUpgradeWith({
      a: { role: 'primary' },
      b: { role: 'backup', version: '23.3.2', build: '4200' },
    });
    expect(result.ok && result.state.linked?.recorded).toEqual({
      a: { version: '23.3.1', build: '4123' },
      b: { version: '23.3.2', build: '4200' },
    });
  });
});

function startUpgradeWith(answers: Partial<Record<Appliance, Answer>>) {
  return startUpgrade(
    {
      plan: 'async',
      options: {},
      lead: LEAD,
      linked: { names: { a: 'pra-a', b: 'pra-b' }, targetVersion: null, readings: readings(answers) },
    },
    T0,
  );
}
