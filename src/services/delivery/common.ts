import { createHash } from 'node:crypto';
import type { Executor } from '../../db/client.js';
import { loadSnapshot } from '../../db/repositories/snapshots.js';
import type { RenderedMessage, UpgradeSnapshot } from '../ports/slack.js';

export const DELIVERY = {
  /** A claimed delivery is invisible to other instances this long; a crash makes it due again after. */
  leaseSeconds: 300,
  backoffBaseSeconds: 2,
  backoffCapSeconds: 300,
  /** About four hours of retries at the cap before a delivery is given up (and audited as dead). */
  maxAttempts: 50,
  maxChannelNameAttempts: 8,
} as const;

/** The upgrade channel does not exist yet: the delivery waits for the channel set-up. */
export class NotReady extends Error {}

/** The delivery has nothing left to do (the reminder no longer applies, …): done without a Slack call. */
export class NothingToDo extends Error {}

export function hashOf(content: RenderedMessage | string): string {
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
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
