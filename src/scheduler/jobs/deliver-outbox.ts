import type { Job } from '../job.js';

/** Retries of Slack deliveries come due on their own; this tick picks them up in every process. */
export const deliverOutbox = {
  name: 'deliver-outbox',
  cron: () => '*/5 * * * * *',
  distributed: false,
  run: async (_ctx, { drainer }) => {
    drainer.kick();
    await drainer.idle();
  },
} satisfies Job;
