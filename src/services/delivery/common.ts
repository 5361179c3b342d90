import { createHash } from 'node:crypto';
import type { Executor } from '../../db/client.js';
import { loadSnapshot } from '../../db/repositories/snapshots.js';
import type { DeliveryPorts } from '../ports/delivery.js';
import type { RenderedMessage, UpgradeSnapshot } from '../ports/slack.js';

export const DELIVERY = {
  /** How often a delivering process renews its heartbeat (database clock). */
  heartbeatSeconds: 1,
  /** A process whose heartbeat is this old is taken for dead: its deliveries are taken over. */
  ownerStaleSeconds: 5,
  /** Owners dead this long are deleted, so the table stays as long as the processes running. */
  ownerPruneSeconds: 3600,
  backoffBaseSeconds: 2,
  backoffCapSeconds: 300,
  /** About four hours of retries at the cap before a delivery is given up (and audited as dead). */
  maxAttempts: 50,
  maxChannelNameAttempts: 8,
  /** Direct deliveries (replies, App Home) one loop claims and sends at once, in parallel. */
  directBatch: 16,
  /** PostgreSQL connections of the direct lane's own, beside the pool the clicks and renders share. */
  replyConnections: 2,
} as const;

/**
 * One try at one delivery. `uncertain` when an earlier try may have reached Slack without being
 * recorded (a timeout, a crash between posting and recording): posts then look in the channel first.
 */
export interface Attempt {
  outboxId: number;
  uncertain: boolean;
  /** The bot's recent messages per channel, by delivery key; read once per attempt. */
  seen?: Map<string, Map<string, string>>;
}

/** The upgrade channel does not exist yet: the delivery waits for the channel set-up. */
export class NotReady extends Error {}

/** The delivery has nothing left to do (the reminder no longer applies, …): done without a Slack call. */
export class NothingToDo extends Error {}

export function hashOf(content: RenderedMessage | string): string {
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/** Recorded for a message adopted from the channel's history: its content is unknown, so the next render updates it. */
export const ADOPTED_HASH = 'adopted';

/** The key a runbook message carries in its metadata. */
export function slotKey(upgradeId: string, slot: string): string {
  return `slot:${upgradeId}:${slot}`;
}

/**
 * Posts a message that must appear once. On an uncertain attempt it first looks for the message
 * (by the key in its metadata) among the bot's recent messages in the channel and adopts it.
 */
export async function postOnce(
  ports: DeliveryPorts,
  attempt: Attempt,
  channelId: string,
  content: RenderedMessage,
  key: string,
): Promise<{ ts: string; adopted: boolean }> {
  if (attempt.uncertain) {
    attempt.seen ??= new Map();
    let seen = attempt.seen.get(channelId);
    if (!seen) {
      seen = await ports.gateway.findPosted(channelId);
      attempt.seen.set(channelId, seen);
    }
    const ts = seen.get(key);
    if (ts) return { ts, adopted: true };
  }
  const { ts } = await ports.gateway.post(channelId, content, key);
  return { ts, adopted: false };
}

export async function requireSnapshot(db: Executor, upgradeId: string): Promise<UpgradeSnapshot> {
  const snapshot = await loadSnapshot(db, upgradeId);
  if (!snapshot) throw new Error(`upgrade ${upgradeId} not found`);
  return snapshot;
}

export function requireChannel(snapshot: UpgradeSnapshot): string {
  if (!snapshot.channelId) throw new NotReady('the upgrade channel is not created yet');
  return snapshot.channelId;
}
