import type { Executor } from '../client.js';
import { handledRequests } from '../schema.js';

/** True the first time a Slack delivery is seen; false for a retry of the same delivery. */
export async function claimRequest(db: Executor, key: string, upgradeId: string | null): Promise<boolean> {
  const inserted = await db
    .insert(handledRequests)
    .values({ key, upgradeId })
    .onConflictDoNothing()
    .returning({ key: handledRequests.key });
  return inserted.length > 0;
}
