import type { DateTime } from 'luxon';
import { IANAZone } from 'luxon';
import { describeDuration, durationBoundProblem, WINDOW_AHEAD_LIMIT, WINDOW_LENGTH_BOUND } from './bounds.js';
import type { WindowAppliance } from './constants.js';
import { duration, instant, isPositiveDuration, later } from './time.js';
import type { MaintenanceWindow, Plan } from './types.js';

/** Why a maintenance window cannot be recorded, or null when it can. */
export function windowProblem(
  plan: Plan,
  appliance: WindowAppliance,
  window: MaintenanceWindow,
  now: DateTime,
): { reason: 'WINDOW_NOT_APPLICABLE' | 'WINDOW_IN_PAST' | 'INVALID_INPUT'; message: string } | null {
  if (!plan.windows.includes(appliance)) {
    return {
      reason: 'WINDOW_NOT_APPLICABLE',
      message: `The ${plan.name} plan has one maintenance window: use \`window a\`.`,
    };
  }
  if (!IANAZone.isValidZone(window.zone)) {
    return {
      reason: 'INVALID_INPUT',
      message: `“${window.zone}” is not a time zone; use a name like Europe/Amsterdam.`,
    };
  }
  if (!instant(window.startsAt).isValid) {
    return { reason: 'INVALID_INPUT', message: `“${window.startsAt}” is not a date and time.` };
  }
  if (!isPositiveDuration(window.length)) {
    return { reason: 'INVALID_INPUT', message: `“${window.length}” is not a length such as 2h or PT2H.` };
  }
  const length = durationBoundProblem(window.length, WINDOW_LENGTH_BOUND, 'A maintenance window');
  if (length) return { reason: 'INVALID_INPUT', message: length };
  if (instant(window.startsAt) > now.plus(duration(WINDOW_AHEAD_LIMIT))) {
    return {
      reason: 'INVALID_INPUT',
      message: `A maintenance window must start within ${describeDuration(WINDOW_AHEAD_LIMIT)} from now; plan the date again closer to it.`,
    };
  }
  if (instant(later(window.startsAt, window.length)) <= now) {
    return {
      reason: 'WINDOW_IN_PAST',
      message: 'That maintenance window has already ended; give a window that is still ahead.',
    };
  }
  return null;
}
