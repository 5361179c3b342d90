import { applyInUpgradeChannel } from './in-upgrade-channel.js';
import type { VerbCall } from './types.js';

/** `set <option> <value>` while the steps it changes have not started. */
export const setOption = (call: VerbCall<'set'>) =>
  applyInUpgradeChannel(call, { type: 'set-option', option: call.command.option, value: call.command.value });
