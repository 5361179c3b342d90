// Snapshots of upgrades in the states a channel goes through, for every plan and option combination,
// with long, hostile user text so limits and escaping are exercised.
import {
  type PlanName,
  type PlanOptions,
  type PlanOptionsInput,
  planOf,
  type StepDefinition,
  topologicalOrder,
  type UpgradeState,
} from '../../src/engine/index.js';
import type { UpgradeSnapshot } from '../../src/services/ports/slack.js';
import { createRenderer } from '../../src/slack/blocks/index.js';
import {
  allOptionCombinations,
  apply,
  finishStep,
  finishSteps,
  LEAD,
  person,
  prerequisitesOf,
  SECOND,
  started,
  T0,
} from './engine.js';

/** The Block Kit renderer every block test renders with (pure, so one serves them all). */
export const renderer = createRenderer();

/** The async plan's usual options: both appliances manual, B promoted by DNS. */
export const ASYNC = { methodA: 'manual', methodB: 'manual', switchMethod: 'dns', baseOnly: false } as const;

export const UPGRADE_ID = '3f2a9c1e-8b7d-4e6f-9a1b-2c3d4e5f6a7b';
export const OTHER_ID = 'b71e04d2-5c3a-4f9e-8d21-0a9b8c7d6e5f';

/** Text people type, with mrkdwn control characters and more length than any field allows. */
export const HOSTILE = 'Ticket <b>bold</b> & "quotes" <!channel> <@U999> *stars* `code` ';
export const LONG_HOSTILE = HOSTILE.repeat(60);

export function snapshotOf(state: UpgradeState, extra: Partial<UpgradeSnapshot> = {}): UpgradeSnapshot {
  return {
    id: UPGRADE_ID,
    teamId: 'T1',
    plan: state.plan,
    ticket: 'CHG123',
    applianceA: 'pra-a.example.com',
    applianceB: state.plan === 'sync' || state.plan === 'async' ? 'pra-b.example.com' : null,
    channelId: 'C0UPGRADE',
    channelName: 'pra-async-20261128-chg123',
    state,
    version: 1,
    participants: [LEAD, SECOND],
    createdAt: T0.toISO() ?? '2026-11-28T10:00:00.000Z',
    ...extra,
  };
}

export function inputOf(options: PlanOptions): PlanOptionsInput {
  return {
    methodA: options.methodA,
    baseOnly: options.baseOnly,
    ...(options.methodB ? { methodB: options.methodB } : {}),
    ...(options.switchMethod ? { switchMethod: options.switchMethod } : {}),
  };
}

export function startWith(plan: PlanName, options: PlanOptions): UpgradeState {
  const pair = plan === 'sync' || plan === 'async';
  const windows = {
    a: { startsAt: '2026-12-01T22:00:00.000+01:00', zone: 'Europe/Amsterdam', length: 'PT2H' },
    ...(pair
      ? { b: { startsAt: '2026-12-03T22:00:00.000+01:00', zone: 'Europe/Amsterdam', length: 'PT3H' } }
      : {}),
  };
  return started(plan, inputOf(options), { windows });
}

export function orderOf(state: UpgradeState): string[] {
  const order = topologicalOrder(planOf(state));
  if (!order) throw new Error('cyclic plan');
  return order;
}

function lastCritical(state: UpgradeState): StepDefinition | undefined {
  return planOf(state)
    .steps.filter((s) => s.critical)
    .at(-1);
}

function baseStep(state: UpgradeState): StepDefinition | undefined {
  return planOf(state).steps.find((s) => s.software === 'base');
}

export interface Scenario {
  name: string;
  state: UpgradeState;
}

/** Fresh, mid-way (a skip, a claim), a check confirmed, awaiting a second person, blocked, completed, aborted. */
export function progressStates(plan: PlanName, options: PlanOptions): Scenario[] {
  const fresh = startWith(plan, options);
  const scenarios: Scenario[] = [{ name: 'fresh', state: fresh }];
  const later = T0.plus({ hours: 3 });

  let mid = apply(fresh, {
    type: 'skip',
    actor: person(LEAD),
    step: 'prep.test-env',
    reason: LONG_HOSTILE,
  }).state;
  const order = orderOf(mid).filter((k) => k !== 'prep.test-env');
  mid = finishSteps(mid, order.slice(0, Math.floor(order.length / 2)), later).state;
  const next = order[Math.floor(order.length / 2)];
  if (next) mid = apply(mid, { type: 'claim', actor: person(SECOND), step: next }, later).state;
  scenarios.push({ name: 'mid-way', state: mid });

  const critical = lastCritical(fresh);
  if (critical) {
    const before = finishSteps(fresh, prerequisitesOf(fresh, critical.key), later).state;
    let checked = before;
    for (const check of critical.checks) {
      checked = apply(checked, {
        type: 'confirm-check',
        actor: person(SECOND),
        step: critical.key,
        check: check.id,
      }).state;
    }
    if (critical.checks.length > 0) scenarios.push({ name: 'check-confirmed', state: checked });
    const awaiting = apply(
      checked,
      { type: 'complete', actor: person(LEAD), step: critical.key },
      later,
    ).state;
    scenarios.push({ name: 'awaiting-second', state: awaiting });
  }

  const base = baseStep(fresh);
  const problemStep = base ?? planOf(fresh).steps[0];
  if (problemStep) {
    let blocked = apply(fresh, {
      type: 'report-problem',
      actor: person(SECOND),
      step: problemStep.key,
      description: LONG_HOSTILE,
    }).state;
    blocked = apply(blocked, {
      type: 'report-problem',
      actor: person(LEAD),
      step: 'prep.window',
      description: 'Window clashes with <month-end> & payroll',
    }).state;
    scenarios.push({ name: base ? 'blocked' : 'open-problems', state: blocked });
  }

  scenarios.push({ name: 'completed', state: finishSteps(fresh, orderOf(fresh), later).state });
  scenarios.push({
    name: 'aborted',
    state: apply(mid, { type: 'abort', actor: person(LEAD), reason: LONG_HOSTILE }, later).state,
  });
  return scenarios;
}

export interface PlanCase {
  plan: PlanName;
  options: PlanOptions;
  label: string;
}

export function planCases(plans: readonly PlanName[]): PlanCase[] {
  return plans.flatMap((plan) =>
    allOptionCombinations(plan).map((options) => ({
      plan,
      options,
      label: `${plan} ${JSON.stringify(options)}`,
    })),
  );
}

/** A snapshot with everything a person can type at its longest and most awkward. */
export function hostileSnapshot(state: UpgradeState): UpgradeSnapshot {
  return snapshotOf(state, {
    ticket: LONG_HOSTILE,
    applianceA: LONG_HOSTILE,
    applianceB: LONG_HOSTILE,
    participants: Array.from({ length: 120 }, (_, i) => `U${String(i).padStart(8, '0')}`),
  });
}

export { finishStep, LEAD, SECOND, T0 };
