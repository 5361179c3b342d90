import type { Executor } from '../db/client.js';
import { claimRequest } from '../db/repositories/handled-requests.js';
import { isParticipant } from '../db/repositories/participants.js';
import { findUpgradeToChange, saveState } from '../db/repositories/upgrades.js';
import { transition } from '../engine/transition.js';
import type { Actor, Command, Effect, Refusal, UpgradeState } from '../engine/types.js';
import type { ServiceCall } from './shared/context.js';
import { ConcurrentChangeError } from './shared/errors.js';
import { recordEffects } from './shared/record-effects.js';
import { recordRefusal } from './shared/record-refusal.js';
import { inTransaction } from './shared/transaction.js';
import { otherWorkspaceRefusal } from './shared/workspace.js';

type WithoutActor<C> = C extends unknown ? Omit<C, 'actor'> : never;

/** An engine command as a person asks for it; who they are comes from the context. */
export type CommandInput =
  | WithoutActor<Exclude<Command, { type: 'reassign-lead' }>>
  | { type: 'reassign-lead'; to: string };

export interface ApplyCommandInput {
  /** The upgrade, by id (buttons) or by its channel (commands typed in the upgrade channel). */
  target: { upgradeId: string } | { channelId: string };
  command: CommandInput;
  /** Identifies the Slack delivery, so a retry of the same request changes nothing. */
  requestKey: string | null;
  /** Where to answer the person (ephemeral) when the command is refused. */
  responseUrl: string | null;
}

export type ApplyCommandOutcome =
  | { outcome: 'applied'; effects: Effect[]; state: UpgradeState }
  | { outcome: 'refused'; refusal: Refusal }
  | { outcome: 'duplicate-delivery' }
  | { outcome: 'not-found' };

/**
 * A job acts as the bot, which is a member of every upgrade channel: the engine's rules (four-eyes,
 * lead-only) still apply to it as to any one participant.
 */
export function systemEngineActor(job: string): Actor {
  return { userId: `system:${job}`, participant: true };
}

/**
 * Loads the upgrade, runs the engine and writes the new state with its audit rows, reminders and Slack
 * deliveries in one transaction. The write is conditional on the version read, so of two people
 * clicking at once exactly one changes the state; the other is re-run and sees "already done".
 */
export async function applyCommand({
  ctx,
  input,
}: ServiceCall<ApplyCommandInput>): Promise<ApplyCommandOutcome> {
  const actor = ctx.actor;
  // The claim and who is a participant, read while the upgrade's row is locked.
  const checks = (tx: Executor, upgradeId: string) =>
    Promise.all([
      input.requestKey ? claimRequest(tx, input.requestKey, upgradeId) : true,
      actor.type === 'slack' ? isParticipant(tx, upgradeId, actor.userId) : true,
      input.command.type === 'reassign-lead' ? isParticipant(tx, upgradeId, input.command.to) : false,
    ]);
  const result = await inTransaction(ctx, async (tx): Promise<ApplyCommandOutcome> => {
    const now = ctx.now();
    // A button names its upgrade: the lock and the checks go out together, one round trip instead of two.
    const byId = 'upgradeId' in input.target ? input.target.upgradeId : null;
    const [upgrade, early] = await Promise.all([
      findUpgradeToChange(tx, input.target),
      byId ? checks(tx, byId) : null,
    ]);
    if (!upgrade) return { outcome: 'not-found' };
    const foreign = actor.type === 'slack' ? otherWorkspaceRefusal(upgrade.teamId, actor.teamId) : null;
    if (foreign) {
      await recordRefusal(tx, now, {
        upgradeId: upgrade.id,
        actor,
        command: input.command.type,
        refusal: foreign,
        stepKey: 'step' in input.command ? input.command.step : null,
        detail: { upgradeTeamId: upgrade.teamId },
        responseUrl: input.responseUrl,
      });
      return { outcome: 'refused', refusal: foreign };
    }
    const [claimed, actorIsParticipant, targetIsParticipant] = early ?? (await checks(tx, upgrade.id));
    if (!claimed) return { outcome: 'duplicate-delivery' };

    const self: Actor =
      actor.type === 'slack'
        ? { userId: actor.userId, participant: actorIsParticipant }
        : systemEngineActor(actor.job);
    const command: Command =
      input.command.type === 'reassign-lead'
        ? {
            type: 'reassign-lead',
            actor: self,
            to: { userId: input.command.to, participant: targetIsParticipant },
          }
        : ({ ...input.command, actor: self } as Command);
    const result = transition(upgrade.state, command, now);

    if (!result.ok) {
      const { refusal } = result;
      await recordRefusal(tx, now, {
        upgradeId: upgrade.id,
        actor,
        command: input.command.type,
        refusal,
        stepKey: 'step' in input.command ? input.command.step : null,
        detail: { missing: refusal.missing, message: refusal.message },
        responseUrl: input.responseUrl,
        replyUpgradeId: upgrade.id,
      });
      return { outcome: 'refused', refusal };
    }

    const [saved] = await Promise.all([
      saveState(tx, upgrade.id, upgrade.version, result.next),
      recordEffects(tx, now, { id: upgrade.id, version: upgrade.version + 1 }, actor, result.effects),
    ]);
    // Rolls back what recordEffects wrote beside it.
    if (!saved) throw new ConcurrentChangeError(upgrade.id);
    return { outcome: 'applied', effects: result.effects, state: result.next };
  });
  if (result.outcome === 'applied' || result.outcome === 'refused') ctx.outboxChanged();
  return result;
}
