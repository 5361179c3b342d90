import type { ReminderNotice } from '../../engine/reminders.js';
import type { Effect, Refusal, ReminderRef } from '../../engine/types.js';

/** A message to one person, answered through the interaction's response_url (ephemeral). */
export type Reply =
  | { kind: 'refusal'; refusal: Refusal }
  | { kind: 'text'; text: string }
  | { kind: 'started'; upgradeId: string }
  | { kind: 'status'; upgradeId: string }
  | { kind: 'list'; teamId: string }
  | { kind: 'help' };

/** Something posted into the upgrade channel, worded by the Slack layer at delivery. */
export type Notice =
  | { kind: 'effect'; effect: Effect; actorUserId: string | null }
  | { kind: 'reminder'; notice: ReminderNotice; reminder: ReminderRef };

/** Side effects on Slack, queued in the same transaction as the change and delivered after commit. */
export type OutboxMessage =
  | { kind: 'provision-channel'; upgradeId: string; responseUrl: string | null }
  /** Bring the runbook messages up to date; `version` is the upgrade version that asked for it. */
  | { kind: 'render'; upgradeId: string; version: number }
  | { kind: 'notice'; upgradeId: string; notice: Notice }
  | { kind: 'respond'; upgradeId: string | null; responseUrl: string; reply: Reply }
  | { kind: 'publish-home'; teamId: string; userId: string };

export type OutboxKind = OutboxMessage['kind'];

/** Effects worth a message in the channel; the rest only change what the runbook messages show. */
const ANNOUNCED: ReadonlySet<Effect['type']> = new Set([
  'warning',
  'guidance',
  'problem-reported',
  'problem-resolved',
  'upgrade-blocked',
  'upgrade-unblocked',
  'option-changed',
  'window-set',
  'lead-reassigned',
  'failover-gap-opened',
  'failover-gap-closed',
  'failover-gap-reopened',
  'failover-gap-withdrawn',
  'sync-confirmed',
  'upgrade-completed',
  'upgrade-aborted',
  'reminder-snoozed',
  'verification-overridden',
  'sync-observed',
]);

export function isAnnounced(effect: Effect): boolean {
  return ANNOUNCED.has(effect.type);
}
