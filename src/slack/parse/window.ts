import { DateTime, IANAZone } from 'luxon';
import type { MaintenanceWindow } from '../../engine/types.js';
import { parseLength } from './durations.js';

export const WINDOW_FORMAT_HELP = 'YYYY-MM-DD HH:MM, for example 2026-12-01 22:00';

export type WindowParse = { ok: true; window: MaintenanceWindow } | { ok: false; problem: string };

/**
 * A local date and time in a zone → a window. Refuses times that do not exist on that day (the hour
 * skipped when clocks go forward) instead of silently moving them.
 */
export function parseWindow(dateTime: string, zone: string, length: string): WindowParse {
  if (!IANAZone.isValidZone(zone)) {
    return {
      ok: false,
      problem: `“${zone}” is not a time zone; use a name such as Europe/Amsterdam or America/New_York.`,
    };
  }
  const normalised = dateTime.trim().replace('T', ' ').replace(/\s+/, ' ');
  const local = DateTime.fromFormat(normalised, 'yyyy-MM-dd HH:mm', { zone });
  if (!local.isValid)
    return { ok: false, problem: `“${dateTime}” is not a date and time; write ${WINDOW_FORMAT_HELP}.` };
  if (local.toFormat('yyyy-MM-dd HH:mm') !== normalised) {
    return {
      ok: false,
      problem: `${normalised} does not exist in ${zone} (the clocks skip that hour that day); pick another time.`,
    };
  }
  const iso = parseLength(length);
  if (!iso) return { ok: false, problem: `“${length}” is not a length; write it like 2h, 90m or PT2H.` };
  const startsAt = local.toISO();
  if (!startsAt)
    return { ok: false, problem: `“${dateTime}” is not a date and time; write ${WINDOW_FORMAT_HELP}.` };
  return { ok: true, window: { startsAt, zone, length: iso } };
}
