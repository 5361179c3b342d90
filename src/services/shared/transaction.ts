import { setTimeout as sleep } from 'node:timers/promises';
import { type Executor, endsConnection, TransactionConnectionLost } from '../../db/client.js';
import { appendAudit } from '../../db/repositories/audit.js';
import type { ServiceContext, ServiceDeps } from './context.js';
import { ConcurrentChangeError, DatabaseUnavailableError, isConnectionError } from './errors.js';

const MAX_ATTEMPTS = 20;
/** Attempts in all when the connection is lost before COMMIT: more means the server is going away. */
const MAX_ATTEMPTS_AFTER_LOST_CONNECTION = 3;

/** What ended an attempt, as audit_events keeps it. */
interface EndedBy {
  code?: string;
  severity?: string;
  message?: string;
}

/**
 * The innermost error under a lost transaction: its code and severity, and its words only when they
 * are the connection's own (a failed query's message carries its SQL parameters, never audited).
 */
export function whatEndedIt(lost: TransactionConnectionLost): EndedBy {
  let innermost: unknown = lost;
  for (let depth = 0; depth < 8; depth++) {
    const cause = (innermost as { cause?: unknown }).cause;
    if (typeof cause !== 'object' || cause === null) break;
    innermost = cause;
  }
  const { code, severity, message } = innermost as { code?: unknown; severity?: unknown; message?: unknown };
  const ended: EndedBy = {};
  if (typeof code === 'string') ended.code = code;
  if (typeof severity === 'string') ended.severity = severity;
  const connectionsOwn = endsConnection(innermost) || (typeof code === 'string' && code.startsWith('08'));
  if (connectionsOwn && typeof message === 'string') ended.message = message.slice(0, 200);
  return ended;
}

/**
 * One transaction for a state change; retried when a concurrent writer won the version check, or when
 * its connection was lost before COMMIT (the server rolled it back). A lost connection otherwise
 * surfaces as DatabaseUnavailableError, and the rollback guarantees no partial write. An attempt lost
 * that way is a failure like any other: the attempt that commits writes it into audit_events.
 */
export async function inTransaction<T>(
  deps: Pick<ServiceContext, 'db' | 'actor'>,
  work: (tx: Executor) => Promise<T>,
): Promise<T> {
  const lostAttempts: EndedBy[] = [];
  for (let attempt = 1; ; attempt++) {
    let committing = false;
    try {
      return await deps.db.transaction(async (tx) => {
        const result = await work(tx as unknown as Executor);
        if (lostAttempts.length > 0) {
          await appendAudit(tx as unknown as Executor, [
            {
              upgradeId: null,
              actor: deps.actor,
              action: 'transaction-retried',
              detail: { attempt, lostBeforeCommit: lostAttempts },
            },
          ]);
        }
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
        lostAttempts.push(whatEndedIt(error));
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
