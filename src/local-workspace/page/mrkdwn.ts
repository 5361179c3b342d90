// Slack mrkdwn → HTML, on slack-markdown's rules (bold, italic, strike, code, quotes, links, mentions,
// dates, emoji). Two departures: bare URLs are not turned into links (Slack's entities `&lt;…&gt;`
// stay text, so a typed `<https://evil|click>` never becomes one), and entities are decoded once.
import { createRequire } from 'node:module';
import { DateTime } from 'luxon';
import { escapeHtml } from './html.js';

type Node = Record<string, unknown>;
type State = Record<string, unknown>;
type Rules = Record<string, unknown>;
interface SimpleMarkdown {
  parserFor(rules: Rules, defaultState?: State): (source: string, state?: State) => Node[];
  htmlFor(output: unknown): (nodes: Node[], state?: State) => string;
  ruleOutput(rules: Rules, property: string): unknown;
}
interface SlackMarkdown {
  rules: Rules;
}

const require = createRequire(import.meta.url);
const simpleMarkdown = require('simple-markdown') as SimpleMarkdown;
const slackMarkdown = require('slack-markdown') as SlackMarkdown;

const { url: _bareUrl, ...rules } = slackMarkdown.rules;
const parse = simpleMarkdown.parserFor(rules);
const output = simpleMarkdown.htmlFor(simpleMarkdown.ruleOutput(rules, 'html'));

export interface MrkdwnContext {
  /** User id → display name. */
  userName(id: string): string | undefined;
  /** Channel id → name. */
  channelName(id: string): string | undefined;
  /** The reader's IANA zone: `<!date^…>` tokens show in it. */
  zone: string;
  /** The (simulated) time now, for "Today", "Tomorrow" and "ago". */
  now: DateTime;
}

function ordinal(day: number): string {
  const tens = day % 100;
  if (tens >= 11 && tens <= 13) return `${day}th`;
  return `${day}${['th', 'st', 'nd', 'rd'][day % 10] ?? 'th'}`;
}

function pretty(at: DateTime, now: DateTime, otherwise: string): string {
  const days = Math.round(at.startOf('day').diff(now.startOf('day'), 'days').days);
  if (days === 0) return 'Today';
  if (days === -1) return 'Yesterday';
  if (days === 1) return 'Tomorrow';
  return otherwise;
}

/** Slack's `<!date^seconds^format|fallback>` tokens, in the reader's zone. */
export function formatSlackDate(seconds: number, format: string, ctx: MrkdwnContext): string {
  const at = DateTime.fromSeconds(seconds, { zone: ctx.zone });
  const now = ctx.now.setZone(ctx.zone);
  if (!at.isValid) return format;
  const date = `${at.toFormat('MMMM')} ${ordinal(at.day)}, ${at.year}`;
  const dateShort = at.toFormat('MMM d, yyyy');
  const dateLong = `${at.toFormat('cccc')}, ${date}`;
  const tokens: Record<string, string> = {
    date_num: at.toFormat('yyyy-MM-dd'),
    date,
    date_short: dateShort,
    date_long: dateLong,
    date_pretty: pretty(at, now, date),
    date_short_pretty: pretty(at, now, dateShort),
    date_long_pretty: pretty(at, now, dateLong),
    time: at.toFormat('HH:mm'),
    time_secs: at.toFormat('HH:mm:ss'),
    ago: at.toRelative({ base: now }) ?? date,
  };
  return format.replace(/\{([a-z_]+)\}/g, (whole, token: string) => tokens[token] ?? whole);
}

const mention = (text: string) => `<span class="mention">${escapeHtml(text)}</span>`;

/** Renders mrkdwn as Slack would show it to the reader in `ctx`. */
export function mrkdwnToHtml(text: string, ctx: MrkdwnContext): string {
  const state: State = {
    inline: true,
    inQuote: false,
    escapeHTML: true,
    cssModuleNames: {},
    noExtraSpanTags: true,
    noExtraEmojiSpanTags: true,
    hrefTarget: '_blank',
    slackCallbacks: {
      user: ({ id, name }: { id: string; name: string }) => mention(`@${ctx.userName(id) ?? (name || id)}`),
      channel: ({ id, name }: { id: string; name: string }) =>
        `<a class="channel-link" href="?c=${encodeURIComponent(id)}" data-channel="${escapeHtml(id)}">#${escapeHtml(ctx.channelName(id) ?? (name || id))}</a>`,
      usergroup: ({ id, name }: { id: string; name: string }) => mention(`@${name || id}`),
      atHere: () => mention('@here'),
      atChannel: () => mention('@channel'),
      atEveryone: () => mention('@everyone'),
      date: ({ timestamp, format, fallback }: { timestamp: string; format: string; fallback: string }) => {
        const seconds = Number(timestamp);
        const shown = Number.isFinite(seconds) ? formatSlackDate(seconds, format, ctx) : fallback;
        return `<time datetime="${escapeHtml(DateTime.fromSeconds(seconds).toISO() ?? '')}">${escapeHtml(shown)}</time>`;
      },
    },
  };
  const html = output(parse(text, state), state);
  // Slack's own entities (`&lt;`, `&gt;`, `&amp;`) arrive escaped and were escaped once more as text.
  return html.replace(/&amp;(lt|gt|amp);/g, '&$1;').replace(/<a /g, '<a rel="noopener noreferrer" ');
}
