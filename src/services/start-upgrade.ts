import { appendAudit } from '../db/repositories/audit.js';
import { claimRequest } from '../db/repositories/handled-requests.js';
import { enqueue } from '../db/repositories/outbox.js';
import { addParticipants } from '../db/repositories/participants.js';
import { findOpenUpgradeOfChange, insertUpgrade, listUpgrades } from '../db/repositories/upgrades.js';
import { type Appliance, OPEN_STATUSES, type PlanName, type WindowAppliance } from '../engine/constants.js';
import { startUpgrade as startInEngine } from '../engine/start-upgrade.js';
import { awaitingClientsSettle } from '../engine/state-queries.js';
import type { MaintenanceWindow, PlanOptionsInput, Readings, UpgradeState } from '../engine/types.js';
import type { AppliancePort } from './ports/appliances.js';
import { gatherReadings, queriedAudit } from './shared/appliance-readings.js';
import type { ServiceCall } from './shared/context.js';
import type { Reply, SettlingUpgrade } from './shared/outbox-messages.js';
import { outboxEntry, recordEffects } from './shared/record-effects.js';
import { inTransaction } from './shared/transaction.js';

export interface StartUpgradeInput {
  teamId: string;
  plan: PlanName;
  options: PlanOptionsInput;
  ticket: string | null;
  applianceA: string | null;
  applianceB: string | null;
  /** Hardware plan: the current and the new appliance (`--old`, `--new`). */
  applianceOld?: string | null;
  applianceNew?: string | null;
  /** `--to`: the version the update must reach, checked with linked appliances. */
  targetVersion?: string | null;
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

/** A settling upgrade as the person is told of it: where it is, and what its appliance last reported. */
function settlingOf(upgrade: { id: string; channelId: string | null; state: UpgradeState }): SettlingUpgrade {
  const counted = upgrade.state.linked?.jumpClients;
  return {
    upgradeId: upgrade.id,
    channelId: upgrade.channelId,
    jumpClients: counted ? { pending: counted.pending, total: counted.total, at: counted.at } : null,
  };
}

/** The appliances of the appliances file this start names, by their role in the plan. */
function linkedNames(
  port: AppliancePort | undefined,
  input: StartUpgradeInput,
): Partial<Record<Appliance, string>> {
  if (!port) return {};
  const named: [Appliance, string | null | undefined][] =
    input.plan === 'hardware'
      ? [
          ['old', input.applianceOld],
          ['new', input.applianceNew],
        ]
      : input.plan === 'sync' || input.plan === 'async'
        ? [
            ['a', input.applianceA],
            ['b', input.applianceB],
          ]
        : [['a', input.applianceA]];
  const names: Partial<Record<Appliance, string>> = {};
  for (const [appliance, name] of named) {
    const canonical = name ? port.canonicalName(name) : null;
    if (canonical) names[appliance] = canonical;
  }
  return names;
}

/**
 * Whether a start's ticket and appliances tell its change from another. A hardware start's `--old` and
 * `--new` are not kept with the upgrade, so two swaps under one ticket could not be told apart.
 */
function identifiesChange(input: StartUpgradeInput): boolean {
  if (input.plan === 'hardware') return false;
  return input.ticket !== null || input.applianceA !== null || input.applianceB !== null;
}

/** Creates the upgrade, its participants and the queued channel set-up, in one transaction. */
export async function startUpgrade({
  ctx,
  input,
}: ServiceCall<StartUpgradeInput>): Promise<StartUpgradeOutcome> {
  if (ctx.actor.type !== 'slack') throw new Error('an upgrade is started by a person');
  const lead = ctx.actor.userId;
  // The appliances are asked before the transaction: their answer time never holds a database lock.
  const names = linkedNames(ctx.appliances, input);
  const port = ctx.appliances;
  const gathered =
    port && Object.keys(names).length > 0
      ? await gatherReadings(
          port,
          (Object.entries(names) as [Appliance, string][]).map(([appliance, name]) => ({
            appliance,
            name,
            what: ['health'],
          })),
          ctx.now,
        )
      : null;
  const linked: { names: typeof names; targetVersion: string | null; readings: Readings } | undefined =
    gathered ? { names, targetVersion: input.targetVersion ?? null, readings: gathered.readings } : undefined;
  const now = ctx.now();
  const result = await inTransaction(ctx, async (tx): Promise<StartUpgradeOutcome> => {
    // The appliances were asked either way, so their calls are audited even for a Slack retry.
    const [claimed] = await Promise.all([
      input.requestKey ? claimRequest(tx, input.requestKey, null) : true,
      gathered ? appendAudit(tx, [queriedAudit(null, ctx.actor, 'start', null, gathered)]) : undefined,
    ]);
    if (!claimed) return { outcome: 'duplicate-delivery' };
    // Whatever a start ends in is said to whoever typed it (when Slack gave a response_url) through the outbox.
    const answer = (upgradeId: string | null, reply: Reply) =>
      input.responseUrl
        ? enqueue(tx, now, [
            outboxEntry({ kind: 'respond', upgradeId, responseUrl: input.responseUrl, reply }),
          ])
        : undefined;

    // The same change started again: while its channel is being made the same person is told where it
    // comes; once open, anyone is pointed at it. Either way nothing new is started.
    const open = await findOpenUpgradeOfChange(tx, {
      teamId: input.teamId,
      lead,
      plan: input.plan,
      ticket: input.ticket,
      applianceA: input.applianceA,
      applianceB: input.applianceB,
      statuses: OPEN_STATUSES,
      identifies: identifiesChange(input),
    });
    if (open?.beingSetUp && open.row.state.lead === lead) {
      const first = open.row;
      await Promise.all([
        appendAudit(tx, [
          {
            upgradeId: first.id,
            actor: ctx.actor,
            action: 'start-repeated',
            detail: { plan: input.plan, ticket: input.ticket },
          },
        ]),
        answer(first.id, {
          kind: 'already-starting',
          upgradeId: first.id,
          plan: input.plan,
          ticket: input.ticket,
        }),
      ]);
      return { outcome: 'already-starting', upgradeId: first.id };
    }
    if (open) {
      const rule = 'UPGRADE_OPEN';
      const problems = [
        `upgrade ${open.row.id} of the same change (plan ${input.plan}, the same ticket and appliances) is still open.`,
      ];
      await Promise.all([
        appendAudit(tx, [
          {
            upgradeId: null,
            actor: ctx.actor,
            action: 'start-refused',
            detail: { plan: input.plan, ticket: input.ticket, rule, problems, open: open.row.id },
          },
        ]),
        answer(open.row.id, {
          kind: 'already-open',
          upgradeId: open.row.id,
          plan: input.plan,
          ticket: input.ticket,
          askedBy: lead,
        }),
      ]);
      return { outcome: 'refused', rule, problems };
    }

    const started = startInEngine(
      {
        plan: input.plan,
        options: input.options,
        lead,
        windows: input.windows,
        timing: { failoverGapLimit: input.gapLimit ?? ctx.settings.failoverGapLimit },
        ...(linked ? { linked } : {}),
      },
      now,
    );
    let settling: SettlingUpgrade[] = [];
    let refusal: { problems: string[]; rule: string } | null = started.ok
      ? null
      : { problems: started.problems, rule: linked ? 'APPLIANCE_STATE' : 'INVALID_INPUT' };
    if (!refusal && input.targetVersion && !linked) {
      refusal = {
        rule: 'INVALID_INPUT',
        problems: [
          `--to ${input.targetVersion} is checked against the appliances, but no appliance named here is in the appliances file (PRA_APPLIANCES_FILE). Name linked appliances with --a/--b (--old/--new for hardware), or leave out --to.`,
        ],
      };
    }
    if (!refusal) {
      // CLIENTS_SETTLE: another upgrade of the same appliances still waits for its Jump Clients. Only
      // those are read: a team's other open upgrades would make every start slower than the last.
      const appliances = [input.applianceA, input.applianceB].filter((n): n is string => n !== null);
      settling = (await listUpgrades(tx, { teamId: input.teamId, statuses: OPEN_STATUSES, appliances }))
        .filter((u) => awaitingClientsSettle(u.state))
        .map(settlingOf);
      if (settling.length > 0) {
        // The person is told by the Slack layer (with links to those channels); the audit keeps the ids.
        refusal = {
          rule: 'CLIENTS_SETTLE',
          problems: [
            `Jump Clients are still coming back after upgrade ${settling.map((u) => u.upgradeId).join(', ')}.`,
          ],
        };
      }
    }
    if (!started.ok || refusal) {
      const why = refusal ?? { problems: [], rule: 'INVALID_INPUT' };
      await Promise.all([
        appendAudit(tx, [
          {
            upgradeId: null,
            actor: ctx.actor,
            action: 'start-refused',
            detail: {
              plan: input.plan,
              rule: why.rule,
              problems: why.problems,
              ...(settling.length > 0 ? { settling } : {}),
            },
          },
        ]),
        answer(null, {
          kind: 'start-refused',
          problems: why.rule === 'CLIENTS_SETTLE' ? [] : why.problems,
          settling,
        }),
      ]);
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
