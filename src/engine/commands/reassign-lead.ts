import { mention, refuse } from '../refusals.js';
import type { Command } from '../types.js';
import { type CommandHandler, leadOnly } from './context.js';

/** Hands the lead to another member of the upgrade channel. */
export const reassignLead: CommandHandler<Extract<Command, { type: 'reassign-lead' }>> = ({
  state,
  command,
}) => {
  const notLead = leadOnly(state, command.actor.userId, 'hand over the lead');
  if (notLead) return notLead;
  if (command.to.userId === state.lead) {
    return refuse('ALREADY_DONE', `${mention(state.lead)} is already the lead.`, { duplicate: true });
  }
  if (!command.to.participant) {
    return refuse(
      'NOT_PARTICIPANT',
      `${mention(command.to.userId)} is not a member of the upgrade channel; invite them first.`,
    );
  }
  const from = state.lead;
  state.lead = command.to.userId;
  return {
    ok: true,
    next: state,
    effects: [{ type: 'lead-reassigned', from, to: command.to.userId, by: command.actor.userId }],
  };
};
