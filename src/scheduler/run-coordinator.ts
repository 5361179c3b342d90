import { randomUUID } from 'node:crypto';
import type { RunCoordinator } from 'node-cron';
import { claimScheduledRun } from '../services/claim-scheduled-run.js';
import { type ServiceDeps, systemActor } from '../services/shared/context.js';

/**
 * node-cron's run coordinator backed by PostgreSQL: of several bot processes ticking the same job,
 * the one that takes the fire's lease runs it. (Reminders are also claimed with SKIP LOCKED, so a
 * lost lease can never send one twice; the lease only saves the others the work.)
 */
export function postgresRunCoordinator(services: ServiceDeps, holder: string = randomUUID()): RunCoordinator {
  const ctx = { ...services, actor: systemActor('node-cron') };
  return {
    shouldRun: (key, ttlMs) => claimScheduledRun({ ctx, input: { key, holder, ttlMs } }),
  };
}
