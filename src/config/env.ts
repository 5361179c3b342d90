import { Duration, IANAZone } from 'luxon';
import { validateDetailed as explainCron, validate as isValidCron } from 'node-cron';
import { z } from 'zod';
import { describeBound, FAILOVER_GAP_LIMIT_BOUND, withinBound } from '../engine/bounds.js';
import { type LinkedApplianceConfig, loadAppliancesFile } from './appliances-file.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type SlackMode = 'http' | 'socket' | 'none';

export type Config = {
  slack: {
    mode: SlackMode;
    botToken?: string;
    signingSecret?: string;
    appToken?: string;
    apiUrl: string;
  };
  database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };
  port: number;
  defaultTimezone: string;
  reminderTick: string;
  failoverGapLimit: { iso: string; duration: Duration };
  logLevel: LogLevel;
  production: boolean;
  /** Upgrades whose channel messages one process delivers at the same time. */
  deliveryConcurrency: number;
  /** From PRA_APPLIANCES_FILE; empty without it (then every step is confirmed by clicks, as before). */
  appliances: LinkedApplianceConfig[];
  /** Without Slack (mode `none`) `npm start` serves the local workspace on this host. */
  localWorkspace: { host: string };
};

/** Defaults of the environment contract (see the Configuration table in the README). */
export const DEFAULTS = {
  SLACK_API_URL: 'https://slack.com/api/',
  DATA_DIR: './data',
  PORT: 3000,
  DEFAULT_TIMEZONE: 'UTC',
  REMINDER_TICK: '*/30 * * * * *',
  FAILOVER_GAP_LIMIT: 'P1D',
  LOG_LEVEL: 'info',
  NODE_ENV: 'development',
  DELIVERY_CONCURRENCY: 32,
  LOCAL_WORKSPACE_HOST: '127.0.0.1',
} as const;

/** Thrown by loadConfig; `problems` holds one `VARIABLE: what is wrong; how to fix it` line per problem. */
export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(
      `Invalid environment (${count}):\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
        'Fix these variables (in the environment or .env) and start again.',
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Shows a non-secret value in an error message; long values are cut so one problem stays one line. */
function show(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
}

// Empty or blank values count as absent (a `FOO=` line in .env), and stray whitespace around a
// pasted token is a typo rather than part of the value.
const blankToUndefined = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
};

function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess(blankToUndefined, schema.optional());
}

const botToken = z.string().superRefine((value, ctx) => {
  if (value.startsWith('xoxb-')) return;
  const hint = value.startsWith('xapp-')
    ? ' (it looks like an app-level token, which belongs in SLACK_APP_TOKEN)'
    : value.startsWith('xoxp-')
      ? ' (it looks like a user token; the bot needs the bot token)'
      : '';
  ctx.addIssue({
    code: 'custom',
    message:
      `does not start with xoxb-${hint}; copy the "Bot User OAuth Token" from your Slack app's ` +
      '"OAuth & Permissions" page (without it the bot only explains how to create the Slack app)',
  });
});

const appToken = z.string().superRefine((value, ctx) => {
  if (value.startsWith('xapp-')) return;
  const hint = value.startsWith('xoxb-')
    ? ' (it looks like a bot token, which belongs in SLACK_BOT_TOKEN)'
    : '';
  ctx.addIssue({
    code: 'custom',
    message:
      `does not start with xapp-${hint}; create an app-level token with the connections:write scope ` +
      `under "Basic Information" > "App-Level Tokens", or unset it to use HTTP mode`,
  });
});

const apiUrl = z.string().transform((value, ctx) => {
  // http is allowed so tests can point the app at a fake Slack on loopback.
  const protocol = URL.canParse(value) ? new URL(value).protocol : '';
  if (protocol !== 'https:' && protocol !== 'http:') {
    ctx.addIssue({
      code: 'custom',
      message: `${show(value)} is not an http(s) URL; set the Slack Web API base URL, e.g. SLACK_API_URL=${DEFAULTS.SLACK_API_URL}, or unset it`,
    });
    return z.NEVER;
  }
  // The Web API client joins method names onto this base, so a missing slash would drop `/api`.
  return value.endsWith('/') ? value : `${value}/`;
});

// A database URL usually carries a password, so it is never echoed back.
const databaseUrl = z.string().superRefine((value, ctx) => {
  if (/^postgres(ql)?:\/\//i.test(value)) return;
  ctx.addIssue({
    code: 'custom',
    message:
      'is not a PostgreSQL URL (it must start with postgres:// or postgresql://); set e.g. ' +
      'DATABASE_URL=postgres://user:password@localhost:5432/pra_upgrade, or unset it to use the embedded database in DATA_DIR',
  });
});

const port = z.string().transform((value, ctx) => {
  const n = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  // 0 asks the operating system for any free port (tests and one-off local runs).
  if (!(n >= 0 && n <= 65535)) {
    ctx.addIssue({
      code: 'custom',
      message: `${show(value)} is not a port number; set a whole number between 1 and 65535 (or 0 for any free port), e.g. PORT=${DEFAULTS.PORT}`,
    });
    return z.NEVER;
  }
  return n;
});

const timezone = z.string().superRefine((value, ctx) => {
  if (IANAZone.isValidZone(value)) return;
  ctx.addIssue({
    code: 'custom',
    message:
      `${show(value)} is not an IANA time zone; use a name from the tz database such as Europe/Paris ` +
      `or America/New_York, e.g. DEFAULT_TIMEZONE=${DEFAULTS.DEFAULT_TIMEZONE}`,
  });
});

const cron = z.string().superRefine((value, ctx) => {
  if (isValidCron(value)) return;
  const reason = explainCron(value).errors[0]?.message ?? 'not a valid expression';
  ctx.addIssue({
    code: 'custom',
    message:
      `${show(value)} is not a node-cron expression (${reason}); use 5 fields, or 6 with seconds first, ` +
      `e.g. REMINDER_TICK="${DEFAULTS.REMINDER_TICK}" for every 30 seconds`,
  });
});

const duration = z.string().transform((value, ctx) => {
  const parsed = Duration.fromISO(value);
  if (!parsed.isValid || parsed.toMillis() <= 0) {
    const what = parsed.isValid ? 'is not longer than zero' : 'is not an ISO-8601 duration';
    ctx.addIssue({
      code: 'custom',
      message: `${show(value)} ${what}; use a positive duration such as PT4H (4 hours) or P1D (1 day), e.g. FAILOVER_GAP_LIMIT=${DEFAULTS.FAILOVER_GAP_LIMIT}`,
    });
    return z.NEVER;
  }
  if (!withinBound(value, FAILOVER_GAP_LIMIT_BOUND)) {
    ctx.addIssue({
      code: 'custom',
      message: `${show(value)} is out of range: it must be ${describeBound(FAILOVER_GAP_LIMIT_BOUND)}, e.g. FAILOVER_GAP_LIMIT=${DEFAULTS.FAILOVER_GAP_LIMIT}`,
    });
    return z.NEVER;
  }
  return { iso: value, duration: parsed };
});

const logLevel = z.string().transform((value, ctx) => {
  const lower = value.toLowerCase();
  const level = LOG_LEVELS.find((l) => l === lower);
  if (level === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `${show(value)} is not a log level; use one of ${LOG_LEVELS.join(', ')}, e.g. LOG_LEVEL=${DEFAULTS.LOG_LEVEL}`,
    });
    return z.NEVER;
  }
  return level;
});

const concurrency = z.string().transform((value, ctx) => {
  const n = /^\d{1,3}$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 1 && n <= 100)) {
    ctx.addIssue({
      code: 'custom',
      message: `${show(value)} is not a whole number between 1 and 100; set how many upgrades one process delivers to Slack at once, e.g. DELIVERY_CONCURRENCY=${DEFAULTS.DELIVERY_CONCURRENCY}`,
    });
    return z.NEVER;
  }
  return n;
});

// A host name or an IP address to listen on; anything with spaces, slashes or a scheme is a typo.
const host = z.string().superRefine((value, ctx) => {
  if (/^[A-Za-z0-9.:-]+$/.test(value) || /^\[[0-9A-Fa-f:.]+\]$/.test(value)) return;
  ctx.addIssue({
    code: 'custom',
    message: `${show(value)} is not a host name or IP address; e.g. LOCAL_WORKSPACE_HOST=${DEFAULTS.LOCAL_WORKSPACE_HOST} (the default), or 0.0.0.0 for every interface`,
  });
});

// Every variable the bot reads, in the order of the contract table: problems are reported in this
// order, so messages are stable.
const variables = {
  SLACK_BOT_TOKEN: optional(botToken),
  SLACK_SIGNING_SECRET: optional(z.string()),
  SLACK_APP_TOKEN: optional(appToken),
  SLACK_API_URL: optional(apiUrl),
  DATABASE_URL: optional(databaseUrl),
  DATA_DIR: optional(z.string()),
  PORT: optional(port),
  DEFAULT_TIMEZONE: optional(timezone),
  REMINDER_TICK: optional(cron),
  FAILOVER_GAP_LIMIT: optional(duration),
  LOG_LEVEL: optional(logLevel),
  NODE_ENV: optional(z.string()),
  DELIVERY_CONCURRENCY: optional(concurrency),
  PRA_APPLIANCES_FILE: optional(z.string()),
  LOCAL_WORKSPACE_HOST: optional(host),
};
const VARIABLES = Object.keys(variables);

const envSchema = z.object(variables).superRefine(
  (env, ctx) => {
    // Reads only the three Slack credentials, which are refined (never transformed), so they
    // still hold their strings here even when some other variable failed.
    const hasBot = env.SLACK_BOT_TOKEN !== undefined;
    const hasApp = env.SLACK_APP_TOKEN !== undefined;
    const hasSecret = env.SLACK_SIGNING_SECRET !== undefined;
    if (hasBot && !hasApp && !hasSecret) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message:
          'is required in HTTP mode (SLACK_BOT_TOKEN set, SLACK_APP_TOKEN unset); copy the "Signing Secret" ' +
          `from your Slack app's "Basic Information" page, or set SLACK_APP_TOKEN to use Socket Mode instead`,
      });
    }
    // Half a Slack setup would otherwise silently fall back to running without Slack.
    if (!hasBot && (hasApp || hasSecret)) {
      const others = [...(hasApp ? ['SLACK_APP_TOKEN'] : []), ...(hasSecret ? ['SLACK_SIGNING_SECRET'] : [])];
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_BOT_TOKEN'],
        message:
          `is missing although ${others.join(' and ')} ${others.length > 1 ? 'are' : 'is'} set; copy the ` +
          `"Bot User OAuth Token" (xoxb-...) from your Slack app's "OAuth & Permissions" page, or unset ` +
          `${others.join(' and ')} to run without Slack`,
      });
    }
  },
  // Run even when other variables are bad, so one start-up reports every problem at once.
  { when: () => true },
);

type ParsedEnv = z.output<typeof envSchema>;

function toConfig(env: ParsedEnv, appliances: LinkedApplianceConfig[]): Config {
  const botToken = env.SLACK_BOT_TOKEN;
  const appToken = env.SLACK_APP_TOKEN;
  const mode: SlackMode = botToken === undefined ? 'none' : appToken === undefined ? 'http' : 'socket';
  return {
    slack: {
      mode,
      ...(botToken !== undefined && { botToken }),
      ...(env.SLACK_SIGNING_SECRET !== undefined && { signingSecret: env.SLACK_SIGNING_SECRET }),
      ...(appToken !== undefined && { appToken }),
      apiUrl: env.SLACK_API_URL ?? DEFAULTS.SLACK_API_URL,
    },
    database:
      env.DATABASE_URL !== undefined
        ? { kind: 'postgres', url: env.DATABASE_URL }
        : { kind: 'pglite', dataDir: env.DATA_DIR ?? DEFAULTS.DATA_DIR },
    port: env.PORT ?? DEFAULTS.PORT,
    defaultTimezone: env.DEFAULT_TIMEZONE ?? DEFAULTS.DEFAULT_TIMEZONE,
    reminderTick: env.REMINDER_TICK ?? DEFAULTS.REMINDER_TICK,
    failoverGapLimit: env.FAILOVER_GAP_LIMIT ?? {
      iso: DEFAULTS.FAILOVER_GAP_LIMIT,
      duration: Duration.fromISO(DEFAULTS.FAILOVER_GAP_LIMIT),
    },
    logLevel: env.LOG_LEVEL ?? DEFAULTS.LOG_LEVEL,
    production: (env.NODE_ENV ?? DEFAULTS.NODE_ENV) === 'production',
    deliveryConcurrency: env.DELIVERY_CONCURRENCY ?? DEFAULTS.DELIVERY_CONCURRENCY,
    appliances,
    localWorkspace: {
      host: (env.LOCAL_WORKSPACE_HOST ?? DEFAULTS.LOCAL_WORKSPACE_HOST).replace(/^\[|\]$/g, ''),
    },
  };
}

function problemLine(issue: z.core.$ZodIssue): string {
  const variable = issue.path.length > 0 ? issue.path.map(String).join('.') : 'environment';
  return `${variable}: ${issue.message}`;
}

const RANK = new Map<PropertyKey, number>(VARIABLES.map((name, index) => [name, index]));

function rank(issue: z.core.$ZodIssue): number {
  return RANK.get(issue.path[0] ?? '') ?? VARIABLES.length;
}

/**
 * Parses the environment once, at start-up. Throws a ConfigError naming every bad or missing
 * variable; secret values are never repeated in it.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const picked = Object.fromEntries(VARIABLES.map((name) => [name, env[name]]));
  const result = envSchema.safeParse(picked);
  const problems = result.success
    ? []
    : [...result.error.issues].sort((a, b) => rank(a) - rank(b)).map(problemLine);
  const file = blankToUndefined(env.PRA_APPLIANCES_FILE);
  const appliances = typeof file === 'string' ? loadAppliancesFile(file, env) : null;
  if (appliances && !appliances.ok) problems.push(...appliances.problems);
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  return toConfig(result.data, appliances?.ok ? appliances.appliances : []);
}

const SET = '[set]';

/** Hides a database URL's password, whether in the user-info part or a libpq `password=` parameter. */
function maskDatabaseUrl(url: string): string {
  // Greedy up to the last '@', since an unencoded password may itself contain '@'.
  return url.replace(/^([a-z]+:\/\/[^:@/]*:).*@/i, `$1${SET}@`).replace(/([?&]password=)[^&]*/gi, `$1${SET}`);
}

/** A loggable view of the configuration: secrets appear only as '[set]' (or are absent). */
export function describeConfig(config: Config) {
  const { slack, database } = config;
  return {
    slack: {
      mode: slack.mode,
      botToken: slack.botToken !== undefined ? SET : undefined,
      signingSecret: slack.signingSecret !== undefined ? SET : undefined,
      appToken: slack.appToken !== undefined ? SET : undefined,
      apiUrl: slack.apiUrl,
    },
    database:
      database.kind === 'postgres'
        ? { kind: database.kind, url: maskDatabaseUrl(database.url) }
        : { kind: database.kind, dataDir: database.dataDir },
    port: config.port,
    defaultTimezone: config.defaultTimezone,
    reminderTick: config.reminderTick,
    failoverGapLimit: config.failoverGapLimit.iso,
    logLevel: config.logLevel,
    production: config.production,
    deliveryConcurrency: config.deliveryConcurrency,
    appliances: config.appliances.map((a) => ({ name: a.name, url: a.baseUrl, clientId: a.clientId })),
    localWorkspace: config.localWorkspace,
  };
}
