// Speed and memory of the pure engine: how long a transition takes, and how big a state is.
import { DateTime } from 'luxon';
import {
  planOf,
  startUpgrade,
  topologicalOrder,
  transition,
  type UpgradeState,
} from '../src/engine/index.js';
import { stepOf } from '../src/engine/state-queries.js';
import { createRenderer } from '../src/slack/blocks/renderer.js';
import { measure, report } from './measure.js';

const now = DateTime.fromISO('2026-11-28T10:00:00Z');
const start = startUpgrade({ plan: 'async', options: {}, lead: 'ULEAD' }, now);
if (!start.ok) throw new Error('start');
const order = topologicalOrder(planOf(start.state)) ?? [];

function walk(): UpgradeState {
  let state = start.ok ? start.state : (undefined as never);
  for (const key of order) {
    const step = stepOf(planOf(state), key);
    for (const check of step?.checks ?? []) {
      const r = transition(
        state,
        { type: 'confirm-check', actor: { userId: 'UA', participant: true }, step: key, check: check.id },
        now,
      );
      if (r.ok) state = r.next;
    }
    for (const userId of step?.critical ? ['UA', 'UB'] : ['UA']) {
      const r = transition(state, { type: 'complete', actor: { userId, participant: true }, step: key }, now);
      if (r.ok) state = r.next;
    }
  }
  return state;
}

const transitions = order.length + 4;
const walkStats = measure('walk a whole async plan', 200, walk);
report(
  walkStats,
  `${(walkStats.meanMs / transitions).toFixed(3)} ms per transition (${transitions} transitions)`,
);
const finished = walk();
report(
  measure('refuse an out-of-order click', 5000, () =>
    transition(
      start.state,
      { type: 'complete', actor: { userId: 'UA', participant: true }, step: 'a.break' },
      now,
    ),
  ),
);
console.log(
  `state size: ${JSON.stringify(start.state).length} bytes fresh, ${JSON.stringify(finished).length} bytes finished`,
);

const renderer = createRenderer();
const snapshot = {
  id: '00000000-0000-4000-8000-000000000000',
  teamId: 'T1',
  plan: 'async' as const,
  ticket: 'CHG1',
  applianceA: 'a',
  applianceB: 'b',
  channelId: 'C1',
  channelName: 'pra-async',
  state: finished,
  version: 40,
  participants: ['UA', 'UB'],
  createdAt: now.toISO() ?? '',
};
report(
  measure('render every runbook message of an async upgrade', 500, () =>
    renderer.runbookSlots(snapshot).map((slot) => renderer.slotMessage(snapshot, slot, now)),
  ),
);
