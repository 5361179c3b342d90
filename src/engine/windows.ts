import type { DateTime } from 'luxon';
import { IANAZone } from 'luxon';
import type { WindowAppliance } from './constants.js';
import { instant, isPositiveDuration, later } from './time.js';
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
  if (instant(later(window.startsAt, window.length)) <= now) {
    return {
      reason: 'WINDOW_IN_PAST',
      message: 'That maintenance window has already ended; give a window that is still ahead.',
    };
  }
  return null;
}
