import type { Job } from '../job.js';
import { deliverOutbox } from './deliver-outbox.js';
import { sendReminders } from './send-reminders.js';
import { watchAppliances } from './watch-appliances.js';

/** Every scheduled job; a new one is a file in this folder and a line here. */
export const JOBS: readonly Job[] = [sendReminders, deliverOutbox, watchAppliances];
