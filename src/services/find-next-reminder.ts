import { DateTime } from 'luxon';
import { nextPendingDue } from '../db/repositories/reminders.js';
import type { ServiceCall } from './shared/context.js';
import { query } from './shared/transaction.js';

/** When the next pending reminder of any upgrade falls due, or null when none is pending. */
export async function findNextReminder({
  ctx,
}: ServiceCall<Record<string, never>>): Promise<DateTime | null> {
  const due = await query(ctx, (db) => nextPendingDue(db));
  return due ? DateTime.fromJSDate(due, { zone: 'utc' }) : null;
}
