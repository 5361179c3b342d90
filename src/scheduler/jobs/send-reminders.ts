import { deliverDueReminders } from '../../services/deliver-due-reminders.js';
import type { Job } from '../job.js';

/** Sends the reminders that are due; every process ticks, one takes each fire. */
export const sendReminders = {
  name: 'send-reminders',
  cron: (config) => config.reminderTick,
  distributed: true,
  run: async (ctx) => {
    await deliverDueReminders({ ctx, input: {} });
  },
} satisfies Job;
