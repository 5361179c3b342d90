import { appendAudit } from '../../db/repositories/audit.js';
import { postedMessages, recordPinned, recordPostedMessage } from '../../db/repositories/slack-messages.js';
import {
  findUpgradeByChannel,
  recordChannel,
  recordIntendedChannel,
} from '../../db/repositories/upgrades.js';
import type { DeliveryPorts } from '../ports/delivery.js';
import type { UpgradeSnapshot } from '../ports/slack.js';
import { SlackCallError } from '../ports/slack.js';
import type { ServiceContext } from '../shared/context.js';
import type { OutboxMessage } from '../shared/outbox-messages.js';
import {
  ADOPTED_HASH,
  type Attempt,
  DELIVERY,
  hashOf,
  postOnce,
  requireChannel,
  requireSnapshot,
  slotKey,
} from './common.js';
import { inviteToChannel } from './invite-participants.js';
import { keepPermalink, wantsPermalink } from './permalinks.js';

/**
 * Creates the channel. Never reuses another's channel on `name_taken`: it tries the next name. The one
 * exception is the name this upgrade asked for before, when Slack made the channel but the answer was
 * lost (a timeout, a crash): a channel of that name created by the bot and owned by no upgrade is adopted.
 */
async function createChannel(
  ctx: ServiceContext,
  ports: DeliveryPorts,
  snapshot: UpgradeSnapshot,
): Promise<UpgradeSnapshot> {
  const askedBefore = snapshot.channelName;
  for (let attempt = 0; attempt < DELIVERY.maxChannelNameAttempts; attempt++) {
    const name = ports.renderer.channelName(snapshot, attempt);
    await recordIntendedChannel(ctx.db, snapshot.id, name);
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
      if (!(error instanceof SlackCallError) || error.code !== 'name_taken') throw error;
      const ours = name === askedBefore ? await ports.gateway.findOwnChannel(name) : null;
      if (ours && !(await findUpgradeByChannel(ctx.db, ours.id))) {
        await recordChannel(ctx.db, snapshot.id, ours.id, ours.name);
        await appendAudit(ctx.db, [
          {
            upgradeId: snapshot.id,
            actor: ctx.actor,
            action: 'channel-adopted',
            detail: { channelId: ours.id, name },
          },
        ]);
        return { ...snapshot, channelId: ours.id, channelName: ours.name };
      }
      await appendAudit(ctx.db, [
        { upgradeId: snapshot.id, actor: ctx.actor, action: 'channel-name-taken', detail: { name } },
      ]);
    }
  }
  throw new SlackCallError('conversations.create', 'name_taken', false);
}

/**
 * Sets up the upgrade channel in stages, each recorded as it completes, so a retry after any failure
 * resumes where it stopped: channel, invitations and topic, runbook messages, pin. The reply to the
 * starter and a catch-up render are returned as follow-up deliveries, so neither can undo the set-up.
 */
export async function provisionChannel(
  ctx: ServiceContext,
  ports: DeliveryPorts,
  message: Extract<OutboxMessage, { kind: 'provision-channel' }>,
  attempt: Attempt,
): Promise<OutboxMessage[]> {
  let snapshot = await requireSnapshot(ctx.db, message.upgradeId);
  if (!snapshot.channelId) snapshot = await createChannel(ctx, ports, snapshot);
  const channelId = requireChannel(snapshot);
  const now = ctx.now();
  const posted = new Map((await postedMessages(ctx.db, snapshot.id)).map((m) => [m.slot, m]));

  if (!posted.has('topic')) {
    await inviteToChannel(ctx, ports, snapshot.id, channelId, snapshot.participants);
    const topic = ports.renderer.topic(snapshot);
    await ports.gateway.setTopic(channelId, topic);
    await recordPostedMessage(ctx.db, {
      upgradeId: snapshot.id,
      slot: 'topic',
      channelId,
      ts: '',
      renderedVersion: snapshot.version,
      contentHash: hashOf(topic),
    });
  }
  for (const slot of ports.renderer.runbookSlots(snapshot)) {
    if (posted.has(slot)) continue;
    const content = ports.renderer.slotMessage(snapshot, slot, now);
    if (!content) continue;
    const { ts, adopted } = await postOnce(ports, attempt, channelId, content, slotKey(snapshot.id, slot));
    await recordPostedMessage(ctx.db, {
      upgradeId: snapshot.id,
      slot,
      channelId,
      ts,
      renderedVersion: snapshot.version,
      contentHash: adopted ? ADOPTED_HASH : hashOf(content),
    });
    if (adopted) {
      await appendAudit(ctx.db, [
        {
          upgradeId: snapshot.id,
          actor: ctx.actor,
          action: 'message-adopted',
          detail: { slot, ts, reason: 'posted by an earlier, unrecorded attempt' },
        },
      ]);
    }
    if (slot === 'overview') {
      await ports.gateway.pin(channelId, ts);
      await recordPinned(ctx.db, snapshot.id, slot);
    }
    if (wantsPermalink(slot))
      await keepPermalink(ctx, ports, { upgradeId: snapshot.id, slot, channelId, ts });
  }
  const overview = posted.get('overview');
  if (overview && !overview.pinned) {
    await ports.gateway.pin(channelId, overview.ts);
    await recordPinned(ctx.db, snapshot.id, 'overview');
  }
  return [
    // The state may have moved on while we posted: one more render catches up (unchanged messages cost nothing).
    { kind: 'render', upgradeId: snapshot.id, version: snapshot.version },
    ...(message.responseUrl
      ? [
          {
            kind: 'respond' as const,
            upgradeId: snapshot.id,
            responseUrl: message.responseUrl,
            reply: { kind: 'started' as const, upgradeId: snapshot.id },
          },
        ]
      : []),
  ];
}
