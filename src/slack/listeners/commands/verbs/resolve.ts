import { applyInUpgradeChannel } from './in-upgrade-channel.js';
import type { VerbCall } from './types.js';

/** `resolve [#n] <how>`: records how a problem was resolved. */
export const resolve = (call: VerbCall<'resolve'>) =>
  applyInUpgradeChannel(call, {
    type: 'resolve-problem',
    problemId: call.command.problemId,
    resolution: call.command.resolution,
  });
