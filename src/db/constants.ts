// Database-only state names; the engine's live in src/engine/constants.ts. Drizzle-free on purpose.

export const REMINDER_STATUSES = ['pending', 'sent', 'dropped', 'cancelled'] as const;
export type ReminderStatus = (typeof REMINDER_STATUSES)[number];

export const OUTBOX_STATUSES = ['pending', 'delivered', 'dead'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

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
