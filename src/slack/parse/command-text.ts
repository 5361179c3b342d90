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
    old: hostname.optional(),
    new: hostname.optional(),
    to: z
      .string()
      .regex(/^\d+(\.\d+){1,3}$/, 'must be a version such as 24.1.2')
      .optional(),
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
  'old',
  'new',
  'to',
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
    '/pra-upgrade start <single|manual|sync|async|hardware> [--a host] [--b host] [--old name] [--new name] [--to 24.1.2] [--method auto|manual] [--method-a …] [--method-b …] [--switch shared-ip|dns|nat] [--base-only] [--ticket CHG123] [--window-a "2026-12-01 22:00"] [--window-b …] [--tz Europe/Amsterdam] [--gap-limit 2d] [@people to invite]',
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

const SET_OPTIONS = ['method-a', 'method-b', 'switch', 'base-only'] as const;

const zone = z.string().refine((word) => IANAZone.isValidZone(word));
const length = z.string().refine((word) => parseLength(word) !== null);

/** Each verb's arguments, as words after the verb; every one is checked by a schema. */
const VERB_ARGUMENTS = {
  none: z.tuple([], { error: 'takes nothing after it' }),
  abort: z.string().trim().min(3, 'give a reason for aborting'),
  set: z.tuple(
    [
      z.enum(SET_OPTIONS, { error: `say which option: ${SET_OPTIONS.join(', ')}` }),
      z.string({ error: 'give exactly one value for the option' }),
    ],
    { error: 'give exactly one value for the option' },
  ),
  lead: z.array(z.string()).length(1, 'mention exactly one person, e.g. /pra-upgrade lead @alice'),
  window: z
    .tuple(
      [
        z.enum(WINDOW_APPLIANCES, { error: 'say which appliance the window is for: a or b' }),
        z.string({ error: `give the start as ${WINDOW_FORMAT_HELP}` }),
        z.string({ error: `give the start as ${WINDOW_FORMAT_HELP}` }),
      ],
      { error: `give the start as ${WINDOW_FORMAT_HELP}` },
    )
    .rest(
      z.union([zone, length], {
        error: (issue) =>
          `“${String(issue.input)}” is neither a time zone (e.g. Europe/Amsterdam) nor a length (e.g. 2h)`,
      }),
    ),
  resolve: z.object({
    problemId: z.coerce.number().int().positive().nullable(),
    resolution: z.string().trim().min(3, 'say how the problem was resolved'),
  }),
} as const;

function problemsOf(error: z.ZodError): string[] {
  return [...new Set(error.issues.map((issue) => issue.message))];
}

export function parseCommandText(text: string): CommandParse {
  const trimmed = text.trim();
  const [verbWord = '', ...words] = trimmed.split(/\s+/);
  const verb = verbWord.toLowerCase();
  const rest = trimmed.slice(verbWord.length).trim();
  switch (verb) {
    case '':
    case 'help':
      return { ok: true, command: { verb: 'help' } };
    case 'status':
    case 'list': {
      const parsed = VERB_ARGUMENTS.none.safeParse(words);
      return parsed.success ? { ok: true, command: { verb } } : fail(verb, `${verb} takes nothing after it`);
    }
    case 'start':
      return parseStart(rest);
    case 'abort': {
      const parsed = VERB_ARGUMENTS.abort.safeParse(rest);
      return parsed.success
        ? { ok: true, command: { verb: 'abort', reason: parsed.data } }
        : fail('abort', ...problemsOf(parsed.error));
    }
    case 'window': {
      const parsed = VERB_ARGUMENTS.window.safeParse(words.map((w, i) => (i === 0 ? w.toLowerCase() : w)));
      if (!parsed.success) return fail('window', ...problemsOf(parsed.error));
      const [appliance, date, time, ...more] = parsed.data;
      const zoneWord = more.find((word) => IANAZone.isValidZone(word)) ?? null;
      const lengthWord = more.find((word) => !IANAZone.isValidZone(word)) ?? null;
      return {
        ok: true,
        command: {
          verb: 'window',
          appliance,
          dateTime: `${date} ${time}`,
          zone: zoneWord,
          length: lengthWord,
        },
      };
    }
    case 'set': {
      const parsed = VERB_ARGUMENTS.set.safeParse([words[0]?.toLowerCase(), ...words.slice(1)]);
      if (!parsed.success) return fail('set', ...problemsOf(parsed.error));
      const [option, value] = parsed.data;
      return { ok: true, command: { verb: 'set', option, value } };
    }
    case 'lead': {
      const parsed = VERB_ARGUMENTS.lead.safeParse(mentionsIn(rest));
      return parsed.success && parsed.data[0]
        ? { ok: true, command: { verb: 'lead', userId: parsed.data[0] } }
        : fail('lead', 'mention exactly one person, e.g. /pra-upgrade lead @alice');
    }
    case 'resolve': {
      // Only `#12` names a problem: "resolve 2 packages reinstalled" is a sentence, not problem 2.
      const numbered = /^#(\d+)\s+(.*)$/s.exec(rest);
      const parsed = VERB_ARGUMENTS.resolve.safeParse({
        problemId: numbered ? numbered[1] : null,
        resolution: numbered ? numbered[2] : rest,
      });
      return parsed.success
        ? {
            ok: true,
            command: {
              verb: 'resolve',
              problemId: parsed.data.problemId,
              resolution: parsed.data.resolution,
            },
          }
        : fail('resolve', ...problemsOf(parsed.error));
    }
    default:
      return fail(null, `“${verbWord}” is not a pra-upgrade command`);
  }
}
