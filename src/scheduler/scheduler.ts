import cron, { type ScheduledTask } from 'node-cron';
import type { Config } from '../config/env.js';
import { type Logger, toCronLogger } from '../logging/logger.js';
import { recordFailure } from '../services/record-failure.js';
import { type ServiceDeps, systemActor } from '../services/shared/context.js';
import type { Job } from './job.js';
import { JOBS } from './jobs/index.js';
import type { OutboxDrainer } from './outbox-drainer.js';
import { postgresRunCoordinator } from './run-coordinator.js';

export interface Scheduler {
  jobs: readonly Job[];
  start(): void;
  stop(): Promise<void>;
  /** Runs one job now, as its tick would (tests drive time themselves). */
  runNow(name: string): Promise<void>;
  /** Resolves when no job run is in progress. */
  idle(): Promise<void>;
}

export interface SchedulerOptions {
  services: ServiceDeps;
  logger: Logger;
  drainer: OutboxDrainer;
  config: Config;
  enabled: boolean;
}

/** Registers every job of scheduler/jobs/ with node-cron and runs it with the job as the actor. */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const { services, logger, drainer, config } = options;
  const jobs = JOBS;
  const tasks: ScheduledTask[] = [];
  const running = new Set<Promise<void>>();
  const run = (job: Job): Promise<void> => {
    const ctx = { ...services, actor: systemActor(job.name) };
    const execution = job.run(ctx, { config, drainer }).catch(async (error: unknown) => {
      logger.warn({ err: error, job: job.name }, 'scheduled job failed');
      await recordFailure({
        ctx,
        input: {
          upgradeId: null,
          action: 'job-failed',
          error: error instanceof Error ? error.message : String(error),
        },
      }).catch(() => logger.warn({ job: job.name }, 'could not audit the failed job (database down?)'));
    });
    running.add(execution);
    void execution.finally(() => running.delete(execution));
    return execution;
  };
  const idle = async () => {
    while (running.size > 0) await Promise.allSettled([...running]);
  };
  return {
    jobs,
    start() {
      if (!options.enabled) return;
      cron.setLogger(toCronLogger(logger));
      const coordinator = postgresRunCoordinator(services);
      for (const job of jobs) {
        tasks.push(
          cron.schedule(job.cron(config), () => run(job), {
            name: job.name,
            noOverlap: true,
            ...(job.distributed ? { distributed: true, runCoordinator: coordinator } : {}),
          }),
        );
      }
      // Reminders that fell due while no bot was running go out now, once.
      for (const job of jobs) void run(job);
    },
    async stop() {
      await Promise.all(tasks.map((task) => task.destroy()));
      tasks.length = 0;
      await idle();
    },
    idle,
    async runNow(name) {
      const job = jobs.find((j) => j.name === name);
      if (!job) throw new Error(`no job ${name}`);
      await run(job);
    },
  };
}
