import { applyInUpgradeChannel } from './in-upgrade-channel.js';
import type { VerbCall } from './types.js';

/** `lead @person`: hands the lead to another member of the channel. */
export const lead = (call: VerbCall<'lead'>) =>
  applyInUpgradeChannel(call, { type: 'reassign-lead', to: call.command.userId });
