import { appendAudit } from '../db/repositories/audit.js';
import { claimRequest } from '../db/repositories/handled-requests.js';
import { enqueue } from '../db/repositories/outbox.js';
import { addParticipants as insertParticipants, isParticipant } from '../db/repositories/participants.js';
import { findUpgradeToChange } from '../db/repositories/upgrades.js';
import type { Refusal } from '../engine/types.js';
import type { ServiceCall } from './shared/context.js';
import { outboxEntry } from './shared/record-effects.js';
import { recordRefusal } from './shared/record-refusal.js';
import { inTransaction } from './shared/transaction.js';
import { otherWorkspaceRefusal } from './shared/workspace.js';

export interface AddParticipantsInput {
  /** The upgrade channel the command was typed in. */
  channelId: string;
  userIds: string[];
  requestKey: string | null;
  responseUrl: string;
}

export type AddParticipantsOutcome =
  | { outcome: 'added'; upgradeId: string; channelId: string; added: string[]; already: string[] }
  | { outcome: 'refused'; refusal: Refusal }
  | { outcome: 'duplicate-delivery' }
  | { outcome: 'not-found' };

/**
 * `add @someone`: a participant makes others participants (a watcher of the channel, or anyone in
 * the workspace, invited to the channel through the outbox). Audited; only participants of the same workspace may.
 */
export async function addParticipants({
  ctx,
  input,
}: ServiceCall<AddParticipantsInput>): Promise<AddParticipantsOutcome> {
  const actor = ctx.actor;
  if (actor.type !== 'slack') throw new Error('participants are added by people');
  const result = await inTransaction(ctx, async (tx): Promise<AddParticipantsOutcome> => {
    const upgrade = await findUpgradeToChange(tx, { channelId: input.channelId });
    if (!upgrade) return { outcome: 'not-found' };
    const refuse = async (refusal: Refusal): Promise<AddParticipantsOutcome> => {
      await recordRefusal(tx, ctx.now(), {
        upgradeId: upgrade.id,
        actor,
        command: 'add',
        refusal,
        detail: { userIds: input.userIds },
        responseUrl: input.responseUrl,
      });
      return { outcome: 'refused', refusal };
    };
    const foreign = otherWorkspaceRefusal(upgrade.teamId, actor.teamId);
    if (foreign) return refuse(foreign);
    if (input.requestKey && !(await claimRequest(tx, input.requestKey, upgrade.id)))
      return { outcome: 'duplicate-delivery' };
    if (upgrade.status === 'completed' || upgrade.status === 'aborted') {
      return refuse({
        rule: 'UPGRADE_CLOSED',
        missing: [],
        duplicate: false,
        message: `This upgrade is ${upgrade.status}; nobody needs adding any more.`,
      });
    }
    const allowed =
      actor.userId === upgrade.state.lead || (await isParticipant(tx, upgrade.id, actor.userId));
    if (!allowed) {
      return refuse({
        rule: 'NOT_PARTICIPANT',
        missing: [],
        duplicate: false,
        message:
          'Only participants of this upgrade can add people. Ask a participant (or the lead) to type `/pra-upgrade add @you` here.',
      });
    }
    const added = await insertParticipants(tx, upgrade.id, input.userIds);
    const already = [...new Set(input.userIds)].filter((userId) => !added.includes(userId));
    if (added.length > 0) {
      await appendAudit(tx, [
        { upgradeId: upgrade.id, actor, action: 'participants-added', detail: { userIds: added, by: 'add' } },
      ]);
    }
    await enqueue(tx, ctx.now(), [
      outboxEntry({
        kind: 'respond',
        upgradeId: upgrade.id,
        responseUrl: input.responseUrl,
        reply: { kind: 'participants-added', added, already },
      }),
      ...(added.length > 0
        ? [
            // Through the outbox, in the channel's order and with Slack's pauses: a failed invite is retried.
            outboxEntry({ kind: 'invite', upgradeId: upgrade.id, userIds: added }),
            outboxEntry({
              kind: 'notice',
              upgradeId: upgrade.id,
              notice: { kind: 'participants-added', by: actor.userId, added },
            }),
          ]
        : []),
    ]);
    return { outcome: 'added', upgradeId: upgrade.id, channelId: input.channelId, added, already };
  });
  if (result.outcome === 'added' || result.outcome === 'refused') ctx.outboxChanged();
  return result;
}
