import { appendAudit } from '../../db/repositories/audit.js';
import { provisioningPending } from '../../db/repositories/outbox.js';
import {
  type RenderedSlot,
  recordPostedMessage,
  recordRendered,
} from '../../db/repositories/slack-messages.js';
import { loadRenderView } from '../../db/repositories/snapshots.js';
import type { DeliveryPorts } from '../ports/delivery.js';
import type { RenderedMessage } from '../ports/slack.js';
import type { ServiceContext } from '../shared/context.js';
import { ADOPTED_HASH, type Attempt, hashOf, postOnce, requireSnapshot, slotKey } from './common.js';
import { keepPermalink, wantsPermalink } from './permalinks.js';

const NO_LONGER_APPLIES: RenderedMessage = {
  text: 'This part of the runbook no longer applies after an option change; see the messages below.',
  blocks: [],
};

/**
 * Brings every runbook message (and the topic) up to the latest state, touching Slack only for what
 * changed; returns the upgrade version now shown. Rendering reads the newest state, so every render
 * request queued meanwhile is covered by this one. New messages are posted in order; edits of existing
 * ones go out together. While the channel is being set up it leaves the messages to the set-up.
 */
export async function renderRunbook(
  ctx: ServiceContext,
  ports: DeliveryPorts,
  upgradeId: string,
  attempt: Attempt,
): Promise<number> {
  // Read side by side: under load each read waits for a connection.
  const [view, setUpPending] = await Promise.all([
    loadRenderView(ctx.db, upgradeId),
    provisioningPending(ctx.db, upgradeId),
  ]);
  if (!view) throw new Error(`upgrade ${upgradeId} not found`);
  const { messages } = view;
  let snapshot = view.snapshot;
  if (!snapshot.channelId || setUpPending) return snapshot.version;
  const channelId = snapshot.channelId;
  const now = ctx.now();
  const posted = new Map(messages.map((m) => [m.slot, m]));
  // A permalink Slack did not give when the message was posted is asked for again, before rendering.
  const missing = [...posted.values()].filter((m) => wantsPermalink(m.slot) && !m.permalink && m.ts);
  for (const row of missing) await keepPermalink(ctx, ports, row);
  if (missing.length > 0) snapshot = await requireSnapshot(ctx.db, upgradeId);
  // Each edit says what its message shows once Slack took it; all are recorded together afterwards.
  const edits: Promise<RenderedSlot>[] = [];
  const shows = (slot: string, contentHash: string): RenderedSlot => ({
    slot,
    renderedVersion: snapshot.version,
    contentHash,
  });
  for (const slot of new Set([...ports.renderer.runbookSlots(snapshot), ...posted.keys()])) {
    const row = posted.get(slot);
    if (slot === 'topic') {
      // Slack announces every topic change in the channel, so it is set only when its text changed.
      const topic = ports.renderer.topic(snapshot);
      if (row && row.contentHash !== hashOf(topic)) {
        edits.push(ports.gateway.setTopic(channelId, topic).then(() => shows(slot, hashOf(topic))));
      }
      continue;
    }
    const content = ports.renderer.slotMessage(snapshot, slot, now) ?? NO_LONGER_APPLIES;
    const hash = hashOf(content);
    if (!row) {
      if (content === NO_LONGER_APPLIES) continue;
      const { ts, adopted } = await postOnce(ports, attempt, channelId, content, slotKey(upgradeId, slot));
      await recordPostedMessage(ctx.db, {
        upgradeId,
        slot,
        channelId,
        ts,
        renderedVersion: snapshot.version,
        contentHash: adopted ? ADOPTED_HASH : hash,
      });
      if (wantsPermalink(slot)) await keepPermalink(ctx, ports, { upgradeId, slot, channelId, ts });
      if (adopted) {
        await appendAudit(ctx.db, [
          {
            upgradeId,
            actor: ctx.actor,
            action: 'message-adopted',
            detail: { slot, ts, reason: 'posted by an earlier, unrecorded attempt' },
          },
        ]);
        // Its content is whatever that attempt rendered: bring it up to date now.
        edits.push(ports.gateway.update(channelId, ts, content).then(() => shows(slot, hash)));
      }
      continue;
    }
    if (row.contentHash !== hash) {
      edits.push(ports.gateway.update(row.channelId, row.ts, content).then(() => shows(slot, hash)));
    } else if (row.renderedVersion < snapshot.version) {
      edits.push(Promise.resolve(shows(slot, hash)));
    }
  }
  // Every edit is awaited (and those that worked are recorded) before a failure is reported.
  const settled = await Promise.allSettled(edits);
  await recordRendered(
    ctx.db,
    upgradeId,
    settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
  );
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return snapshot.version;
}
