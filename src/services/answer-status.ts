import { enqueue } from '../db/repositories/outbox.js';
import { findUpgradeByChannel } from '../db/repositories/upgrades.js';
import type { ServiceCall } from './shared/context.js';
import { outboxEntry } from './shared/record-effects.js';
import { recordRefusal } from './shared/record-refusal.js';
import { inTransaction } from './shared/transaction.js';
import { otherWorkspaceRefusal } from './shared/workspace.js';

/**
 * `status`: the upgrade of this channel, or, anywhere else, the team's active upgrades; another
 * workspace's upgrade is refused and audited.
 */
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
    const foreign = upgrade ? otherWorkspaceRefusal(upgrade.teamId, input.teamId) : null;
    if (upgrade && foreign) {
      await recordRefusal(tx, ctx.now(), {
        upgradeId: upgrade.id,
        actor: ctx.actor,
        command: input.verb,
        refusal: foreign,
        detail: { upgradeTeamId: upgrade.teamId },
        responseUrl: input.responseUrl,
      });
      return;
    }
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
