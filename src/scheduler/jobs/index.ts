import type { Job } from '../job.js';
import { sendReminders } from './send-reminders.js';
import { watchAppliances } from './watch-appliances.js';

/**
 * Every scheduled job; a new one is a file in this folder and a line here. Slack deliveries have no
 * job: the drainer is woken by commits, by other processes (NOTIFY) and by its own timer for retries.
 */
export const JOBS: readonly Job[] = [sendReminders, watchAppliances];
