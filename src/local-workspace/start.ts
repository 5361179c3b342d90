// Local mode: no Slack token configured, so `npm start` runs the real bot against a local workspace
// served by this process, on a simulated clock, with the page at the printed URL.
import { randomBytes } from 'node:crypto';
import { type BotOptions, type RunningBot, StartupError, startBot } from '../bootstrap.js';
import { type Config, describeConfig } from '../config/env.js';
import { createDatabase, type Database } from '../db/client.js';
import { runMigrations } from '../db/migrate.js';
import { emptyEmbeddedDatabase } from '../db/reset.js';
import type { Logger } from '../logging/logger.js';
import { findNextReminder } from '../services/find-next-reminder.js';
import { readAuditLog } from '../services/read-audit-log.js';
import { systemActor } from '../services/shared/context.js';
import { CLOCK_STEPS, SimulatedClock } from './clock.js';
import { LOCAL_SERVICES, type LocalService, type StartedLocalService } from './extensions.js';
import { type ClockRequest, createFrontDoor } from './server.js';
import { LocalWorkspace } from './workspace.js';

export interface LocalModeOptions {
  config: Config;
  logger: Logger;
  /** Start afresh: the embedded database is emptied first (`npm start -- --reset`). */
  reset?: boolean;
  /** Defaults to the built-in list; tests pass their own. */
  services?: LocalService[];
  scheduleJobs?: BotOptions['scheduleJobs'];
}

export interface RunningLocalMode {
  /** The page, e.g. `http://127.0.0.1:3000/`. */
  url: string;
  port: number;
  bot: RunningBot;
  workspace: LocalWorkspace;
  clock: SimulatedClock;
  moveClock(step: ClockRequest['step']): Promise<string>;
  stop(): Promise<void>;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startLocalMode(options: LocalModeOptions): Promise<RunningLocalMode> {
  const { config, logger } = options;
  const host = config.localWorkspace.host;
  const where = describeConfig(config).database;
  const databaseName =
    where.kind === 'postgres'
      ? `the PostgreSQL database ${where.url}`
      : `the embedded database in ${where.dataDir}`;
  if (options.reset && config.database.kind === 'postgres') {
    throw new StartupError(
      databaseName,
      new Error(
        '--reset only empties the embedded database; to start afresh on PostgreSQL, point DATABASE_URL at a new, empty database',
      ),
    );
  }
  let database: Database;
  try {
    database = createDatabase(config.database);
  } catch (error) {
    throw new StartupError(databaseName, error);
  }
  const started: StartedLocalService[] = [];
  let workspace: LocalWorkspace | null = null;
  try {
    if (options.reset) await emptyEmbeddedDatabase(database);
    await runMigrations(database);
    const clock = new SimulatedClock();
    // Per run, never shown: only this process's bot and workspace know them.
    const botToken = `xoxb-local-${randomBytes(24).toString('hex')}`;
    const signingSecret = randomBytes(32).toString('hex');
    const ctx = {
      db: database.db,
      now: clock.now,
      logger,
      settings: { failoverGapLimit: config.failoverGapLimit.iso },
      outboxChanged: () => {},
      actor: systemActor('local-workspace'),
    };
    const ws = await LocalWorkspace.start({ ctx, clock, logger, botToken });
    workspace = ws;
    for (const service of options.services ?? LOCAL_SERVICES) {
      started.push(await service.start({ workspace: ws, clock, database, logger }));
    }

    let bot: RunningBot | null = null;
    const serviceCtx = () => {
      if (!bot) throw new Error('the bot is still starting');
      return { ...bot.services, actor: systemActor('local-workspace') };
    };
    const moveClock = async (step: ClockRequest['step']): Promise<string> => {
      let moved: string;
      if (step === 'next-reminder') {
        const due = await findNextReminder({ ctx: serviceCtx(), input: {} });
        if (!due) return 'No reminder is pending.';
        clock.advanceTo(due);
        moved = 'to the next reminder';
      } else {
        clock.advance(CLOCK_STEPS[step]);
        moved = `by ${step}`;
      }
      ws.clockMoved();
      // What fell due goes out now, not at the next tick.
      await bot?.scheduler.runNow('send-reminders');
      bot?.drainer.kick();
      return `Clock moved ${moved}: ${clock.now().toFormat("ccc d LLL yyyy HH:mm 'UTC'")}`;
    };
    const front = createFrontDoor({
      workspace: ws,
      logger,
      auditLog: (channelId) => readAuditLog({ ctx: serviceCtx(), input: { channelId } }),
      moveClock,
      sidePanel: started.flatMap((s) => s.sidePanel ?? []),
      extraActions: new Map(started.flatMap((s) => [...(s.actions ?? [])])),
    });
    const localConfig: Config = {
      ...config,
      slack: { mode: 'http', botToken, signingSecret, apiUrl: ws.slack.apiUrl },
      // The simulated appliances are linked as if the appliances file listed them.
      appliances: [...config.appliances, ...started.flatMap((s) => s.appliances ?? [])],
    };
    bot = await startBot({
      config: localConfig,
      logger,
      now: clock.now,
      database,
      scheduleJobs: options.scheduleJobs ?? true,
      serve: async (listener) => {
        const served = await front.listen(host, config.port, listener);
        ws.connect({ eventsUrl: `http://${urlHost(host)}:${served.port}/slack/events`, signingSecret });
        return served;
      },
      beforeDatabaseClose: async () => {
        for (const service of started.reverse()) await service.stop();
        await ws.stop();
      },
    });
    const running = bot;
    const url = `http://${urlHost(host)}:${running.port}/`;
    return {
      url,
      port: running.port,
      bot: running,
      workspace: ws,
      clock,
      moveClock,
      stop: () => running.stop(),
    };
  } catch (error) {
    for (const service of started.reverse()) await service.stop().catch(() => undefined);
    await workspace?.stop().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw error instanceof StartupError ? error : new StartupError('the local workspace', error);
  }
}
