import { IANAZone } from 'luxon';
import yargsParser from 'yargs-parser';
import { z } from 'zod';
import {
  BOOLEAN_WORD_LIST,
  booleanWord,
  describeBound,
  FAILOVER_GAP_LIMIT_BOUND,
  MAX_MENTIONS,
  withinBound,
} from '../../../../engine/bounds.js';
import { PLAN_NAMES, type PlanName, SWITCH_METHODS, UPDATE_METHODS } from '../../../../engine/constants.js';
import { DEFAULT_TIMING } from '../../../../engine/time.js';
import type { MaintenanceWindow } from '../../../../engine/types.js';
import { rejectInput } from '../../../../services/reject-input.js';
import { startUpgrade } from '../../../../services/start-upgrade.js';
import { parseLength } from '../../../parse/durations.js';
import { mentionsIn, withoutMentions } from '../../../parse/mentions.js';
import { parseWindow } from '../../../parse/window.js';
import { userTimezone } from '../../context.js';
import { defineVerb } from './verb.js';

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
    // Bare `--base-only` arrives as "" (on); `--no-base-only` as false; anything else must be a yes/no word.
    'base-only': z
      .union([z.literal(''), z.boolean(), z.string()])
      .transform((value, ctx) => {
        if (typeof value === 'boolean') return value;
        if (value === '') return true;
        const flag = booleanWord(value);
        if (flag === null) {
          ctx.addIssue({
            code: 'custom',
            message: `takes one of ${BOOLEAN_WORD_LIST}, or nothing (on); “${value}” is none of them`,
          });
          return z.NEVER;
        }
        return flag;
      })
      .optional(),
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
      .refine(
        (text) => withinBound(parseLength(text) ?? '', FAILOVER_GAP_LIMIT_BOUND),
        `must be ${describeBound(FAILOVER_GAP_LIMIT_BOUND)}, such as 2d, 36h or P2D`,
      )
      .optional(),
  })
  .strict();

// Every option is read as a string, so a yes/no option's word is checked rather than dropped.
const STRING_OPTIONS = Object.keys(startOptions.shape);

/** Slack turns straight quotes into curly ones in some clients; the option parser needs straight ones. */
function straightenQuotes(text: string): string {
  return text.replace(/[“”„]/g, '"').replace(/[‘’]/g, "'");
}

function optionProblems(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys')
      return `unknown option ${issue.keys.map((k) => `--${k}`).join(', ')}`;
    const option = issue.path.join('.');
    if (issue.code === 'invalid_value' && 'values' in issue) {
      return `--${option} must be one of ${(issue.values as unknown[]).join(', ')}`;
    }
    if (issue.code === 'invalid_type') return `--${option} needs a value`;
    return `--${option} ${issue.message}`;
  });
}

const PLANS = PLAN_NAMES.join('|');

/** `start <plan> [options] [@people]`: opens a new upgrade; the channel is set up by the outbox after commit. */
export const start = defineVerb({
  name: 'start',
  usage: `/pra-upgrade start <${PLANS}> [--a host] [--b host] [--old name] [--new name] [--to 24.1.2] [--method auto|manual] [--method-a …] [--method-b …] [--switch shared-ip|dns|nat] [--base-only] [--ticket CHG123] [--window-a "2026-12-01 22:00"] [--window-b …] [--tz Europe/Amsterdam] [--gap-limit 2d] [@people to invite]`,
  help: [
    `*\`/pra-upgrade start <${PLANS}> [options] [@people]\`*`,
    'Starts an upgrade in a new channel with the whole runbook and invites the people you mention. Plans:',
    '• `single`: one appliance, automatic update',
    '• `manual`: one appliance, manual update (restricted network, Appliance Download Key)',
    '• `sync`: failover pair, A first, A stays primary, short outage',
    '• `async`: failover pair, B first, B becomes primary, minimal outage over two windows',
    '• `hardware`: move to new hardware or a virtual appliance',
    'Options (all optional):',
    '• `--a <host>` `--b <host>`: names of appliance A and B (names from the appliances file link them: the bot then checks steps with the appliances)',
    '• `--old <name>` `--new <name>`: hardware plan, the current and the new appliance from the appliances file',
    '• `--to 24.1.2`: the version the update must reach (checked with linked appliances; without it, any change from the version at start)',
    '• `--method auto|manual`, `--method-a auto|manual`, `--method-b auto|manual`: update method (pairs default to manual)',
    '• `--switch shared-ip|dns|nat`: how B becomes primary (async only; default dns)',
    '• `--base-only` (or `--base-only=on|off|yes|no|true|false|1|0`): base software only, no site update and no client follow-up',
    '• `--ticket CHG123`: the change ticket',
    '• `--window-a "2026-12-01 22:00"` `--window-b "2026-12-02 22:00"`: maintenance windows',
    '• `--tz Europe/Amsterdam`: the time zone of the windows',
    `• \`--gap-limit 2d\` or \`--gap-limit PT48H\`: how long failover may be off before the channel is reminded, ${describeBound(FAILOVER_GAP_LIMIT_BOUND)}`,
    'Example: `/pra-upgrade start async --ticket CHG123 --a pra-a.example.com --b pra-b.example.com @alice @bob`',
    // A blank line sets this paragraph apart from the one-line verbs that follow in `help`.
    '',
  ],
  parser: z.object({ rest: z.string() }).transform(({ rest }, ctx) => {
    const invite = mentionsIn(rest);
    const argv = yargsParser(straightenQuotes(withoutMentions(rest)), {
      string: STRING_OPTIONS,
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
    if (new Set(invite).size > MAX_MENTIONS)
      problems.push(`invite at most ${MAX_MENTIONS} people at once; add more later with /pra-upgrade add`);
    const parsed = startOptions.safeParse(options);
    if (!parsed.success) problems.push(...optionProblems(parsed.error));
    if (problems.length > 0 || !parsed.success) {
      for (const message of problems) ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return { plan: plan as PlanName, options: parsed.data, invite };
  }),
  async handle(call) {
    const { args, payload, ctx, deps, client } = call;
    const { options } = args;
    const problems: string[] = [];
    const windows: Partial<Record<'a' | 'b', MaintenanceWindow>> = {};
    const windowTexts = { a: options['window-a'], b: options['window-b'] };
    if (windowTexts.a || windowTexts.b) {
      const zone = options.tz ?? (await userTimezone(client, deps, payload.user_id));
      for (const appliance of ['a', 'b'] as const) {
        const text = windowTexts[appliance];
        if (!text) continue;
        const parsed = parseWindow(text, zone, DEFAULT_TIMING.windowLength);
        if (parsed.ok) windows[appliance] = parsed.window;
        else problems.push(`--window-${appliance}: ${parsed.problem}`);
      }
    }
    if (problems.length > 0) {
      await rejectInput({
        ctx,
        input: {
          source: 'command:start',
          problems,
          usage: call.usage,
          received: payload.text,
          responseUrl: payload.response_url,
          upgradeId: null,
        },
      });
      return;
    }
    await startUpgrade({
      ctx,
      input: {
        teamId: payload.team_id,
        plan: args.plan,
        options: {
          ...(options.method ? { method: options.method } : {}),
          ...(options['method-a'] ? { methodA: options['method-a'] } : {}),
          ...(options['method-b'] ? { methodB: options['method-b'] } : {}),
          ...(options.switch ? { switchMethod: options.switch } : {}),
          ...(options['base-only'] !== undefined ? { baseOnly: options['base-only'] } : {}),
        },
        ticket: options.ticket ?? null,
        applianceA: options.a ?? null,
        applianceB: options.b ?? null,
        applianceOld: options.old ?? null,
        applianceNew: options.new ?? null,
        targetVersion: options.to ?? null,
        invite: args.invite,
        windows,
        gapLimit: options['gap-limit'] ? parseLength(options['gap-limit']) : null,
        requestKey: `command:${payload.trigger_id}`,
        responseUrl: payload.response_url,
      },
    });
  },
});
