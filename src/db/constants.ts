// Database-only state names; the engine's live in src/engine/constants.ts. Drizzle-free on purpose.

export const REMINDER_STATUSES = ['pending', 'sent', 'dropped', 'cancelled'] as const;
export type ReminderStatus = (typeof REMINDER_STATUSES)[number];

export const OUTBOX_STATUSES = ['pending', 'delivered', 'dead'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];
