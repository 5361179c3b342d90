import { enqueue } from '../db/repositories/outbox.js';
import { findUpgradeByChannel } from '../db/repositories/upgrades.js';
import type { ServiceCall } from './shared/context.js';
import { outboxEntry } from './shared/record-effects.js';
import { inTransaction } from './shared/transaction.js';

/** `status`: the upgrade of this channel, or, anywhere else, the team's active upgrades. */
export async function answerStatus({
  ctx,
  input,
}: ServiceCall<{
  teamId: string;
  channelId: string;
  responseUrl: string;
  verb: 'status' | 'list';
}>): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const upgrade = input.verb === 'status' ? await findUpgradeByChannel(tx, input.channelId) : undefined;
    await enqueue(tx, ctx.now(), [
      outboxEntry({
        kind: 'respond',
        upgradeId: upgrade?.id ?? null,
        responseUrl: input.responseUrl,
        reply: upgrade ? { kind: 'status', upgradeId: upgrade.id } : { kind: 'list', teamId: input.teamId },
      }),
    ]);
  });
  ctx.outboxChanged();
}
