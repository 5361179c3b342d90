import { provisioningPending } from '../../db/repositories/outbox.js';
import { postedMessages, recordPostedMessage, recordRendered } from '../../db/repositories/slack-messages.js';
import type { DeliveryPorts } from '../ports/delivery.js';
import type { RenderedMessage } from '../ports/slack.js';
import type { ServiceContext } from '../shared/context.js';
import { hashOf, requireSnapshot } from './common.js';
import { keepPermalink, wantsPermalink } from './permalinks.js';

const NO_LONGER_APPLIES: RenderedMessage = {
  text: 'This part of the runbook no longer applies after an option change; see the messages below.',
  blocks: [],
};

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
  let snapshot = await requireSnapshot(ctx.db, upgradeId);
  if (!snapshot.channelId || (await provisioningPending(ctx.db, upgradeId))) return snapshot.version;
  const channelId = snapshot.channelId;
  const now = ctx.now();
  const posted = new Map((await postedMessages(ctx.db, upgradeId)).map((m) => [m.slot, m]));
  // A permalink Slack did not give when the message was posted is asked for again, before rendering.
  const missing = [...posted.values()].filter((m) => wantsPermalink(m.slot) && !m.permalink && m.ts);
  for (const row of missing) await keepPermalink(ctx, ports, row);
  if (missing.length > 0) snapshot = await requireSnapshot(ctx.db, upgradeId);
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
      if (wantsPermalink(slot)) await keepPermalink(ctx, ports, { upgradeId, slot, channelId, ts });
      continue;
    }
    if (row.contentHash !== hash) await ports.gateway.update(row.channelId, row.ts, content);
    if (row.contentHash !== hash || row.renderedVersion < snapshot.version) {
      await recordRendered(ctx.db, upgradeId, slot, snapshot.version, hash);
    }
  }
  return snapshot.version;
}
