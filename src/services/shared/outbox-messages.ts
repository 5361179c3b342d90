import type { ReminderNotice } from '../../engine/reminders.js';
import type { Effect, EffectType, Refusal, ReminderRef } from '../../engine/types.js';

/** A message to one person, answered through the interaction's response_url (ephemeral). */
export type Reply =
  | { kind: 'refusal'; refusal: Refusal }
  | { kind: 'text'; text: string }
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
  | { kind: 'reminder'; notice: ReminderNotice; reminder: ReminderRef };

/** Side effects on Slack (one per OUTBOX_KINDS entry; the database knows no other kind), queued in the same transaction as the change and delivered after commit. */
export type OutboxMessage =
  | { kind: 'provision-channel'; upgradeId: string; responseUrl: string | null }
  /** Bring the runbook messages up to date; `version` is the upgrade version that asked for it. */
  | { kind: 'render'; upgradeId: string; version: number }
  | { kind: 'notice'; upgradeId: string; notice: Notice }
  | { kind: 'respond'; upgradeId: string | null; responseUrl: string; reply: Reply }
  | { kind: 'publish-home'; teamId: string; userId: string };

/**
 * Which effects are worth a message in the channel; the rest only change what the runbook messages
 * show. Exhaustive on purpose: a new effect does not compile until someone decides.
 */
const ANNOUNCED = {
  'upgrade-started': false,
  warning: true,
  'step-claimed': false,
  'step-confirmed': false,
  'step-completed': false,
  'step-skipped': false,
  'check-confirmed': false,
  'step-undone': false,
  'problem-reported': true,
  guidance: true,
  'upgrade-blocked': true,
  'problem-resolved': true,
  'upgrade-unblocked': true,
  'option-changed': true,
  'window-set': true,
  'lead-reassigned': true,
  'failover-gap-opened': true,
  'failover-gap-closed': true,
  'failover-gap-reopened': true,
  'failover-gap-withdrawn': true,
  'sync-confirmed': true,
  'upgrade-completed': true,
  'upgrade-aborted': true,
  'reminder-scheduled': false,
  'reminder-snoozed': true,
  'reminders-cancelled': false,
  'verification-started': false,
  'step-verified': false,
  'verification-noted': false,
  'verification-overridden': true,
  'sync-observed': true,
  'jump-clients-counted': false,
} as const satisfies Record<EffectType, boolean>;

export function isAnnounced(effect: Effect): boolean {
  return ANNOUNCED[effect.type];
}
