import { and, eq, lte, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { postedMessages, recordPostedMessage, recordRendered } from '../../db/repositories/slack-messages.js';
import { outbox, upgrades } from '../../db/schema.js';
import type { ServiceContext } from '../context.js';
import type { RenderedMessage } from '../slack-port.js';
import { type DeliveryPorts, hashOf, requireSnapshot } from './ports.js';

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

/**
 * Brings every runbook message (and the topic) up to the latest state, touching Slack only for what
 * changed; returns the upgrade version now shown. While the channel is being set up it leaves the
 * messages to the set-up, which queues a render of its own when done.
 */
export async function renderRunbook(
  ctx: ServiceContext,
  ports: DeliveryPorts,
  upgradeId: string,
): Promise<number> {
  const snapshot = await requireSnapshot(ctx.db, upgradeId);
  if (!snapshot.channelId || (await provisioningPending(ctx.db, upgradeId))) return snapshot.version;
  const channelId = snapshot.channelId;
  const now = ctx.now();
  const posted = new Map((await postedMessages(ctx.db, upgradeId)).map((m) => [m.slot, m]));
  for (const slot of new Set([...ports.renderer.runbookSlots(snapshot), ...posted.keys()])) {
    const row = posted.get(slot);
    if (slot === 'topic') {
      // Slack announces every topic change in the channel, so it is set only when its text changed.
      const topic = ports.renderer.topic(snapshot);
      if (row && row.contentHash !== hashOf(topic)) {
        await ports.gateway.setTopic(channelId, topic);
        await recordRendered(ctx.db, upgradeId, slot, snapshot.version, hashOf(topic));
      }
      continue;
    }
    const content = ports.renderer.slotMessage(snapshot, slot, now) ?? NO_LONGER_APPLIES;
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

/**
 * A render that showed version V answers every queued render up to V, but no later one. Runs in the
 * caller's transaction, after waiting for a state change in flight so its render request stays queued.
 */
export async function markRendersShown(tx: Executor, upgradeId: string, shown: number): Promise<void> {
  await tx.select({ v: upgrades.version }).from(upgrades).where(eq(upgrades.id, upgradeId)).for('update');
  await tx
    .update(outbox)
    .set({ status: 'delivered', deliveredAt: sql`now()` })
    .where(
      and(
        eq(outbox.upgradeId, upgradeId),
        eq(outbox.kind, 'render'),
        eq(outbox.status, 'pending'),
        lte(sql`(${outbox.payload}->>'version')::int`, shown),
      ),
    );
}
