import { IANAZone } from 'luxon';
import yargsParser from 'yargs-parser';
import { z } from 'zod';
import {
  PLAN_NAMES,
  type PlanName,
  SWITCH_METHODS,
  UPDATE_METHODS,
  WINDOW_APPLIANCES,
} from '../../engine/constants.js';
import { parseLength } from './durations.js';
import { WINDOW_FORMAT_HELP } from './window.js';

/** What `/pra-upgrade <text>` asks for, once parsed and checked. */
export type ParsedCommand =
  | { verb: 'help' }
  | { verb: 'status' }
  | { verb: 'list' }
  | { verb: 'start'; plan: PlanName; options: StartOptions; invite: string[] }
  | { verb: 'abort'; reason: string }
  | { verb: 'window'; appliance: 'a' | 'b'; dateTime: string; zone: string | null; length: string | null }
  | { verb: 'set'; option: 'method-a' | 'method-b' | 'switch' | 'base-only'; value: string }
  | { verb: 'lead'; userId: string }
  | { verb: 'resolve'; problemId: number | null; resolution: string };

export type CommandParse =
  | { ok: true; command: ParsedCommand }
  | { ok: false; problems: string[]; usage: string };

const hostname = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/, 'must be a hostname such as pra-a.example.com');

const startOptions = z
  .object({
    a: hostname.optional(),
    b: hostname.optional(),
    method: z.enum(UPDATE_METHODS).optional(),
    'method-a': z.enum(UPDATE_METHODS).optional(),
    'method-b': z.enum(UPDATE_METHODS).optional(),
    switch: z.enum(SWITCH_METHODS).optional(),
    'base-only': z.boolean().optional(),
    ticket: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/,
        'must be a change number such as CHG123 (letters, digits, - _ .)',
      )
      .optional(),
    'window-a': z.string().optional(),
    'window-b': z.string().optional(),
    tz: z
      .string()
      .refine((zone) => IANAZone.isValidZone(zone), 'must be a time zone such as Europe/Amsterdam')
      .optional(),
    'gap-limit': z
      .string()
      .refine((text) => parseLength(text) !== null, 'must be a length such as 2d, 36h or P2D')
      .optional(),
  })
  .strict();

export type StartOptions = z.infer<typeof startOptions>;

const STRING_OPTIONS = [
  'a',
  'b',
  'method',
  'method-a',
  'method-b',
  'switch',
  'ticket',
  'window-a',
  'window-b',
  'tz',
  'gap-limit',
];

export const USAGE: Record<ParsedCommand['verb'], string> = {
  help: '/pra-upgrade help',
  status: '/pra-upgrade status',
  list: '/pra-upgrade list',
  start:
    '/pra-upgrade start <single|manual|sync|async|hardware> [--a host] [--b host] [--method auto|manual] [--method-a …] [--method-b …] [--switch shared-ip|dns|nat] [--base-only] [--ticket CHG123] [--window-a "2026-12-01 22:00"] [--window-b …] [--tz Europe/Amsterdam] [--gap-limit 2d] [@people to invite]',
  abort: '/pra-upgrade abort <reason>',
  window: `/pra-upgrade window a|b <${WINDOW_FORMAT_HELP}> [time zone] [length, e.g. 2h]`,
  set: '/pra-upgrade set method-a|method-b auto|manual  ·  set switch shared-ip|dns|nat  ·  set base-only on|off',
  lead: '/pra-upgrade lead @person',
  resolve: '/pra-upgrade resolve [#problem] <how it was resolved>',
};

const MENTION = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g;

function mentionsIn(text: string): string[] {
  return [...text.matchAll(MENTION)].map((m) => m[1] ?? '').filter(Boolean);
}

/** Slack turns straight quotes into curly ones in some clients; the option parser needs straight ones. */
function straightenQuotes(text: string): string {
  return text.replace(/[“”„]/g, '"').replace(/[‘’]/g, "'");
}

function fail(verb: ParsedCommand['verb'] | null, ...problems: string[]): CommandParse {
  return { ok: false, problems, usage: verb ? USAGE[verb] : Object.values(USAGE).join('\n') };
}

function zodProblems(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys')
      return `unknown option ${issue.keys.map((k) => `--${k}`).join(', ')}`;
    const option = issue.path.join('.');
    if (issue.code === 'invalid_value' && 'values' in issue) {
      return `--${option} must be one of ${(issue.values as unknown[]).join(', ')}`;
    }
    if (issue.code === 'invalid_type')
      return `--${option} ${issue.expected === 'boolean' ? 'takes no value' : 'needs a value'}`;
    return `--${option} ${issue.message}`;
  });
}

function parseStart(rest: string): CommandParse {
  const invite = mentionsIn(rest);
  const argv = yargsParser(straightenQuotes(rest.replace(MENTION, ' ')), {
    string: STRING_OPTIONS,
    boolean: ['base-only'],
    configuration: {
      'camel-case-expansion': false,
      'dot-notation': false,
      'parse-numbers': false,
      'short-option-groups': false,
    },
  });
  const { _: positional, ...options } = argv;
  const [plan, ...extra] = positional.map(String);
  const problems: string[] = [];
  if (!plan) problems.push(`say which plan: ${PLAN_NAMES.join(', ')}`);
  else if (!PLAN_NAMES.includes(plan as PlanName))
    problems.push(`“${plan}” is not a plan; use one of ${PLAN_NAMES.join(', ')}`);
  if (extra.length > 0)
    problems.push(`unexpected words: ${extra.join(' ')} (options start with --, people are @mentions)`);
  const parsed = startOptions.safeParse(options);
  if (!parsed.success) problems.push(...zodProblems(parsed.error));
  if (problems.length > 0 || !parsed.success) return fail('start', ...problems);
  return { ok: true, command: { verb: 'start', plan: plan as PlanName, options: parsed.data, invite } };
}

function parseWindowCommand(rest: string): CommandParse {
  const words = rest.split(/\s+/).filter(Boolean);
  const [appliance, date, time, ...more] = words;
  if (!appliance || !WINDOW_APPLIANCES.includes(appliance.toLowerCase() as 'a')) {
    return fail('window', 'say which appliance the window is for: a or b');
  }
  if (!date || !time) return fail('window', `give the start as ${WINDOW_FORMAT_HELP}`);
  let zone: string | null = null;
  let length: string | null = null;
  for (const word of more) {
    if (IANAZone.isValidZone(word)) zone = word;
    else if (parseLength(word)) length = word;
    else
      return fail(
        'window',
        `“${word}” is neither a time zone (e.g. Europe/Amsterdam) nor a length (e.g. 2h)`,
      );
  }
  return {
    ok: true,
    command: {
      verb: 'window',
      appliance: appliance.toLowerCase() as 'a' | 'b',
      dateTime: `${date} ${time}`,
      zone,
      length,
    },
  };
}

const SET_OPTIONS = ['method-a', 'method-b', 'switch', 'base-only'] as const;

/** Parses the text after `/pra-upgrade`; anything malformed comes back with what was wrong and the right form. */
export function parseCommandText(text: string): CommandParse {
  const trimmed = text.trim();
  const [verbWord = '', ...restWords] = trimmed.split(/\s+/);
  const verb = verbWord.toLowerCase();
  const rest = trimmed.slice(verbWord.length).trim();
  switch (verb) {
    case '':
    case 'help':
      return { ok: true, command: { verb: 'help' } };
    case 'status':
    case 'list':
      return rest ? fail(verb, `${verb} takes nothing after it`) : { ok: true, command: { verb } };
    case 'start':
      return parseStart(rest);
    case 'abort':
      return rest.length >= 3
        ? { ok: true, command: { verb: 'abort', reason: rest } }
        : fail('abort', 'give a reason for aborting');
    case 'window':
      return parseWindowCommand(rest);
    case 'set': {
      const [option, value, ...more] = restWords;
      const known = SET_OPTIONS.find((o) => o === option?.toLowerCase());
      if (!known) return fail('set', `say which option: ${SET_OPTIONS.join(', ')}`);
      if (!value || more.length > 0) return fail('set', `give exactly one value for ${known}`);
      return { ok: true, command: { verb: 'set', option: known, value } };
    }
    case 'lead': {
      const [userId, ...others] = mentionsIn(rest);
      if (!userId || others.length > 0)
        return fail('lead', 'mention exactly one person, e.g. /pra-upgrade lead @alice');
      return { ok: true, command: { verb: 'lead', userId } };
    }
    case 'resolve': {
      // Only `#12` names a problem: "resolve 2 packages reinstalled" is a sentence, not problem 2.
      const match = /^#(\d+)\s+(.*)$/s.exec(rest);
      const resolution = (match?.[2] ?? rest).trim();
      if (resolution.length < 3) return fail('resolve', 'say how the problem was resolved');
      return {
        ok: true,
        command: { verb: 'resolve', problemId: match ? Number(match[1]) : null, resolution },
      };
    }
    default:
      return fail(null, `“${verbWord}” is not a pra-upgrade command`);
  }
}
