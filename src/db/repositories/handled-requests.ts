import { sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { precompiled } from '../precompiled.js';
import { handledRequests } from '../schema.js';

/** True the first time a Slack delivery is seen; false for a retry of the same delivery. */
export async function claimRequest(db: Executor, key: string, upgradeId: string | null): Promise<boolean> {
  const inserted = await requestClaimed(db, { key, upgradeId });
  return inserted.length > 0;
}

const requestClaimed = precompiled<{ key: string; upgradeId: string | null }, { key: string }[]>(
  'claim_request',
  (db) =>
    db
      .insert(handledRequests)
      .values({ key: sql`${sql.placeholder('key')}`, upgradeId: sql`${sql.placeholder('upgradeId')}` })
      .onConflictDoNothing()
      .returning({ key: handledRequests.key }),
);
