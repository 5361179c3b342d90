import type { Database } from './client.js';

/** Releases a lock taken by `tryLockUpgrade`. */
export type ReleaseLock = () => Promise<void>;

/**
 * Serialises Slack deliveries for one upgrade across bot processes, so two renders of the same message
 * never race. PostgreSQL decides (a session advisory lock on a reserved connection); with the embedded
 * PGlite only one process can open the database and its dispatcher is sequential, so no lock is needed.
 */
export async function tryLockUpgrade(database: Database, upgradeId: string): Promise<ReleaseLock | null> {
  const client = database.postgres;
  if (!client) return async () => {};
  const session = await client.reserve();
  try {
    const [row] = await session<{ locked: boolean }[]>`
      select pg_try_advisory_lock(hashtext('pra-upgrade:delivery'), hashtext(${upgradeId})) as locked`;
    if (!row?.locked) {
      session.release();
      return null;
    }
  } catch (error) {
    session.release();
    throw error;
  }
  return async () => {
    try {
      await session`select pg_advisory_unlock(hashtext('pra-upgrade:delivery'), hashtext(${upgradeId}))`;
    } finally {
      session.release();
    }
  };
}
