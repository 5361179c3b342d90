import type { ServiceContext } from '../services/shared/context.js';

/** A scheduled job: node-cron ticks it, the database decides what is due. Jobs stay thin. */
export interface Job {
  name: string;
  /** node-cron expression; a leading seconds field is allowed. */
  cron: string;
  /** When true, node-cron's run coordinator lets only one process run each tick. */
  distributed: boolean;
  run(ctx: ServiceContext): Promise<void>;
}
