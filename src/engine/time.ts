import { DateTime, Duration } from 'luxon';
import type { IsoDuration, Timestamp, TimingSettings } from './types.js';

/** How state stores an instant: ISO-8601 in UTC, so equal instants compare equal as strings. */
export function stamp(at: DateTime): Timestamp {
  const iso = at.toUTC().toISO();
  if (iso === null) throw new RangeError(`invalid time: ${at.invalidExplanation ?? 'unknown'}`);
  return iso;
}

export function instant(timestamp: Timestamp): DateTime {
  return DateTime.fromISO(timestamp, { setZone: true });
}

export function duration(iso: IsoDuration): Duration {
  const parsed = Duration.fromISO(iso);
  if (!parsed.isValid) throw new RangeError(`invalid ISO-8601 duration: ${iso}`);
  return parsed;
}

export function isPositiveDuration(iso: string): boolean {
  const parsed = Duration.fromISO(iso);
  return parsed.isValid && parsed.toMillis() > 0;
}

export function later(from: Timestamp | DateTime, by: IsoDuration): Timestamp {
  const start = typeof from === 'string' ? instant(from) : from;
  return stamp(start.plus(duration(by)));
}

/** The elapsed time between two instants as an ISO duration (hours, minutes, seconds). */
export function elapsed(from: Timestamp, to: Timestamp | DateTime): IsoDuration {
  const end = typeof to === 'string' ? instant(to) : to;
  const iso = end.diff(instant(from), ['hours', 'minutes', 'seconds']).toISO();
  return iso ?? 'PT0S';
}

export function shorter(a: IsoDuration, b: IsoDuration): IsoDuration {
  return duration(a).toMillis() <= duration(b).toMillis() ? a : b;
}

export const DEFAULT_TIMING: TimingSettings = {
  failoverGapLimit: 'P1D',
  windowLength: 'PT2H',
  installExpected: 'PT1H',
  installAfterDownload: 'PT30M',
  syncConfirmAfter: 'PT1M',
  syncConfirmRepeat: 'PT15M',
  clientsSettleAfter: 'PT2H',
  clientsSettleRepeat: 'P1D',
  claimStaleAfter: 'PT2H',
  windowStartLeadTimes: ['P1D', 'PT15M'],
};

/** Failover-gap reminders repeat at the limit, but at least twice a day once it has passed. */
export const FAILOVER_GAP_REPEAT_CAP: IsoDuration = 'PT12H';
export const SYNC_CONFIRM_MAX_OCCURRENCES = 4;
