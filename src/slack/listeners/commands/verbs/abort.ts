import { applyInUpgradeChannel } from './in-upgrade-channel.js';
import type { VerbCall } from './types.js';

/** `abort <reason>` (the engine keeps it for the lead). */
export const abort = (call: VerbCall<'abort'>) =>
  applyInUpgradeChannel(call, { type: 'abort', reason: call.command.reason });
