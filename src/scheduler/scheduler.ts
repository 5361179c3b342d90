import cron, { type ScheduledTask } from 'node-cron';
import type { Config } from '../config/env.js';
import type { Database } from '../db/client.js';
import { type Logger, toCronLogger } from '../logging/logger.js';
import { type ServiceDeps, systemActor } from '../services/context.js';
import type { Job } from './job.js';
import type { OutboxDrainer } from './outbox-drainer.js';

export interface Scheduler {
  jobs: Job[];
  start(): void;
  stop(): Promise<void>;
  /** Runs one job now, as its tick would (tests drive time themselves). */
  runNow(name: string): Promise<void>;
}

export interface SchedulerOptions {
  services: ServiceDeps;
  database: Database;
  logger: Logger;
  drainer: OutboxDrainer;
  config: Config;
  enabled: boolean;
}

/** Retries of Slack deliveries come due on their own; this tick picks them up. */
const OUTBOX_TICK = '*/5 * * * * *';

export function createScheduler(options: SchedulerOptions): Scheduler {
  const { services, logger, drainer } = options;
  const jobs: Job[] = [
    {
      name: 'deliver-outbox',
      cron: OUTBOX_TICK,
      distributed: false,
      run: async () => {
        drainer.kick();
        await drainer.idle();
      },
    },
  ];
  const tasks: ScheduledTask[] = [];
  const run = async (job: Job) => {
    try {
      await job.run({ ...services, actor: systemActor(job.name) });
    } catch (error) {
      logger.warn({ err: error, job: job.name }, 'scheduled job failed');
    }
  };
  return {
    jobs,
    start() {
      if (!options.enabled) return;
      cron.setLogger(toCronLogger(logger));
      for (const job of jobs) {
        tasks.push(cron.schedule(job.cron, () => run(job), { name: job.name, noOverlap: true }));
      }
    },
    async stop() {
      await Promise.all(tasks.map((task) => task.destroy()));
      tasks.length = 0;
    },
    async runNow(name) {
      const job = jobs.find((j) => j.name === name);
      if (!job) throw new Error(`no job ${name}`);
      await run(job);
    },
  };
}
