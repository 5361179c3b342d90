import { setTimeout as sleep } from 'node:timers/promises';
import { type Executor, TransactionConnectionLost } from '../../db/client.js';
import type { ServiceDeps } from './context.js';
import { ConcurrentChangeError, DatabaseUnavailableError, isConnectionError } from './errors.js';

const MAX_ATTEMPTS = 20;
/** Attempts in all when the connection is lost before COMMIT: more means the server is going away. */
const MAX_ATTEMPTS_AFTER_LOST_CONNECTION = 3;

/**
 * One transaction for a state change; retried when a concurrent writer won the version check, or when
 * its connection was lost before COMMIT (the server rolled it back). A lost connection otherwise
 * surfaces as DatabaseUnavailableError, and the rollback guarantees no partial write.
 */
export async function inTransaction<T>(
  deps: Pick<ServiceDeps, 'db'>,
  work: (tx: Executor) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let committing = false;
    try {
      return await deps.db.transaction(async (tx) => {
        const result = await work(tx as unknown as Executor);
        committing = true;
        return result;
      });
    } catch (error) {
      if (error instanceof ConcurrentChangeError && attempt < MAX_ATTEMPTS) {
        // Jitter spreads out writers that collided so the next round does not collide again.
        await sleep(Math.floor(Math.random() * 5 * attempt));
        continue;
      }
      const unsent = error instanceof TransactionConnectionLost && error.beforeCommit;
      if (unsent && attempt < MAX_ATTEMPTS_AFTER_LOST_CONNECTION) {
        // A server restarting refuses for a moment: the attempts are spread over a few tenths of a second.
        await sleep(100 * attempt);
        continue;
      }
      if (isConnectionError(error)) throw new DatabaseUnavailableError(error, committing && !unsent);
      throw error;
    }
  }
}

/** Read-only queries get the same error mapping. */
export async function query<T>(
  deps: Pick<ServiceDeps, 'db'>,
  work: (db: Executor) => Promise<T>,
): Promise<T> {
  try {
    return await work(deps.db);
  } catch (error) {
    if (isConnectionError(error)) throw new DatabaseUnavailableError(error);
    throw error;
  }
}
