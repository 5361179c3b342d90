import { failoverIsBroken } from '../state-queries.js';
import { stamp } from '../time.js';
import { cancel } from '../time-rules.js';
import type { Command, Effect } from '../types.js';
import { type CommandHandler, leadOnly, meaningfulText } from './context.js';

export const FAILOVER_STILL_BROKEN_GUIDANCE =
  'Failover is still broken. Re-establish it by hand (`/login > Management > Failover`, check keys, version and certificates first); the bot no longer reminds you.';

/** Ends the upgrade early; reminders stop, and a broken failover is called out rather than forgotten. */
export const abort: CommandHandler<Extract<Command, { type: 'abort' }>> = ({ state, command, now }) => {
  const notLead = leadOnly(state, command.actor.userId, 'abort the upgrade');
  if (notLead) return notLead;
  const vague = meaningfulText(command.reason, 'a reason for aborting');
  if (vague) return vague;
  state.status = 'aborted';
  state.endedAt = stamp(now);
  state.abortReason = command.reason.trim();
  const effects: Effect[] = [
    { type: 'upgrade-aborted', by: command.actor.userId, reason: state.abortReason },
    cancel(null),
  ];
  if (failoverIsBroken(state)) {
    effects.push({
      type: 'guidance',
      kind: 'failover-still-broken',
      message: FAILOVER_STILL_BROKEN_GUIDANCE,
    });
  }
  return { ok: true, next: state, effects };
};
