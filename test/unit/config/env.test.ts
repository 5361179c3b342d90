import { describe, expect, it } from 'vitest';
import { type Config, ConfigError, describeConfig, loadConfig } from '../../../src/config/env.js';

const BOT = 'xoxb-1111-2222-supersecretbot';
const APP = 'xapp-1-A111-supersecretapp';
const SECRET = 'f00dfacesupersecretsigning';

/** Runs loadConfig and returns the ConfigError it must throw. */
function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}

/** The variable each problem line names. */
function named(error: ConfigError): string[] {
  return error.problems.map((line) => line.slice(0, line.indexOf(':')));
}

describe('loadConfig defaults', () => {
  it('runs without Slack on embedded PGlite in ./data when the environment is empty', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      slack: { mode: 'none', apiUrl: 'https://slack.com/api/' },
      database: { kind: 'pglite', dataDir: './data' },
      port: 3000,
      defaultTimezone: 'UTC',
      reminderTick: '*/30 * * * * *',
      logLevel: 'info',
      production: false,
    } satisfies Partial<Config>);
    expect(config.slack.botToken).toBeUndefined();
    expect(config.failoverGapLimit.iso).toBe('P1D');
    expect(config.failoverGapLimit.duration.as('hours')).toBe(24);
  });

  it('treats empty and blank values as absent', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: '',
      SLACK_APP_TOKEN: '  ',
      PORT: '',
      DATABASE_URL: '',
      DEFAULT_TIMEZONE: '',
      LOG_LEVEL: ' ',
      FAILOVER_GAP_LIMIT: '',
    });
    expect(config.slack.mode).toBe('none');
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ kind: 'pglite', dataDir: './data' });
    expect(config.logLevel).toBe('info');
  });

  it('ignores unrelated variables, so process.env can be passed as is', () => {
    expect(loadConfig({ HOME: '/root', PATH: '/bin', PORT: '8080' }).port).toBe(8080);
  });
});

describe('loadConfig values', () => {
  it('reads every variable', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: BOT,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: 'http://127.0.0.1:4010/api',
      DATABASE_URL: 'postgresql://app:pw@db:5432/pra',
      PORT: '8080',
      DEFAULT_TIMEZONE: 'Europe/Paris',
      REMINDER_TICK: '*/5 * * * *',
      FAILOVER_GAP_LIMIT: 'PT4H',
      LOG_LEVEL: 'DEBUG',
      NODE_ENV: 'production',
      DELIVERY_CONCURRENCY: '16',
    });
    expect(config.deliveryConcurrency).toBe(16);
    expect(config.slack.apiUrl).toBe('http://127.0.0.1:4010/api/');
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgresql://app:pw@db:5432/pra' });
    expect(config.port).toBe(8080);
    expect(config.defaultTimezone).toBe('Europe/Paris');
    expect(config.reminderTick).toBe('*/5 * * * *');
    expect(config.failoverGapLimit.iso).toBe('PT4H');
    expect(config.failoverGapLimit.duration.as('minutes')).toBe(240);
    expect(config.logLevel).toBe('debug');
    expect(config.production).toBe(true);
  });

  it('uses DATA_DIR only for the embedded database', () => {
    expect(loadConfig({ DATA_DIR: '/var/lib/pra' }).database).toEqual({
      kind: 'pglite',
      dataDir: '/var/lib/pra',
    });
    expect(loadConfig({ DATA_DIR: '/var/lib/pra', DATABASE_URL: 'postgres://h/db' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://h/db',
    });
  });

  it('keeps an API URL that already ends with a slash', () => {
    expect(loadConfig({ SLACK_API_URL: 'https://slack.example/api/' }).slack.apiUrl).toBe(
      'https://slack.example/api/',
    );
  });

  it.each(['development', 'test'])('logs readably when NODE_ENV=%s', (nodeEnv) => {
    expect(loadConfig({ NODE_ENV: nodeEnv }).production).toBe(false);
  });
});

describe('Slack modes', () => {
  it('uses HTTP mode with a bot token and signing secret', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET });
    expect(config.slack).toEqual({
      mode: 'http',
      botToken: BOT,
      signingSecret: SECRET,
      apiUrl: 'https://slack.com/api/',
    });
  });

  it('uses Socket Mode when an app token is present, without needing a signing secret', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP });
    expect(config.slack).toEqual({
      mode: 'socket',
      botToken: BOT,
      appToken: APP,
      apiUrl: 'https://slack.com/api/',
    });
  });

  it('keeps a signing secret given in Socket Mode', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP, SLACK_SIGNING_SECRET: SECRET });
    expect(config.slack.mode).toBe('socket');
    expect(config.slack.signingSecret).toBe(SECRET);
  });

  it('requires the signing secret in HTTP mode only', () => {
    const error = configError({ SLACK_BOT_TOKEN: BOT });
    expect(named(error)).toEqual(['SLACK_SIGNING_SECRET']);
    expect(error.message).toMatch(/SLACK_SIGNING_SECRET: is required in HTTP mode/);
    expect(error.message).toMatch(/Basic Information/);
    expect(loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP }).slack).toMatchObject({
      mode: 'socket',
      botToken: BOT,
      appToken: APP,
    });
    expect(loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP }).slack.signingSecret).toBeUndefined();
    expect(loadConfig({}).slack.mode).toBe('none');
  });

  it('still reports the missing signing secret when the bot token itself is malformed', () => {
    expect(named(configError({ SLACK_BOT_TOKEN: 'bad', PORT: 'x' }))).toEqual([
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'PORT',
    ]);
  });

  it('refuses a Slack credential without the bot token rather than silently running without Slack', () => {
    expect(named(configError({ SLACK_APP_TOKEN: APP }))).toEqual(['SLACK_BOT_TOKEN']);
    expect(configError({ SLACK_SIGNING_SECRET: SECRET }).message).toMatch(
      /SLACK_BOT_TOKEN: is missing although SLACK_SIGNING_SECRET is set/,
    );
  });

  it('rejects tokens with the wrong prefix and says which token they look like', () => {
    const error = configError({ SLACK_BOT_TOKEN: APP, SLACK_APP_TOKEN: BOT });
    expect(named(error)).toEqual(['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN']);
    expect(error.problems[0]).toMatch(/does not start with xoxb-.*belongs in SLACK_APP_TOKEN/);
    expect(error.problems[1]).toMatch(/does not start with xapp-.*belongs in SLACK_BOT_TOKEN/);
  });
});

describe('ConfigError', () => {
  it('names every bad variable at once, one line each, in contract order', () => {
    const error = configError({
      LOG_LEVEL: 'loud',
      PORT: 'abc',
      SLACK_BOT_TOKEN: BOT,
      SLACK_API_URL: 'slack.com/api',
      DATABASE_URL: 'mysql://root:hunter2@db/pra',
      DEFAULT_TIMEZONE: 'Mars/Olympus_Mons',
      REMINDER_TICK: 'every minute',
      FAILOVER_GAP_LIMIT: '1 day',
    });
    expect(named(error)).toEqual([
      'SLACK_SIGNING_SECRET',
      'SLACK_API_URL',
      'DATABASE_URL',
      'PORT',
      'DEFAULT_TIMEZONE',
      'REMINDER_TICK',
      'FAILOVER_GAP_LIMIT',
      'LOG_LEVEL',
    ]);
    expect(error.name).toBe('ConfigError');
    expect(error.message).toContain('8 problems');
    for (const problem of error.problems) expect(error.message).toContain(problem);
    expect(error.problems).toContain(
      'PORT: "abc" is not a port number; set a whole number between 1 and 65535 (or 0 for any free port), e.g. PORT=3000',
    );
    expect(error.problems.every((line) => !line.includes('\n'))).toBe(true);
  });

  it.each(['abc', '65536', '30.5', '-1', '3000abc'])('rejects PORT=%s', (port) => {
    const error = configError({ PORT: port });
    expect(error.problems).toEqual([
      `PORT: ${JSON.stringify(port)} is not a port number; set a whole number between 1 and 65535 (or 0 for any free port), e.g. PORT=3000`,
    ]);
  });

  it('accepts PORT=0, which asks for any free port', () => {
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
  });

  it.each(['Mars/Olympus_Mons', 'CEST', '+02:00'])('rejects DEFAULT_TIMEZONE=%s', (zone) => {
    expect(configError({ DEFAULT_TIMEZONE: zone }).problems[0]).toMatch(
      /^DEFAULT_TIMEZONE: ".*" is not an IANA time zone; .*Europe\/Paris/,
    );
  });

  it.each([
    ['61 * * * *', /minute/],
    ['* * * * * * *', /expected 5 or 6 fields/],
    ['every minute', /REMINDER_TICK=/],
  ])('rejects REMINDER_TICK=%s', (tick, reason) => {
    const [problem] = configError({ REMINDER_TICK: tick }).problems;
    expect(problem).toMatch(/^REMINDER_TICK: ".*" is not a node-cron expression/);
    expect(problem).toMatch(reason);
  });

  it('accepts a 6-field cron expression with seconds', () => {
    expect(loadConfig({ REMINDER_TICK: '15 * * * * *' }).reminderTick).toBe('15 * * * * *');
  });

  it.each([
    ['1d', 'is not an ISO-8601 duration'],
    ['P1X', 'is not an ISO-8601 duration'],
    ['PT0S', 'is not longer than zero'],
    ['P0D', 'is not longer than zero'],
    ['-PT1H', 'is not longer than zero'],
  ])('rejects FAILOVER_GAP_LIMIT=%s', (iso, reason) => {
    expect(configError({ FAILOVER_GAP_LIMIT: iso }).problems).toEqual([
      expect.stringMatching(new RegExp(`^FAILOVER_GAP_LIMIT: "${iso}" ${reason}; .*PT4H`)),
    ]);
  });

  it('rejects a database URL that is not PostgreSQL', () => {
    expect(named(configError({ DATABASE_URL: 'mysql://db/pra' }))).toEqual(['DATABASE_URL']);
  });

  it('never repeats a secret value', () => {
    const secrets = ['supersecretbot', 'supersecretapp', 'hunter2'];
    const error = configError({
      SLACK_BOT_TOKEN: 'xoxp-user-supersecretbot',
      SLACK_APP_TOKEN: 'app-supersecretapp',
      DATABASE_URL: 'mysql://root:hunter2@db/pra',
    });
    expect(named(error)).toEqual(['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'DATABASE_URL']);
    for (const secret of secrets) {
      expect(error.message).not.toContain(secret);
      expect(error.problems.join('\n')).not.toContain(secret);
    }
  });
});

describe('describeConfig', () => {
  it('shows which secrets are set without their values', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: BOT,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_APP_TOKEN: APP,
      DATABASE_URL: 'postgres://app:hunter2@db:5432/pra?sslmode=require&password=hunter3',
    });
    const described = describeConfig(config);
    const text = JSON.stringify(described);
    for (const secret of [BOT, APP, SECRET, 'hunter2', 'hunter3']) expect(text).not.toContain(secret);
    expect(described.slack).toMatchObject({
      mode: 'socket',
      botToken: '[set]',
      appToken: '[set]',
      signingSecret: '[set]',
    });
    expect(described.database).toEqual({
      kind: 'postgres',
      url: 'postgres://app:[set]@db:5432/pra?sslmode=require&password=[set]',
    });
    expect(described.failoverGapLimit).toBe('P1D');
  });

  it('leaves absent secrets absent', () => {
    const described = describeConfig(loadConfig({}));
    expect(described.slack.botToken).toBeUndefined();
    expect(described.database).toEqual({ kind: 'pglite', dataDir: './data' });
  });

  it('masks a password that contains @', () => {
    const { database } = describeConfig(loadConfig({ DATABASE_URL: 'postgres://app:p@ss@db/pra' }));
    expect(database).toEqual({ kind: 'postgres', url: 'postgres://app:[set]@db/pra' });
  });
});
