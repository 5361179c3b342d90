import { Duration } from 'luxon';

const UNITS: Record<string, 'minutes' | 'hours' | 'days' | 'weeks'> = {
  m: 'minutes',
  min: 'minutes',
  mins: 'minutes',
  minutes: 'minutes',
  h: 'hours',
  hr: 'hours',
  hrs: 'hours',
  hour: 'hours',
  hours: 'hours',
  d: 'days',
  day: 'days',
  days: 'days',
  w: 'weeks',
  week: 'weeks',
  weeks: 'weeks',
};

/** `2h`, `90m`, `3d` or ISO-8601 (`PT2H`, `P3D`) → an ISO duration, or null when it is neither or not positive. */
export function parseLength(text: string): string | null {
  const trimmed = text.trim();
  const short = /^(\d{1,4})\s*([a-z]+)$/i.exec(trimmed);
  const unit = short?.[2] ? UNITS[short[2].toLowerCase()] : undefined;
  const duration =
    short && unit
      ? Duration.fromObject({ [unit]: Number(short[1]) })
      : Duration.fromISO(trimmed.toUpperCase());
  if (!duration.isValid || duration.toMillis() <= 0) return null;
  return duration.toISO();
}
