import {
  beatHeart,
  forgetOtherOwners,
  nextDelivery,
  pruneDeadOwners,
  retireOwner,
} from '../db/repositories/outbox.js';
import { DELIVERY } from './delivery/common.js';
import type { ServiceCall } from './shared/context.js';
import { query } from './shared/transaction.js';

/**
 * The bookkeeping of a delivering process: its heartbeat (while it beats, its claims and upgrade leases
 * are its own), its clean retirement, and, on the embedded database that only one process can open,
 * taking over at once whatever a crashed predecessor left claimed.
 */
export async function beatDeliveryHeart({
  ctx,
  input,
}: ServiceCall<{ ownerId: string; onlyProcess: boolean; first: boolean }>): Promise<void> {
  await query(ctx, async (db) => {
    if (input.first) {
      if (input.onlyProcess) await forgetOtherOwners(db, input.ownerId);
      else await pruneDeadOwners(db, DELIVERY.ownerPruneSeconds);
    }
    await beatHeart(db, input.ownerId);
  });
}

export async function retireDeliveryOwner({ ctx, input }: ServiceCall<{ ownerId: string }>): Promise<void> {
  await query(ctx, (db) => retireOwner(db, input.ownerId));
}

/**
 * Milliseconds until the next delivery that can be made falls due by the service clock (0 when
 * overdue); while only deliveries another process is making are pending, the time after which that
 * process would count as dead if it stopped now (so its work is taken over); null when none is pending.
 */
export async function timeUntilNextDelivery({
  ctx,
}: ServiceCall<Record<string, never>>): Promise<number | null> {
  const next = await query(ctx, (db) => nextDelivery(db, DELIVERY.ownerStaleSeconds));
  if (next.dueAt) return Math.max(0, next.dueAt.getTime() - ctx.now().toMillis());
  return next.pending ? DELIVERY.ownerStaleSeconds * 1000 : null;
}
