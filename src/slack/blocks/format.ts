// Text helpers shared by every builder: Slack date tokens, human durations, mentions, escaping and
// limit-aware cutting. Pure: no clock, no locale from the process.
import { DateTime, Duration } from 'luxon';
import type { IsoDuration, Timestamp } from '../../engine/index.js';
import { joinWords, quoted as quotedPlain } from '../../engine/words.js';

/** mrkdwn treats `&`, `<` and `>` as control characters; anything a person typed goes through this. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// Mentions, channel links, special mentions and date tokens that engine messages may carry on purpose.
const SLACK_TOKEN =
  /<(?:@[A-Z0-9]+|#[A-Z0-9]+(?:\|[^<>]*)?|!(?:channel|here|everyone)|!date\^[^<>]*|https?:\/\/[^<>\s|]+(?:\|[^<>]*)?)>/g;

/** Escapes engine-written text but keeps the `<@U123>`-style tokens it deliberately contains. */
export function escapeKeepingTokens(text: string): string {
  let out = '';
  let from = 0;
  for (const match of text.matchAll(SLACK_TOKEN)) {
    out += escapeText(text.slice(from, match.index)) + match[0];
    from = match.index + match[0].length;
  }
  return out + escapeText(text.slice(from));
}

/**
 * Cuts text to `max` characters with an ellipsis, never leaving half a token (`<@U1`), half an
 * entity (`&am`) or half a surrogate pair at the end, which Slack would render as garbage.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return text.slice(0, Math.max(0, max));
  let cut = text.slice(0, max - 1);
  const open = cut.lastIndexOf('<');
  if (open > cut.lastIndexOf('>')) cut = cut.slice(0, open);
  const amp = cut.lastIndexOf('&');
  if (amp >= 0 && amp >= cut.length - 6 && /^&[a-z#0-9]*$/i.test(cut.slice(amp))) cut = cut.slice(0, amp);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Joins lines until `max` is reached; what does not fit is counted rather than cut mid-line. */
export function fitLines(lines: string[], max: number, more = (n: number) => `…and ${n} more`): string {
  const kept: string[] = [];
  let length = 0;
  for (const [index, line] of lines.entries()) {
    const rest = lines.length - index - 1;
    const tail = rest > 0 ? more(rest).length + 1 : 0;
    if (length + line.length + 1 + tail > max) {
      const dropped = lines.length - index;
      kept.push(more(dropped));
      return truncate(kept.join('\n'), max);
    }
    kept.push(line);
    length += line.length + 1;
  }
  return truncate(kept.join('\n'), max);
}

/** Splits lines into groups that each join to at most `max` characters (one section each). */
export function chunkLines(lines: string[], max: number): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let length = 0;
  for (const raw of lines) {
    const line = truncate(raw, max);
    if (current.length > 0 && length + 1 + line.length > max) {
      chunks.push(current.join('\n'));
      current = [];
      length = 0;
    }
    length += (current.length > 0 ? 1 : 0) + line.length;
    current.push(line);
  }
  if (current.length > 0) chunks.push(current.join('\n'));
  return chunks;
}

function toDateTime(at: Timestamp | DateTime): DateTime {
  return typeof at === 'string' ? DateTime.fromISO(at, { setZone: true }) : at;
}

/** `2026-11-28 10:00 UTC`: what clients that cannot render date tokens show. */
export function utcFallback(at: Timestamp | DateTime): string {
  const dt = toDateTime(at);
  return dt.isValid ? `${dt.toUTC().toFormat('yyyy-MM-dd HH:mm')} UTC` : escapeText(String(at));
}

/** A Slack date token: every reader sees the instant in their own time zone. */
export function slackDate(at: Timestamp | DateTime): string {
  const dt = toDateTime(at);
  if (!dt.isValid) return escapeText(String(at));
  return `<!date^${dt.toUnixInteger()}^{date_short_pretty} at {time}|${utcFallback(dt)}>`;
}

/** The wall-clock time in the team's zone, for windows that were planned in that zone. */
export function zonedTime(at: Timestamp | DateTime, zone: string): string {
  const dt = toDateTime(at).setZone(zone);
  return dt.isValid ? `${dt.toFormat('yyyy-MM-dd HH:mm')} ${escapeText(zone)}` : utcFallback(at);
}

const UNITS: readonly [string, number][] = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
];

/** `PT26H5M` → `1 day 2 hours`: the largest unit and the one below it, when not zero. */
export function humanDuration(value: IsoDuration | Duration): string {
  const parsed = typeof value === 'string' ? Duration.fromISO(value) : value;
  if (!parsed.isValid) return typeof value === 'string' ? escapeText(value) : 'an unknown time';
  let seconds = Math.floor(Math.abs(parsed.toMillis()) / 1000);
  const counts = UNITS.map(([name, size]) => {
    const n = Math.floor(seconds / size);
    seconds -= n * size;
    return { name, n };
  });
  const first = counts.findIndex((c) => c.n > 0);
  if (first < 0) return '0 seconds';
  return counts
    .slice(first, first + 2)
    .filter((c) => c.n > 0)
    .map((c) => `${c.n} ${c.name}${c.n === 1 ? '' : 's'}`)
    .join(' ');
}

/** The time from `from` to `to` in words. */
export function humanBetween(from: Timestamp | DateTime, to: Timestamp | DateTime): string {
  const a = toDateTime(from);
  const b = toDateTime(to);
  if (!a.isValid || !b.isValid) return 'an unknown time';
  return humanDuration(b.diff(a));
}

/** `<@U123>`; ids are cleaned so a malformed one cannot break out of the token. */
export function user(userId: string): string {
  return `<@${userId.replace(/[^A-Za-z0-9]/g, '')}>`;
}

export function channel(channelId: string): string {
  return `<#${channelId.replace(/[^A-Za-z0-9]/g, '')}>`;
}

export function users(userIds: string[]): string {
  return joinWords(userIds.map(user));
}

/** Step titles are quoted the way the engine quotes them in refusals, escaped for mrkdwn. */
export function quoted(title: string): string {
  return quotedPlain(escapeText(title));
}
