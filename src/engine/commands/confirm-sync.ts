import { mention, refuse } from '../refusals.js';
import { establishStepOf } from '../state-queries.js';
import { stamp } from '../time.js';
import { cancel, FAILOVER_SCOPE } from '../time-rules.js';
import type { Command } from '../types.js';
import type { CommandHandler } from './context.js';

/** Someone saw the date and time of the first sync on the Failover page after re-establishing. */
export const confirmSync: CommandHandler<Extract<Command, { type: 'confirm-sync' }>> = ({
  state,
  plan,
  command,
  now,
}) => {
  const establish = establishStepOf(plan);
  if (establish === null || state.failover.restoredAt === null) {
    return refuse(
      'NOT_STARTED',
      'Failover has not been re-established yet, so there is no sync to confirm.',
      {
        missing: establish ? [establish] : [],
      },
    );
  }
  if (state.failover.syncConfirmedBy !== null) {
    return refuse(
      'ALREADY_DONE',
      `The first sync was already confirmed by ${mention(state.failover.syncConfirmedBy)}.`,
      {
        duplicate: true,
      },
    );
  }
  state.failover.syncConfirmedAt = stamp(now);
  state.failover.syncConfirmedBy = command.actor.userId;
  return {
    ok: true,
    next: state,
    effects: [{ type: 'sync-confirmed', by: command.actor.userId }, cancel('SYNC_CONFIRM', FAILOVER_SCOPE)],
  };
};
