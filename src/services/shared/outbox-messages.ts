import type { PlanName } from '../../engine/constants.js';
import { ANNOUNCED } from '../../engine/effect-types.js';
import type { ReminderNotice } from '../../engine/reminders.js';
import type { Effect, Refusal, ReminderRef } from '../../engine/types.js';

/** An upgrade of the same appliances whose Jump Clients are still coming back (CLIENTS_SETTLE). */
export interface SettlingUpgrade {
  upgradeId: string;
  channelId: string | null;
  /** What its appliance last reported, when it is linked. */
  jumpClients: { pending: number; total: number; at: string } | null;
}

/** A message to one person, answered through the interaction's response_url (ephemeral). */
export type Reply =
  | { kind: 'refusal'; refusal: Refusal }
  /** Words of a service's own, mrkdwn; who and where are better said through a kind of their own. */
  | { kind: 'text'; text: string }
  /** `add`: who can act now, and who already could. */
  | { kind: 'participants-added'; added: string[]; already: string[] }
  /** A `start` that started nothing: what was wrong, and which upgrades hold it (CLIENTS_SETTLE). */
  | { kind: 'start-refused'; problems: string[]; settling: SettlingUpgrade[] }
  /** A `start` typed again while the first one's channel is still being made: where it comes. */
  | { kind: 'already-starting'; upgradeId: string; plan: PlanName; ticket: string | null }
  /** A `start` of a change whose upgrade is already open (same plan, ticket, appliances): where it is. */
  | { kind: 'already-open'; upgradeId: string; plan: PlanName; ticket: string | null; askedBy: string }
  | { kind: 'started'; upgradeId: string }
  | { kind: 'status'; upgradeId: string }
  | { kind: 'list'; teamId: string }
  | { kind: 'help' }
  /** A done step's instructions and record, from its menu. */
  | { kind: 'step-instructions'; upgradeId: string; step: string }
  /** "Undo…" from a done step's menu: the confirmed Undo button, to the chooser alone. */
  | { kind: 'undo-offer'; upgradeId: string; step: string };

/** Something posted into the upgrade channel, worded by the Slack layer at delivery. */
export type Notice =
  | { kind: 'effect'; effect: Effect; actorUserId: string | null }
  | { kind: 'reminder'; notice: ReminderNotice; reminder: ReminderRef }
  /** Someone made others participants after the set-up. */
  | { kind: 'participants-added'; by: string; added: string[] }
  /** The last participant besides the lead left: the lead alone can act now. */
  | { kind: 'lead-alone'; left: string; lead: string }
  /** Words of a service's own, mrkdwn (rows queued before the kinds above still carry them). */
  | { kind: 'text'; text: string };

/** Side effects on Slack (one per OUTBOX_KINDS entry; the database knows no other kind), queued in the same transaction as the change and delivered after commit. */
export type OutboxMessage =
  | { kind: 'provision-channel'; upgradeId: string; responseUrl: string | null }
  /**
   * Bring the runbook messages up to date; `version` is the least upgrade version a render must have
   * read to cover this one (a change's new version; the next one for a change that keeps the version).
   */
  | { kind: 'render'; upgradeId: string; version: number }
  | { kind: 'notice'; upgradeId: string; notice: Notice }
  | { kind: 'respond'; upgradeId: string | null; responseUrl: string; reply: Reply }
  | { kind: 'publish-home'; teamId: string; userId: string }
  /** People made participants after the set-up, invited to the channel (those already in it are fine). */
  | { kind: 'invite'; upgradeId: string; userIds: string[] };

/** Whether an effect is worth a message in the channel (engine/effect-types.ts decides each). */
export function isAnnounced(effect: Effect): boolean {
  return ANNOUNCED[effect.type];
}
