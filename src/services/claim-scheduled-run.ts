import { tryAcquireLease } from '../db/repositories/cron-leases.js';
import type { ServiceCall } from './shared/context.js';
import { inTransaction } from './shared/transaction.js';

/**
 * Decides which bot process runs one scheduled fire of a job: the first to take its lease. node-cron
 * ticks on the wall clock, so the lease does too (not the service clock, which tests move).
 */
export async function claimScheduledRun({
  ctx,
  input,
}: ServiceCall<{ key: string; holder: string; ttlMs: number; at?: Date }>): Promise<boolean> {
  return inTransaction(ctx, (tx) =>
    tryAcquireLease(tx, input.key, input.holder, input.at ?? new Date(), input.ttlMs),
  );
}
