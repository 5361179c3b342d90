import { randomUUID } from 'node:crypto';
import type { RunCoordinator } from 'node-cron';
import type { Executor } from '../db/client.js';
import { tryAcquireLease } from '../db/repositories/cron-leases.js';

/**
 * node-cron's run coordinator backed by PostgreSQL: of several bot processes ticking the same job,
 * the one that inserts the fire's lease runs it. (Reminders are also claimed with SKIP LOCKED, so a
 * lost lease can never send one twice; the lease only saves the others the work.)
 */
export function postgresRunCoordinator(db: Executor, holder: string = randomUUID()): RunCoordinator {
  return {
    shouldRun: (key, ttlMs) => tryAcquireLease(db, key, holder, new Date(), ttlMs),
  };
}
