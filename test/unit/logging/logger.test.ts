import { Writable } from 'node:stream';
import { App, LogLevel } from '@slack/bolt';
import { describe, expect, it, vi } from 'vitest';
import { describeConfig, loadConfig } from '../../../src/config/env.js';
import {
  type CreateLoggerOptions,
  createLogger,
  REDACTED,
  toBoltLogger,
  toCronLogger,
} from '../../../src/logging/logger.js';

type Line = Record<string, unknown>;

/** A production (JSON) logger whose lines are captured synchronously. */
function capture(options: Partial<CreateLoggerOptions> = {}) {
  const raw: string[] = [];
  const logger = createLogger({
    level: 'debug',
    production: true,
    ...options,
    destination: { write: (chunk: string) => void raw.push(chunk) },
  });
  const lines = (): Line[] => raw.map((chunk) => JSON.parse(chunk) as Line);
  return { logger, raw, lines };
}

const SECRET = 'xoxb-9999-supersecret';

describe('createLogger', () => {
  it('writes one JSON object per line in production, with the name and level', () => {
    const { logger, raw, lines } = capture({ level: 'info', name: 'pra-upgrade' });
    logger.debug('dropped below the level');
    logger.info({ upgradeId: 7 }, 'started');
    expect(raw).toHaveLength(1);
    expect(raw[0]?.endsWith('\n')).toBe(true);
    expect(lines()[0]).toMatchObject({ level: 30, name: 'pra-upgrade', upgradeId: 7, msg: 'started' });
  });

  it('redacts secret keys at any nesting, in arrays and in child bindings', () => {
    const { logger, raw, lines } = capture();
    logger.child({ token: SECRET }).info(
      {
        botToken: SECRET,
        request: { headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' } },
        env: { SLACK_BOT_TOKEN: SECRET, SLACK_APP_TOKEN: SECRET, SLACK_SIGNING_SECRET: SECRET, PORT: '3000' },
        a: { b: { c: { d: { appToken: SECRET } } } },
        installs: [{ signingSecret: SECRET, team: 'T1' }],
      },
      'hello',
    );
    expect(raw.join('')).not.toContain('supersecret');
    const [line] = lines();
    expect(line).toMatchObject({
      token: REDACTED,
      botToken: REDACTED,
      request: { headers: { authorization: REDACTED, 'content-type': 'application/json' } },
      env: {
        SLACK_BOT_TOKEN: REDACTED,
        SLACK_APP_TOKEN: REDACTED,
        SLACK_SIGNING_SECRET: REDACTED,
        PORT: '3000',
      },
      a: { b: { c: { d: { appToken: REDACTED } } } },
      installs: [{ signingSecret: REDACTED, team: 'T1' }],
      msg: 'hello',
    });
  });

  it('keeps describeConfig readable: configured secrets show as [set], absent ones stay absent', () => {
    const { logger, raw, lines } = capture();
    const config = loadConfig({ SLACK_BOT_TOKEN: SECRET, SLACK_APP_TOKEN: 'xapp-supersecret' });
    logger.info({ config: describeConfig(config) }, 'config');
    expect(raw.join('')).not.toContain('supersecret');
    expect(lines()[0]).toMatchObject({
      config: { slack: { mode: 'socket', botToken: '[set]', appToken: '[set]' } },
    });
    expect(lines()[0]?.config).not.toHaveProperty('slack.signingSecret');
  });

  it('pretty-prints outside production, still redacting', async () => {
    const chunks: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({ level: 'info', production: false, name: 'app', destination });
    logger.info({ token: SECRET, upgradeId: 7 }, 'readable');
    // pino-pretty pipes into the destination, so the text arrives a tick later.
    await vi.waitFor(() => expect(chunks.join('')).toMatch(/INFO \(app\): readable/));
    const text = chunks.join('');
    expect(text).toContain(REDACTED);
    expect(text).not.toContain('supersecret');
    expect(() => JSON.parse(text)).toThrow();
  });
});

describe('toBoltLogger', () => {
  it('forwards each Bolt level to the same pino level', () => {
    const { logger, lines } = capture();
    const bolt = toBoltLogger(logger);
    bolt.setLevel(LogLevel.DEBUG);
    bolt.debug('d');
    bolt.info('i');
    bolt.warn('w');
    bolt.error('e');
    expect(lines().map((l) => [l.level, l.msg, l.component])).toEqual([
      [20, 'd', 'bolt'],
      [30, 'i', 'bolt'],
      [40, 'w', 'bolt'],
      [50, 'e', 'bolt'],
    ]);
  });

  it('filters by its own level without changing the application logger', () => {
    const { logger, lines } = capture({ level: 'info' });
    const bolt = toBoltLogger(logger);
    expect(bolt.getLevel()).toBe(LogLevel.INFO);
    bolt.setLevel(LogLevel.WARN);
    expect(bolt.getLevel()).toBe(LogLevel.WARN);
    bolt.info('hidden');
    bolt.warn('shown');
    logger.info('app still at info');
    expect(logger.level).toBe('info');
    expect(lines().map((l) => l.msg)).toEqual(['shown', 'app still at info']);
  });

  it('keeps the level across setName, which tags later lines', () => {
    const { logger, lines } = capture();
    const bolt = toBoltLogger(logger);
    bolt.setLevel(LogLevel.ERROR);
    bolt.setName('web-api:WebClient:0');
    expect(bolt.getLevel()).toBe(LogLevel.ERROR);
    bolt.warn('hidden');
    bolt.error('shown');
    expect(lines()).toEqual([expect.objectContaining({ component: 'web-api:WebClient:0', msg: 'shown' })]);
  });

  it('joins strings into the message and keeps errors and objects structured and redacted', () => {
    const { logger, raw, lines } = capture();
    const bolt = toBoltLogger(logger);
    bolt.error('An API error occurred:', new Error('invalid_auth'), { token: SECRET, retries: 2 }, 3);
    expect(raw.join('')).not.toContain('supersecret');
    const [line] = lines();
    expect(line).toMatchObject({
      msg: 'An API error occurred: 3',
      err: { type: 'Error', message: 'invalid_auth' },
      details: { token: REDACTED, retries: 2 },
    });
  });

  it('uses the error message when Bolt logs only an error', () => {
    const { logger, lines } = capture();
    toBoltLogger(logger).error(new Error('boom'));
    expect(lines()[0]).toMatchObject({ msg: 'boom', err: { message: 'boom' } });
  });

  it('is accepted by Bolt, which sets its level through it', () => {
    const { logger } = capture({ level: 'info' });
    const bolt = toBoltLogger(logger);
    new App({
      token: 'xoxb-test',
      signingSecret: 'test',
      logger: bolt,
      logLevel: LogLevel.DEBUG,
      tokenVerificationEnabled: false,
    });
    expect(bolt.getLevel()).toBe(LogLevel.DEBUG);
    expect(logger.level).toBe('info');
  });
});

describe('toCronLogger', () => {
  it('forwards levels and errors', () => {
    const { logger, lines } = capture();
    const cron = toCronLogger(logger);
    cron.debug('d');
    cron.info('i');
    cron.warn('w');
    cron.error('task failed', new Error('db down'));
    cron.error(new Error('bare'));
    cron.debug(new Error('debug error'));
    expect(lines().map((l) => [l.level, l.msg, l.component])).toEqual([
      [20, 'd', 'node-cron'],
      [30, 'i', 'node-cron'],
      [40, 'w', 'node-cron'],
      [50, 'task failed', 'node-cron'],
      [50, 'bare', 'node-cron'],
      [20, 'debug error', 'node-cron'],
    ]);
    expect(lines()[3]).toMatchObject({ err: { message: 'db down' } });
  });
});
