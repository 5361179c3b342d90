import type { DateTime } from 'luxon';
import { abort } from './commands/abort.js';
import { claim } from './commands/claim.js';
import { complete } from './commands/complete.js';
import { confirmCheck } from './commands/confirm-check.js';
import { confirmSync } from './commands/confirm-sync.js';
import type { CommandContext } from './commands/context.js';
import { reassignLead } from './commands/reassign-lead.js';
import { reportProblem } from './commands/report-problem.js';
import { resolveProblem } from './commands/resolve-problem.js';
import { setOption } from './commands/set-option.js';
import { setWindow } from './commands/set-window.js';
import { skip } from './commands/skip.js';
import { snooze } from './commands/snooze.js';
import { undo } from './commands/undo.js';
import { observe, verifyResult, verifyStart } from './commands/verify.js';
import { planOf } from './plan-cache.js';
import { refuse } from './refusals.js';
import { openProblems } from './state-queries.js';
import type { Command, CommandType, TransitionResult, UpgradeState } from './types.js';

/** What may still happen while a base-software problem holds the upgrade. */
const ALLOWED_WHILE_BLOCKED: ReadonlySet<CommandType> = new Set([
  'resolve-problem',
  'report-problem',
  'abort',
  'reassign-lead',
  'set-window',
  'confirm-sync',
  'snooze',
  'observe',
  'verify-result',
]);

function dispatch(context: CommandContext<Command>): TransitionResult {
  const { command } = context;
  switch (command.type) {
    case 'complete':
      return complete({ ...context, command });
    case 'skip':
      return skip({ ...context, command });
    case 'claim':
      return claim({ ...context, command });
    case 'confirm-check':
      return confirmCheck({ ...context, command });
    case 'report-problem':
      return reportProblem({ ...context, command });
    case 'resolve-problem':
      return resolveProblem({ ...context, command });
    case 'undo':
      return undo({ ...context, command });
    case 'set-option':
      return setOption({ ...context, command });
    case 'set-window':
      return setWindow({ ...context, command });
    case 'confirm-sync':
      return confirmSync({ ...context, command });
    case 'reassign-lead':
      return reassignLead({ ...context, command });
    case 'abort':
      return abort({ ...context, command });
    case 'snooze':
      return snooze({ ...context, command });
    case 'verify-start':
      return verifyStart({ ...context, command });
    case 'verify-result':
      return verifyResult({ ...context, command });
    case 'observe':
      return observe({ ...context, command });
  }
}

/**
 * The whole engine in one call: the next state and the effects to carry out, or a refusal that names
 * the rule and what is missing. Pure: `now` is the only clock and the input state is never changed.
 */
export function transition(state: UpgradeState, command: Command, now: DateTime): TransitionResult {
  if (!command.actor.participant) {
    return refuse(
      'NOT_PARTICIPANT',
      'You are following this upgrade as a watcher, and only its participants can act on it. To take part, ask a participant (or the lead) to type `/pra-upgrade add @you` in this channel.',
    );
  }
  if (state.status === 'completed' || state.status === 'aborted') {
    return refuse('UPGRADE_CLOSED', `This upgrade is ${state.status}; nothing more can change.`);
  }
  if (state.status === 'blocked' && !ALLOWED_WHILE_BLOCKED.has(command.type)) {
    const holding = openProblems(state).filter((p) => p.base);
    return refuse(
      'UPGRADE_BLOCKED',
      `The upgrade is on hold: a problem on a base software update is open (${holding.map((p) => `#${p.id}`).join(', ')}). Do not restart the appliance; contact BeyondTrust Technical Support, then record how it was resolved.`,
      { missing: holding.map((p) => p.step) },
    );
  }
  return dispatch({ state: structuredClone(state), plan: planOf(state), command, now });
}
