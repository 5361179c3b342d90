import { lt } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { cronLeases } from '../schema.js';

/**
 * Takes the lease on one scheduled fire; true for exactly one caller across all processes until it
 * expires. Expired leases of earlier fires are pruned on the way.
 */
export async function tryAcquireLease(
  db: Executor,
  key: string,
  holder: string,
  now: Date,
  ttlMs: number,
): Promise<boolean> {
  const expiresAt = new Date(now.getTime() + ttlMs);
  await db.delete(cronLeases).where(lt(cronLeases.expiresAt, new Date(now.getTime() - 60 * 60 * 1000)));
  const taken = await db
    .insert(cronLeases)
    .values({ key, holder, expiresAt })
    .onConflictDoUpdate({
      target: cronLeases.key,
      set: { holder, expiresAt },
      where: lt(cronLeases.expiresAt, now),
    })
    .returning({ key: cronLeases.key });
  return taken.length > 0;
}
