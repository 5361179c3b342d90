// Database vocabularies; the engine's state names live in src/engine/constants.ts. Drizzle-free on
// purpose: the schema's CHECK constraints, the repositories' types and the services share these lists.
import { EFFECT_TYPES } from '../engine/effect-types.js';

export const REMINDER_STATUSES = ['pending', 'sent', 'dropped', 'cancelled'] as const;
export type ReminderStatus = (typeof REMINDER_STATUSES)[number];

export const OUTBOX_STATUSES = ['pending', 'delivered', 'dead'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** What an outbox row delivers; services/shared/outbox-messages.ts gives each its payload. */
export const OUTBOX_KINDS = [
  'provision-channel',
  'render',
  'notice',
  'respond',
  'publish-home',
  'invite',
] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

/** What happened besides an engine effect (whose type is its own action). */
const SERVICE_AUDIT_ACTIONS = [
  'command-refused',
  'start-refused',
  'input-rejected',
  'participants-added',
  'participant-joined',
  'participant-left',
  'observer-joined',
  'reminder-sent',
  'reminder-dropped',
  'channel-created',
  'channel-adopted',
  'channel-name-taken',
  'message-adopted',
  'start-repeated',
  'invite-failed',
  'delivery-failed',
  'delivery-abandoned',
  'slack-call-failed',
  'listener-failed',
  'job-failed',
  'appliance-queried',
  'transaction-retried',
  'notification-failed',
] as const;

/** Every `audit_events.action`; the database refuses any other (CHECK constraint, migration 0003). */
export const AUDIT_ACTIONS = [...EFFECT_TYPES, ...SERVICE_AUDIT_ACTIONS] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What the local workspace keeps in `local_workspace_objects`. */
export const LOCAL_OBJECT_KINDS = [
  'meta',
  'user',
  'channel',
  'message',
  'ephemeral',
  'view',
  'reply',
] as const;
export type LocalObjectKind = (typeof LOCAL_OBJECT_KINDS)[number];
