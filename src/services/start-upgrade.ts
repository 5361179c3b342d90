import { appendAudit } from '../db/repositories/audit.js';
import { claimRequest } from '../db/repositories/handled-requests.js';
import { enqueue } from '../db/repositories/outbox.js';
import { addParticipants } from '../db/repositories/participants.js';
import { findUpgradeBeingSetUp, insertUpgrade, listUpgrades } from '../db/repositories/upgrades.js';
import type { PlanName, WindowAppliance } from '../engine/constants.js';
import { startUpgrade as startInEngine } from '../engine/start-upgrade.js';
import { awaitingClientsSettle } from '../engine/state-queries.js';
import type { MaintenanceWindow, PlanOptionsInput } from '../engine/types.js';
import type { ServiceCall } from './shared/context.js';
import { outboxEntry, recordEffects } from './shared/record-effects.js';
import { inTransaction } from './shared/transaction.js';

export interface StartUpgradeInput {
  teamId: string;
  plan: PlanName;
  options: PlanOptionsInput;
  ticket: string | null;
  applianceA: string | null;
  applianceB: string | null;
  /** Users to invite besides the starter, who becomes the lead. */
  invite: string[];
  windows: Partial<Record<WindowAppliance, MaintenanceWindow>>;
  /** ISO-8601 duration overriding FAILOVER_GAP_LIMIT for this upgrade. */
  gapLimit: string | null;
  /** Identifies the Slack delivery, so a retry starts nothing twice. */
  requestKey: string | null;
  responseUrl: string | null;
}

export type StartUpgradeOutcome =
  | { outcome: 'started'; upgradeId: string }
  | { outcome: 'refused'; problems: string[]; rule: string }
  | { outcome: 'duplicate-delivery' }
  /** The same person's same start is still being set up: pointed at it, nothing new. */
  | { outcome: 'already-starting'; upgradeId: string };

function sameAppliances(a: { applianceA: string | null; applianceB: string | null }, b: typeof a): boolean {
  const names = (x: typeof a) =>
    [x.applianceA, x.applianceB].filter((n): n is string => n !== null).map((n) => n.toLowerCase());
  const left = names(a);
  const right = names(b);
  // Unnamed upgrades may well be the same site: hold them too, rather than guess.
  if (left.length === 0 || right.length === 0) return true;
  return left.some((n) => right.includes(n));
}

/** Creates the upgrade, its participants and the queued channel set-up, in one transaction. */
export async function startUpgrade({
  ctx,
  input,
}: ServiceCall<StartUpgradeInput>): Promise<StartUpgradeOutcome> {
  if (ctx.actor.type !== 'slack') throw new Error('an upgrade is started by a person');
  const lead = ctx.actor.userId;
  const now = ctx.now();
  const result = await inTransaction(ctx, async (tx): Promise<StartUpgradeOutcome> => {
    if (input.requestKey && !(await claimRequest(tx, input.requestKey, null)))
      return { outcome: 'duplicate-delivery' };

    // Typed again while the first channel is still being made: say where it comes, start nothing new.
    const first = await findUpgradeBeingSetUp(tx, {
      teamId: input.teamId,
      lead,
      plan: input.plan,
      ticket: input.ticket,
      applianceA: input.applianceA,
      applianceB: input.applianceB,
    });
    if (first) {
      const where = first.channelId
        ? `<#${first.channelId}>`
        : first.channelName
          ? `#${first.channelName}`
          : 'its own channel';
      await appendAudit(tx, [
        {
          upgradeId: first.id,
          actor: ctx.actor,
          action: 'start-repeated',
          detail: { plan: input.plan, ticket: input.ticket },
        },
      ]);
      if (input.responseUrl) {
        await enqueue(tx, now, [
          outboxEntry({
            kind: 'respond',
            upgradeId: first.id,
            responseUrl: input.responseUrl,
            reply: {
              kind: 'text',
              text: `Your \`${input.plan}\` upgrade${input.ticket ? ` for ${input.ticket}` : ''} is already being set up in ${where}; its runbook appears there in a moment. Nothing new was started.`,
            },
          }),
        ]);
      }
      return { outcome: 'already-starting', upgradeId: first.id };
    }

    const started = startInEngine(
      {
        plan: input.plan,
        options: input.options,
        lead,
        windows: input.windows,
        timing: { failoverGapLimit: input.gapLimit ?? ctx.settings.failoverGapLimit },
      },
      now,
    );
    let refusal: { problems: string[]; rule: string } | null = started.ok
      ? null
      : { problems: started.problems, rule: 'INVALID_INPUT' };
    if (!refusal) {
      // CLIENTS_SETTLE: another upgrade of the same appliances still waits for its Jump Clients.
      const settling = (await listUpgrades(tx, input.teamId, ['active', 'blocked'])).filter(
        (u) => awaitingClientsSettle(u.state) && sameAppliances(u, input),
      );
      if (settling.length > 0) {
        refusal = {
          rule: 'CLIENTS_SETTLE',
          problems: [
            `Jump Clients are still coming back after ${settling.map((u) => (u.channelId ? `<#${u.channelId}>` : u.id)).join(', ')}. Hold other upgrade work until they are all online and “Wait until all Jump Clients are back online” is done there so the clients of both upgrades do not get in each other's way.`,
          ],
        };
      }
    }
    if (!started.ok || refusal) {
      const why = refusal ?? { problems: [], rule: 'INVALID_INPUT' };
      await appendAudit(tx, [
        {
          upgradeId: null,
          actor: ctx.actor,
          action: 'start-refused',
          detail: { plan: input.plan, rule: why.rule, problems: why.problems },
        },
      ]);
      if (input.responseUrl) {
        await enqueue(tx, ctx.now(), [
          outboxEntry({
            kind: 'respond',
            upgradeId: null,
            responseUrl: input.responseUrl,
            reply: { kind: 'text', text: `Nothing was started.\n• ${why.problems.join('\n• ')}` },
          }),
        ]);
      }
      return { outcome: 'refused', ...why };
    }

    const row = await insertUpgrade(tx, {
      createdAt: now.toJSDate(),
      teamId: input.teamId,
      plan: input.plan,
      state: started.state,
      ticket: input.ticket,
      applianceA: input.applianceA,
      applianceB: input.applianceB,
    });
    await addParticipants(tx, row.id, [lead, ...input.invite]);
    await recordEffects(tx, now, { id: row.id, version: row.version }, ctx.actor, started.effects, [
      { kind: 'provision-channel', upgradeId: row.id, responseUrl: input.responseUrl },
    ]);
    await appendAudit(tx, [
      {
        upgradeId: row.id,
        actor: ctx.actor,
        action: 'participants-added',
        detail: { userIds: [...new Set([lead, ...input.invite])], ticket: input.ticket },
      },
    ]);
    return { outcome: 'started', upgradeId: row.id };
  });
  if (result.outcome !== 'duplicate-delivery') ctx.outboxChanged();
  return result;
}
