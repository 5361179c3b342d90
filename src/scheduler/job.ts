import type { Config } from '../config/env.js';
import type { ServiceContext } from '../services/shared/context.js';
import type { OutboxDrainer } from './outbox-drainer.js';

/** What a job may use besides its service context (built per run with the job as the actor). */
export interface JobDeps {
  config: Config;
  drainer: OutboxDrainer;
}

/**
 * A scheduled job: node-cron ticks it, the database decides what is due. Jobs stay thin: they call a
 * service verb. One file each in scheduler/jobs/, listed in scheduler/jobs/index.ts.
 */
export interface Job {
  name: string;
  /** node-cron expression (a leading seconds field is allowed), read from the configuration if it has one. */
  cron: (config: Config) => string;
  /** When true, node-cron's run coordinator lets only one process run each tick. */
  distributed: boolean;
  run(ctx: ServiceContext, deps: JobDeps): Promise<void>;
}
