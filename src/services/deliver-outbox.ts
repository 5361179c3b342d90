import { createHash } from 'node:crypto';
import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import type { DateTime } from 'luxon';
import type { Executor } from '../db/client.js';
import { appendAudit } from '../db/repositories/audit.js';
import {
  enqueue,
  lockDueDeliveries,
  markDead,
  markDelivered,
  markRetry,
  type OutboxRow,
} from '../db/repositories/outbox.js';
import {
  postedMessages,
  recordPinned,
  recordPostedMessage,
  recordRendered,
} from '../db/repositories/slack-messages.js';
import { loadSnapshot, loadSnapshots } from '../db/repositories/snapshots.js';
import { recordChannel } from '../db/repositories/upgrades.js';
import { outbox, upgrades } from '../db/schema.js';
import type { ReleaseLock } from '../db/upgrade-lock.js';
import type { ServiceCall, ServiceContext } from './context.js';
import type { OutboxMessage, Reply } from './outbox-messages.js';
import { outboxEntry } from './record-effects.js';
import { type RenderedMessage, type Renderer, SlackCallError, type SlackGateway } from './slack-port.js';
import type { UpgradeSnapshot } from './snapshot.js';
import { inTransaction, query } from './transaction.js';

export interface DeliveryPorts {
  gateway: SlackGateway;
  renderer: Renderer;
  lockUpgrade: (upgradeId: string) => Promise<ReleaseLock | null>;
}

export const DELIVERY = {
  /** A claimed delivery is invisible to other instances this long; a crash makes it due again after. */
  leaseSeconds: 120,
  backoffBaseSeconds: 2,
  backoffCapSeconds: 300,
  /** About four hours of retries at the cap before a delivery is given up (and audited as dead). */
  maxAttempts: 50,
  maxChannelNameAttempts: 8,
} as const;

export interface DeliveryReport {
  /** Deliveries claimed in this batch; zero means nothing was due. */
  claimed: number;
  delivered: number;
  retried: number;
  dead: number;
  deferred: number;
}

function hashOf(message: RenderedMessage | string): string {
  return createHash('sha256').update(JSON.stringify(message)).digest('hex');
}

/** Claims due deliveries with a lease, so they can be worked on outside any transaction. */
async function claim(ctx: ServiceContext, limit: number): Promise<OutboxRow[]> {
  const now = ctx.now();
  return inTransaction(ctx, async (tx) => {
    const rows = await lockDueDeliveries(tx, now.toJSDate(), limit);
    if (rows.length === 0) return rows;
    await tx
      .update(outbox)
      .set({ nextAttemptAt: now.plus({ seconds: DELIVERY.leaseSeconds }).toJSDate() })
      .where(
        inArray(
          outbox.id,
          rows.map((r) => r.id),
        ),
      );
    return rows;
  });
}

class NotReady extends Error {}

async function requireSnapshot(db: Executor, upgradeId: string): Promise<UpgradeSnapshot> {
  const snapshot = await loadSnapshot(db, upgradeId);
  if (!snapshot) throw new Error(`upgrade ${upgradeId} not found`);
  return snapshot;
}

function requireChannel(snapshot: UpgradeSnapshot): string {
  if (!snapshot.channelId) throw new NotReady('the upgrade channel is not created yet');
  return snapshot.channelId;
}

async function createChannel(
  ctx: ServiceContext,
  ports: DeliveryPorts,
  snapshot: UpgradeSnapshot,
): Promise<UpgradeSnapshot> {
  for (let attempt = 0; attempt < DELIVERY.maxChannelNameAttempts; attempt++) {
    const name = ports.renderer.channelName(snapshot, attempt);
    try {
      const channel = await ports.gateway.createChannel(name);
      await recordChannel(ctx.db, snapshot.id, channel.id, channel.name);
      await appendAudit(ctx.db, [
        {
          upgradeId: snapshot.id,
          actor: ctx.actor,
          action: 'channel-created',
          detail: { channelId: channel.id, name: channel.name },
        },
      ]);
      return { ...snapshot, channelId: channel.id, channelName: channel.name };
    } catch (error) {
      // Never reuse an existing channel: another change may live there. Try the next name instead.
      if (!(error instanceof SlackCallError) || error.code !== 'name_taken') throw error;
      await appendAudit(ctx.db, [
        { upgradeId: snapshot.id, actor: ctx.actor, action: 'channel-name-taken', detail: { name } },
      ]);
    }
  }
  throw new SlackCallError('conversations.create', 'name_taken', false);
}

/** Creates the channel, invites, sets the topic, posts and pins; every stage is recorded, so a retry resumes. */
async function provision(
  ctx: ServiceContext,
  ports: DeliveryPorts,
  message: Extract<OutboxMessage, { kind: 'provision-channel' }>,
) {
  let snapshot = await requireSnapshot(ctx.db, message.upgradeId);
  const fresh = !snapshot.channelId;
  if (fresh) snapshot = await createChannel(ctx, ports, snapshot);
  const channelId = requireChannel(snapshot);
  const now = ctx.now();
  if (fresh) {
    await ports.gateway.invite(channelId, snapshot.participants);
    await ports.gateway.setTopic(channelId, ports.renderer.topic(snapshot));
    await recordPostedMessage(ctx.db, {
      upgradeId: snapshot.id,
      slot: 'topic',
      channelId,
      ts: '',
      renderedVersion: snapshot.version,
      contentHash: hashOf(ports.renderer.topic(snapshot)),
    });
  }
  const posted = new Map((await postedMessages(ctx.db, snapshot.id)).map((m) => [m.slot, m]));
  for (const slot of ports.renderer.runbookSlots(snapshot)) {
    if (posted.has(slot)) continue;
    const content = ports.renderer.slotMessage(snapshot, slot, now);
    if (!content) continue;
    const { ts } = await ports.gateway.post(channelId, content);
    await recordPostedMessage(ctx.db, {
      upgradeId: snapshot.id,
      slot,
      channelId,
      ts,
      renderedVersion: snapshot.version,
      contentHash: hashOf(content),
    });
    posted.set(slot, {
      upgradeId: snapshot.id,
      slot,
      channelId,
      ts,
      renderedVersion: snapshot.version,
      contentHash: '',
      pinned: false,
      createdAt: new Date(),
    });
  }
  const overview = posted.get('overview');
  if (overview && !overview.pinned) {
    await ports.gateway.pin(channelId, overview.ts);
    await recordPinned(ctx.db, snapshot.id, 'overview');
  }
  if (message.responseUrl) {
    await ports.gateway.respond(
      message.responseUrl,
      ports.renderer.reply({ kind: 'started', upgradeId: snapshot.id }, { snapshot, upgrades: [] }, now),
    );
  }
  // The state may have moved on while we posted: one more render catches up (unchanged messages cost nothing).
  await enqueue(ctx.db, [outboxEntry({ kind: 'render', upgradeId: snapshot.id, version: snapshot.version })]);
}

const NO_LONGER_APPLIES: RenderedMessage = {
  text: 'This part of the runbook no longer applies after an option change; see the messages below.',
  blocks: [],
};

async function provisioningPending(db: Executor, upgradeId: string): Promise<boolean> {
  const rows = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        eq(outbox.upgradeId, upgradeId),
        eq(outbox.kind, 'provision-channel'),
        eq(outbox.status, 'pending'),
      ),
    );
  return rows.length > 0;
}

/** Brings every runbook message up to the latest state; returns the version shown. */
async function render(ctx: ServiceContext, ports: DeliveryPorts, upgradeId: string): Promise<number> {
  const snapshot = await requireSnapshot(ctx.db, upgradeId);
  if (!snapshot.channelId || (await provisioningPending(ctx.db, upgradeId))) return snapshot.version;
  const channelId = snapshot.channelId;
  const now = ctx.now();
  const posted = new Map((await postedMessages(ctx.db, upgradeId)).map((m) => [m.slot, m]));
  const slots = ports.renderer.runbookSlots(snapshot);
  for (const slot of new Set([...slots, ...posted.keys()])) {
    if (slot === 'topic') {
      const topic = ports.renderer.topic(snapshot);
      const row = posted.get(slot);
      if (row && row.contentHash !== hashOf(topic)) {
        await ports.gateway.setTopic(channelId, topic);
        await recordRendered(ctx.db, upgradeId, slot, snapshot.version, hashOf(topic));
      }
      continue;
    }
    const content = ports.renderer.slotMessage(snapshot, slot, now) ?? NO_LONGER_APPLIES;
    const row = posted.get(slot);
    const hash = hashOf(content);
    if (!row) {
      if (content === NO_LONGER_APPLIES) continue;
      const { ts } = await ports.gateway.post(channelId, content);
      await recordPostedMessage(ctx.db, {
        upgradeId,
        slot,
        channelId,
        ts,
        renderedVersion: snapshot.version,
        contentHash: hash,
      });
      continue;
    }
    if (row.contentHash !== hash) await ports.gateway.update(row.channelId, row.ts, content);
    if (row.contentHash !== hash || row.renderedVersion < snapshot.version) {
      await recordRendered(ctx.db, upgradeId, slot, snapshot.version, hash);
    }
  }
  return snapshot.version;
}

async function replyData(db: Executor, reply: Reply, upgradeId: string | null) {
  const snapshot = upgradeId ? await loadSnapshot(db, upgradeId) : null;
  if (reply.kind === 'status' || reply.kind === 'started') {
    return { snapshot: await loadSnapshot(db, reply.upgradeId), upgrades: [] };
  }
  if (reply.kind === 'list')
    return { snapshot, upgrades: await loadSnapshots(db, reply.teamId, ['active', 'blocked']) };
  return { snapshot, upgrades: [] };
}

/** Carries out one delivery. Returns the upgrade version a render showed, for marking renders done. */
async function deliverOne(
  ctx: ServiceContext,
  ports: DeliveryPorts,
  message: OutboxMessage,
): Promise<number | null> {
  const now: DateTime = ctx.now();
  switch (message.kind) {
    case 'provision-channel':
      await provision(ctx, ports, message);
      return null;
    case 'render':
      return render(ctx, ports, message.upgradeId);
    case 'notice': {
      const snapshot = await requireSnapshot(ctx.db, message.upgradeId);
      await ports.gateway.post(
        requireChannel(snapshot),
        ports.renderer.notice(snapshot, message.notice, now),
      );
      return null;
    }
    case 'respond': {
      const data = await replyData(ctx.db, message.reply, message.upgradeId);
      await ports.gateway.respond(message.responseUrl, ports.renderer.reply(message.reply, data, now));
      return null;
    }
    case 'invite': {
      const snapshot = await requireSnapshot(ctx.db, message.upgradeId);
      await ports.gateway.invite(requireChannel(snapshot), message.userIds);
      return null;
    }
    case 'publish-home': {
      const upgradesOfTeam = await loadSnapshots(ctx.db, message.teamId, ['active', 'blocked']);
      await ports.gateway.publishHome(
        message.userId,
        ports.renderer.home(message.userId, upgradesOfTeam, now),
      );
      return null;
    }
  }
}

/** An earlier render in the same batch may have shown this row's version already. */
async function alreadyShown(ctx: ServiceContext, row: OutboxRow): Promise<boolean> {
  const [current] = await query(ctx, (db) =>
    db.select({ status: outbox.status }).from(outbox).where(eq(outbox.id, row.id)),
  );
  return current?.status === 'delivered';
}

/** A render that showed version V answers every queued render up to V, but no later one. */
async function finishRender(ctx: ServiceContext, row: OutboxRow, shown: number): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    // Waits for a state change in flight on this upgrade, so its render request is not marked as shown.
    await tx
      .select({ v: upgrades.version })
      .from(upgrades)
      .where(eq(upgrades.id, row.upgradeId ?? ''))
      .for('update');
    await tx
      .update(outbox)
      .set({ status: 'delivered', deliveredAt: sql`now()` })
      .where(
        and(
          eq(outbox.upgradeId, row.upgradeId ?? ''),
          eq(outbox.kind, 'render'),
          eq(outbox.status, 'pending'),
          lte(sql`(${outbox.payload}->>'version')::int`, shown),
        ),
      );
    await markDelivered(tx, row.id);
  });
}

async function recordFailure(
  ctx: ServiceContext,
  row: OutboxRow,
  error: unknown,
): Promise<'retried' | 'dead' | 'deferred'> {
  const now = ctx.now();
  if (error instanceof NotReady) {
    await markRetry(
      ctx.db,
      row.id,
      now.plus({ seconds: DELIVERY.backoffBaseSeconds }).toJSDate(),
      error.message,
    );
    return 'deferred';
  }
  const slack = error instanceof SlackCallError ? error : null;
  const attempt = row.attempts + 1;
  const transient = slack ? slack.transient : true;
  const dead = !transient || attempt >= DELIVERY.maxAttempts;
  const backoff = Math.min(DELIVERY.backoffBaseSeconds * 2 ** (attempt - 1), DELIVERY.backoffCapSeconds);
  const next = now.plus({ seconds: slack?.retryAfterSeconds ?? backoff });
  const description = slack ? slack.code : error instanceof Error ? error.message : String(error);
  if (dead) await markDead(ctx.db, row.id, description);
  else await markRetry(ctx.db, row.id, next.toJSDate(), description);
  await appendAudit(ctx.db, [
    {
      upgradeId: row.upgradeId,
      actor: ctx.actor,
      action: 'slack-call-failed',
      detail: {
        delivery: row.kind,
        outboxId: row.id,
        method: slack?.method ?? null,
        error: description,
        attempt,
        outcome: dead ? 'given up' : 'will retry',
        nextAttemptAt: dead ? null : next.toISO(),
      },
    },
  ]);
  return dead ? 'dead' : 'retried';
}

/**
 * Delivers due Slack side effects, one at a time. Each is re-rendered from the database when sent, so
 * a retry after a crash or a Slack error shows the current state, never an old one.
 */
export async function deliverOutbox({
  ctx,
  input,
}: ServiceCall<{ limit: number; ports: DeliveryPorts }>): Promise<DeliveryReport> {
  const rows = await claim(ctx, input.limit);
  const report: DeliveryReport = { claimed: rows.length, delivered: 0, retried: 0, dead: 0, deferred: 0 };
  for (const row of rows) {
    if (row.kind === 'render' && (await alreadyShown(ctx, row))) {
      report.delivered++;
      continue;
    }
    const release = row.upgradeId ? await input.ports.lockUpgrade(row.upgradeId) : async () => {};
    if (!release) {
      // Another instance is delivering for this upgrade; come back in a moment.
      await query(ctx, (db) =>
        markRetry(db, row.id, ctx.now().plus({ seconds: 1 }).toJSDate(), 'busy elsewhere'),
      );
      report.deferred++;
      continue;
    }
    try {
      const shown = await deliverOne(ctx, input.ports, row.payload as unknown as OutboxMessage);
      if (row.kind === 'render' && shown !== null) await finishRender(ctx, row, shown);
      else await markDelivered(ctx.db, row.id);
      report.delivered++;
    } catch (error) {
      report[await recordFailure(ctx, row, error)]++;
    } finally {
      await release();
    }
  }
  return report;
}
