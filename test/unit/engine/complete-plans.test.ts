import { describe, expect, it } from 'vitest';
import { PLAN_NAMES, planFor, startUpgrade, summarize, topologicalOrder } from '../../../src/engine/index.js';
import { allOptionCombinations, effectsOfType, finishSteps, LEAD, T0 } from '../../support/engine.js';

describe('every plan completes in a valid order', () => {
  it.each(PLAN_NAMES)('%s × update method × switch method × base-only', (name) => {
    const combos = allOptionCombinations(name);
    expect(combos.length).toBeGreaterThan(0);
    for (const options of combos) {
      const start = startUpgrade(
        {
          plan: name,
          options: {
            methodA: options.methodA,
            baseOnly: options.baseOnly,
            ...(options.methodB ? { methodB: options.methodB } : {}),
            ...(options.switchMethod ? { switchMethod: options.switchMethod } : {}),
          },
          lead: LEAD,
        },
        T0,
      );
      if (!start.ok) throw new Error(start.problems.join());
      expect(start.state.options).toEqual(options);
      const order = topologicalOrder(planFor(name, options));
      if (!order) throw new Error('no order');
      const { state, effects } = finishSteps(start.state, order, T0.plus({ hours: 1 }));
      expect(state.status, `${name} ${JSON.stringify(options)}`).toBe('completed');
      expect(effectsOfType(effects, 'upgrade-completed')).toHaveLength(1);
      const pair = name === 'sync' || name === 'async';
      expect(effectsOfType(effects, 'failover-gap-opened')).toHaveLength(pair ? 1 : 0);
      expect(effectsOfType(effects, 'failover-gap-closed')).toHaveLength(pair ? 1 : 0);
      // The last effect of a finished upgrade cancels every reminder still pending.
      expect(effects.at(-1)).toEqual({ type: 'reminders-cancelled', rule: null, scope: null });
    }
  });

  it('summarises durations and who confirmed what', () => {
    const start = startUpgrade({ plan: 'async', options: {}, lead: LEAD }, T0);
    if (!start.ok) throw new Error('start');
    const order = topologicalOrder(planFor('async', start.state.options)) ?? [];
    const breakAt = order.indexOf('a.break');
    const establishAt = order.indexOf('b.establish');
    let state = finishSteps(start.state, order.slice(0, breakAt + 1), T0.plus({ hours: 1 })).state;
    state = finishSteps(state, order.slice(breakAt + 1, establishAt + 1), T0.plus({ days: 2 })).state;
    state = finishSteps(state, order.slice(establishAt + 1), T0.plus({ days: 3 })).state;
    const summary = summarize(state, T0.plus({ days: 4 }));
    expect(summary.total).toBe('PT72H');
    expect(summary.failoverOff).toBe('PT47H');
    const breakStep = summary.steps.find((s) => s.key === 'a.break');
    expect(breakStep?.by).toEqual(['ULEAD', 'USECOND']);
    expect(summary.perAppliance.map((a) => a.appliance).sort()).toEqual(['a', 'b']);
  });
});
