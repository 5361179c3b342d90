import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { PLAN_NAMES, TIME_RULES, UPGRADE_STATUSES } from '../engine/constants.js';
import type { UpgradeState } from '../engine/types.js';
import {
  AUDIT_ACTIONS,
  type AuditAction,
  LOCAL_OBJECT_KINDS,
  OUTBOX_KINDS,
  OUTBOX_STATUSES,
  type OutboxKind,
  REMINDER_STATUSES,
} from './constants.js';

export const planName = pgEnum('plan_name', PLAN_NAMES);
export const upgradeStatus = pgEnum('upgrade_status', UPGRADE_STATUSES);
export const timeRule = pgEnum('time_rule', TIME_RULES);
export const reminderStatus = pgEnum('reminder_status', REMINDER_STATUSES);
export const outboxStatus = pgEnum('outbox_status', OUTBOX_STATUSES);

/** `column IN (…)` over a vocabulary of our own (constants, never input), for a CHECK constraint. */
const oneOf = (column: string, values: readonly string[]) =>
  sql.raw(`"${column}" in (${values.map((value) => `'${value}'`).join(', ')})`);

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();

/** Who did something: a Slack user, or one of the bot's own jobs. */
export type AuditActor = { type: 'slack'; teamId: string; userId: string } | { type: 'system'; job: string };

export const upgrades = pgTable(
  'upgrades',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    teamId: text('team_id').notNull(),
    plan: planName('plan').notNull(),
    /** Mirrors state.status so active upgrades can be listed without reading every state. */
    status: upgradeStatus('status').notNull(),
    ticket: text('ticket'),
    applianceA: text('appliance_a'),
    applianceB: text('appliance_b'),
    channelId: text('channel_id'),
    channelName: text('channel_name'),
    state: jsonb('state').$type<UpgradeState>().notNull(),
    /** Optimistic concurrency: every state change bumps it, conditionally. */
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('upgrades_channel_id_key').on(t.channelId),
    index('upgrades_team_status_idx').on(t.teamId, t.status),
  ],
);

export const participants = pgTable(
  'participants',
  {
    upgradeId: uuid('upgrade_id')
      .notNull()
      .references(() => upgrades.id),
    userId: text('user_id').notNull(),
    joinedAt: timestamp('joined_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.upgradeId, t.userId] })],
);

/** Append-only: a trigger (migration 0001) refuses UPDATE, DELETE and TRUNCATE. */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    upgradeId: uuid('upgrade_id').references(() => upgrades.id),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    actor: jsonb('actor').$type<AuditActor>().notNull(),
    action: text('action').$type<AuditAction>().notNull(),
    stepKey: text('step_key'),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index('audit_events_upgrade_idx').on(t.upgradeId, t.id),
    check('audit_events_action_known', oneOf('action', AUDIT_ACTIONS)),
  ],
);

export const reminders = pgTable(
  'reminders',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    upgradeId: uuid('upgrade_id')
      .notNull()
      .references(() => upgrades.id),
    rule: timeRule('rule').notNull(),
    /** The engine's reminder key: scheduling the same key twice is a no-op. */
    key: text('key').notNull(),
    scope: text('scope'),
    /** ISO timestamp the reminder counts from, compared with the state when it falls due. */
    anchor: text('anchor').notNull(),
    occurrence: integer('occurrence').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true, mode: 'date' }).notNull(),
    status: reminderStatus('status').notNull().default('pending'),
    settledAt: timestamp('settled_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('reminders_upgrade_key_key').on(t.upgradeId, t.key),
    index('reminders_due_idx').on(t.dueAt).where(sql`${t.status} = 'pending'`),
  ],
);

export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    upgradeId: uuid('upgrade_id').references(() => upgrades.id),
    kind: text('kind').$type<OutboxKind>().notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: outboxStatus('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    lastError: text('last_error'),
    /** The process delivering it now (a `delivery_owners` id); another takes over once that one's heartbeat stops. */
    claimedBy: text('claimed_by'),
    /** How often a process took it up: after the first, an earlier attempt may have reached Slack unrecorded. */
    claims: integer('claims').notNull().default(0),
    createdAt: createdAt(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    index('outbox_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('outbox_pending_upgrade_idx').on(t.upgradeId, t.id).where(sql`${t.status} = 'pending'`),
    check('outbox_kind_known', oneOf('kind', OUTBOX_KINDS)),
  ],
);

/** Bot processes that deliver; each renews its heartbeat while alive (database clock, not the service clock). */
export const deliveryOwners = pgTable('delivery_owners', {
  id: text('id').primaryKey(),
  heartbeatAt: timestamp('heartbeat_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** One process at a time delivers an upgrade's channel messages, so they keep their order. */
export const deliveryLeases = pgTable('delivery_leases', {
  upgradeId: uuid('upgrade_id')
    .primaryKey()
    .references(() => upgrades.id),
  ownerId: text('owner_id').notNull(),
  takenAt: timestamp('taken_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** Messages the bot posted for an upgrade, so they can be updated in place. */
export const slackMessages = pgTable(
  'slack_messages',
  {
    upgradeId: uuid('upgrade_id')
      .notNull()
      .references(() => upgrades.id),
    slot: text('slot').notNull(),
    channelId: text('channel_id').notNull(),
    ts: text('ts').notNull(),
    /** The upgrade version the message shows; a slower, older render never wins. */
    renderedVersion: integer('rendered_version').notNull(),
    /** Hash of the blocks last sent: an unchanged message is not updated again. */
    contentHash: text('content_hash').notNull(),
    pinned: boolean('pinned').notNull().default(false),
    /** Slack's link to the message, fetched once after posting: the overview links ready steps to it. */
    permalink: text('permalink'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.upgradeId, t.slot] })],
);

/** Slack deliveries already handled: a retry or a double click finds its key here and changes nothing. */
export const handledRequests = pgTable('handled_requests', {
  key: text('key').primaryKey(),
  upgradeId: uuid('upgrade_id'),
  receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** node-cron run coordination: one row per scheduled fire; the instance that inserts it runs the job. */
export const cronLeases = pgTable(
  'cron_leases',
  {
    key: text('key').primaryKey(),
    holder: text('holder').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  // Expired fires are pruned by this column on every claim, so the table stays a few rows long.
  (t) => [index('cron_leases_expires_idx').on(t.expiresAt)],
);

/**
 * The local workspace (no Slack configured): its people, channels, messages, ephemerals, views and
 * clock, one JSON object per row so a restart of `npm start` shows the same workspace. Never used
 * when the bot talks to a real Slack.
 */
export const localWorkspaceObjects = pgTable(
  'local_workspace_objects',
  {
    kind: text('kind', { enum: LOCAL_OBJECT_KINDS }).notNull(),
    id: text('id').notNull(),
    data: jsonb('data').$type<unknown>().notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.kind, t.id] }),
    check('local_workspace_objects_kind_known', oneOf('kind', LOCAL_OBJECT_KINDS)),
  ],
);
