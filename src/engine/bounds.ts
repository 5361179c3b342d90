import { Duration, type DurationUnit } from 'luxon';
import type { IsoDuration } from './types.js';

// What the bot accepts from people and configuration: every value outside is refused with the range.

export interface DurationBound {
  min: IsoDuration;
  max: IsoDuration;
}

/** Below 15 minutes the channel is pinged every few seconds; past 30 days nobody is reminded at all. */
export const FAILOVER_GAP_LIMIT_BOUND: DurationBound = { min: 'PT15M', max: 'P30D' };
/** A maintenance window's length. */
export const WINDOW_LENGTH_BOUND: DurationBound = { min: 'PT15M', max: 'PT24H' };
/** How far ahead a maintenance window may start. */
export const WINDOW_AHEAD_LIMIT: IsoDuration = 'P1Y';

/** Characters a person may write, as the modals' own limits say. */
export const TEXT_LIMITS = {
  /** Why an upgrade is aborted or a step skipped. */
  reason: 500,
  /** What went wrong, in a problem report. */
  description: 2000,
  /** How a problem was resolved. */
  resolution: 2000,
} as const;

/** People one command may mention (invite or add). */
export const MAX_MENTIONS = 20;

const UNIT_NAMES: [DurationUnit, string][] = [
  ['years', 'year'],
  ['months', 'month'],
  ['weeks', 'week'],
  ['days', 'day'],
  ['hours', 'hour'],
  ['minutes', 'minute'],
  ['seconds', 'second'],
];

/** `PT15M` → "15 minutes", `P1DT2H` → "1 day 2 hours": how the bot names a duration to people. */
export function describeDuration(iso: IsoDuration): string {
  const parsed = Duration.fromISO(iso);
  if (!parsed.isValid) return iso;
  const parts = UNIT_NAMES.flatMap(([unit, name]) => {
    const amount = parsed.get(unit);
    return amount ? [`${amount} ${name}${amount === 1 ? '' : 's'}`] : [];
  });
  return parts.length > 0 ? parts.join(' ') : '0 seconds';
}

/** The length of a duration in milliseconds; NaN for an invalid one. */
function millisOf(iso: IsoDuration): number {
  const parsed = Duration.fromISO(iso);
  return parsed.isValid ? parsed.toMillis() : Number.NaN;
}

/** Whether an ISO-8601 duration lies within a bound, both ends included; an invalid one never does. */
export function withinBound(iso: IsoDuration, bound: DurationBound): boolean {
  const millis = millisOf(iso);
  return Number.isFinite(millis) && millis >= millisOf(bound.min) && millis <= millisOf(bound.max);
}

/** "between 15 minutes and 30 days": the allowed range in words. */
export function describeBound(bound: DurationBound): string {
  return `between ${describeDuration(bound.min)} and ${describeDuration(bound.max)}`;
}

/** Why `iso` is not allowed as `what`, naming the allowed range; null when it is allowed. */
export function durationBoundProblem(iso: IsoDuration, bound: DurationBound, what: string): string | null {
  if (withinBound(iso, bound)) return null;
  return `${what} must be ${describeBound(bound)}; “${iso}” is not.`;
}

/** The words a yes/no option accepts, in the order `help` and refusals list them. */
const BOOLEAN_WORDS: readonly (readonly [string, boolean])[] = [
  ['on', true],
  ['off', false],
  ['true', true],
  ['false', false],
  ['yes', true],
  ['no', false],
  ['1', true],
  ['0', false],
];
const BOOLEAN_MEANING = new Map(BOOLEAN_WORDS);

export const BOOLEAN_WORD_LIST = BOOLEAN_WORDS.map(([word]) => word).join(', ');

/** `yes` → true, `OFF` → false; anything else is null, never a silent false. */
export function booleanWord(text: string): boolean | null {
  return BOOLEAN_MEANING.get(text.trim().toLowerCase()) ?? null;
}
