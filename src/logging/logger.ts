import { type Logger as BoltLogger, LogLevel as BoltLogLevel } from '@slack/bolt';
import type { Logger as CronLogger } from 'node-cron';
import { type DestinationStream, type LevelWithSilent, type Logger, pino } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

export type CreateLoggerOptions = {
  level: LevelWithSilent;
  /** JSON lines when true; human-readable (pino-pretty) otherwise. */
  production: boolean;
  name?: string;
  /** Where lines go; stdout by default. Tests pass a stream to capture output. */
  destination?: DestinationStream;
};

/** Keys whose values never reach the logs, wherever they appear. */
export const SECRET_KEYS = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'clientSecret',
  'client_secret',
  'access_token',
  'password',
  'authorization',
  'Authorization',
  'cookie',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_CLIENT_SECRET',
  'DATABASE_URL',
] as const;

// pino's redaction has no recursive wildcard (`*.token` matches exactly one level), so each key
// is listed at every depth up to this many enclosing objects or arrays.
const REDACT_DEPTH = 5;

export const REDACTED = '[redacted]';

// Keeps absent values absent and lets describeConfig's '[set]' marker through, so a logged
// config still shows which secrets are configured without showing them.
function censor(value: unknown): unknown {
  return value === undefined || value === '[set]' ? value : REDACTED;
}

export function redactPaths(keys: readonly string[] = SECRET_KEYS, depth = REDACT_DEPTH): string[] {
  const paths: string[] = [];
  for (let level = 0; level <= depth; level++) {
    const prefix = '*.'.repeat(level);
    for (const key of keys) paths.push(`${prefix}${key}`);
  }
  return paths;
}

export function createLogger(options: CreateLoggerOptions): Logger {
  const { level, production, name, destination } = options;
  const base = {
    level,
    ...(name !== undefined && { name }),
    redact: { paths: redactPaths(), censor },
  };
  if (production) {
    return destination === undefined ? pino(base) : pino(base, destination);
  }
  // A stream in this thread rather than a worker transport: works under vitest and flushes
  // synchronously, so nothing is lost when the process exits.
  const stream = pretty({
    colorize: destination === undefined ? pretty.isColorSupported : false,
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
    ...(destination !== undefined && { destination }),
  });
  return pino(base, stream);
}

type Method = 'debug' | 'info' | 'warn' | 'error';

/**
 * Logs free-form arguments (Bolt passes strings, objects and errors alike): strings form the
 * message, the first Error becomes `err`, and objects go in `details` rather than the message
 * so that redaction still applies to them.
 */
function forward(target: Logger, method: Method, args: readonly unknown[]): void {
  const words: string[] = [];
  const details: unknown[] = [];
  let err: Error | undefined;
  for (const arg of args) {
    if (typeof arg === 'string') words.push(arg);
    else if (arg instanceof Error && err === undefined) err = arg;
    else if (typeof arg === 'object' && arg !== null) details.push(arg);
    else words.push(String(arg));
  }
  const fields: Record<string, unknown> = {};
  if (err !== undefined) fields.err = err;
  if (details.length > 0) fields.details = details.length === 1 ? details[0] : details;
  target[method](fields, words.length > 0 ? words.join(' ') : (err?.message ?? ''));
}

function toBoltLevel(level: string): BoltLogLevel {
  switch (level) {
    case 'trace':
    case 'debug':
      return BoltLogLevel.DEBUG;
    case 'info':
      return BoltLogLevel.INFO;
    case 'warn':
      return BoltLogLevel.WARN;
    default:
      return BoltLogLevel.ERROR;
  }
}

/**
 * Adapts a pino logger to Bolt's Logger. Bolt and its Web API clients call setLevel/setName on
 * the logger they are given, so those act on a child: the application logger is left alone.
 */
export function toBoltLogger(logger: Logger, component = 'bolt'): BoltLogger {
  let target = logger.child({ component });
  return {
    setLevel(level: BoltLogLevel) {
      target.level = level;
    },
    getLevel() {
      return toBoltLevel(target.level);
    },
    setName(name: string) {
      const level = target.level;
      target = logger.child({ component: name });
      target.level = level;
    },
    debug: (...msgs: unknown[]) => forward(target, 'debug', msgs),
    info: (...msgs: unknown[]) => forward(target, 'info', msgs),
    warn: (...msgs: unknown[]) => forward(target, 'warn', msgs),
    error: (...msgs: unknown[]) => forward(target, 'error', msgs),
  };
}

/** Adapts a pino logger to node-cron 4's Logger (passed as the `logger` task option or to setLogger). */
export function toCronLogger(logger: Logger, component = 'node-cron'): CronLogger {
  const target = logger.child({ component });
  const withError = (method: 'debug' | 'error', message: string | Error, err?: Error): void => {
    if (message instanceof Error) target[method]({ err: message }, message.message);
    else if (err !== undefined) target[method]({ err }, message);
    else target[method](message);
  };
  return {
    debug: (message, err) => withError('debug', message, err),
    info: (message) => target.info(message),
    warn: (message) => target.warn(message),
    error: (message, err) => withError('error', message, err),
  };
}
