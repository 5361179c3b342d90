import { answerStatus } from '../../../../services/answer-status.js';
import { replyTo } from '../../../../services/reply-to.js';
import { applyInUpgradeChannel } from './in-upgrade-channel.js';
import type { VerbCall } from './types.js';

// The verbs that only hand their arguments to a service.

export const help = ({ ctx, payload }: VerbCall<'help'>) =>
  replyTo({ ctx, input: { responseUrl: payload.response_url, reply: { kind: 'help' }, upgradeId: null } });

export const status = ({ ctx, payload, command }: VerbCall<'status' | 'list'>) =>
  answerStatus({
    ctx,
    input: {
      teamId: payload.team_id,
      channelId: payload.channel_id,
      responseUrl: payload.response_url,
      verb: command.verb,
    },
  });

export const abort = (call: VerbCall<'abort'>) =>
  applyInUpgradeChannel(call, { type: 'abort', reason: call.command.reason });

export const setOption = (call: VerbCall<'set'>) =>
  applyInUpgradeChannel(call, { type: 'set-option', option: call.command.option, value: call.command.value });

export const lead = (call: VerbCall<'lead'>) =>
  applyInUpgradeChannel(call, { type: 'reassign-lead', to: call.command.userId });

export const resolve = (call: VerbCall<'resolve'>) =>
  applyInUpgradeChannel(call, {
    type: 'resolve-problem',
    problemId: call.command.problemId,
    resolution: call.command.resolution,
  });
