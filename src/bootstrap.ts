import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DateTime } from 'luxon';
import { createApplianceClient } from './appliances/client.js';
import { type Config, describeConfig } from './config/env.js';
import { createDatabase, type Database } from './db/client.js';
import { migrationsApplied, runMigrations } from './db/migrate.js';
import { OUTBOX_NOTIFY_CHANNEL, sentByAnother } from './db/repositories/outbox.js';
import { createLogger, type Logger } from './logging/logger.js';
import { OutboxDrainer } from './scheduler/outbox-drainer.js';
import { createScheduler, type Scheduler } from './scheduler/scheduler.js';
import { deliverDirect, deliverUpgrade, findUpgradesToDeliver } from './services/deliver-outbox.js';
import { DELIVERY } from './services/delivery/common.js';
import { beatDeliveryHeart, retireDeliveryOwner, timeUntilNextDelivery } from './services/delivery-owner.js';
import type { DeliveryPorts } from './services/ports/delivery.js';
import { recordFailure } from './services/record-failure.js';
import { type ServiceDeps, systemActor } from './services/shared/context.js';
import { createSlackApp, type Serve } from './slack/app.js';
import { createRenderer } from './slack/blocks/renderer.js';
import { createGateway } from './slack/gateway.js';
import { ACK_BUDGET_MS } from './slack/listeners/context.js';
import { InFlight } from './slack/listeners/in-flight.js';
import {
  type HoldNotificationFailure,
  hearingOthersHolds,
  RetryAfterHolds,
  SLACK_HOLDS_NOTIFY_CHANNEL,
  tellingOthersOfHolds,
} from './slack/retry-after.js';

export interface BotOptions {
  config: Config;
  /** The clock; tests pass a fake one. */
  now?: () => DateTime;
  logger?: Logger;
  /** Run the scheduled jobs on their cron ticks (off in tests that drive time themselves). */
  scheduleJobs?: boolean;
  /** Web API call timeout (tests of lost answers shorten it). */
  slackCallTimeoutMs?: number;
  /** A database already opened and migrated (the local workspace keeps its state there too). */
  database?: Database;
  /** Serve Bolt's endpoints on the caller's server (HTTP mode; the local workspace's page shares it). */
  serve?: Serve;
  /** Runs on stop once no work is left, right before the database closes. */
  beforeDatabaseClose?: () => Promise<void>;
}

export interface RunningBot {
  port: number;
  database: Database;
  services: ServiceDeps;
  drainer: OutboxDrainer;
  scheduler: Scheduler;
  /** Listener work still running after its ack. */
  inFlight: InFlight;
  /** Slack's Retry-After as this process knows it, its own 429s and those other processes told. */
  slackHolds: RetryAfterHolds;
  /** Stops taking work, finishes what is in flight, closes the database. */
  stop(): Promise<void>;
}

/** Start-up failed on one of the bot's dependencies; the message names which one. */
export class StartupError extends Error {
  constructor(what: string, cause: unknown) {
    super(`could not use ${what}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StartupError';
  }
}

function failingAs<T>(what: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw new StartupError(what, error);
  }
}

/** The composition root: config → database (migrated) → services → Slack and scheduler → listening. */
export async function startBot(options: BotOptions): Promise<RunningBot> {
  const { config } = options;
  const logger = options.logger ?? createLogger({ level: config.logLevel, production: config.production });
  const now = options.now ?? (() => DateTime.utc());
  const where = describeConfig(config);
  const databaseName =
    where.database.kind === 'postgres'
      ? `the PostgreSQL database ${where.database.url}`
      : `the embedded database in ${where.database.dataDir}`;
  // Names this process's connections (its own notifications come back to it and are passed by) and,
  // with the same instance id, its delivery claims: a stuck claim is matched with its sessions.
  const instance = randomUUID().slice(0, 8);
  const processName = `pra-upgrade ${process.pid} ${instance}`;
  const ownDatabase = (poolSize?: number) =>
    createDatabase(
      config.database.kind === 'postgres'
        ? { ...config.database, applicationName: processName, ...(poolSize ? { poolSize } : {}) }
        : config.database,
    );
  const database = options.database ?? failingAs(databaseName, () => ownDatabase());
  if (!options.database) {
    try {
      await runMigrations(database);
    } catch (error) {
      await database.close().catch(() => undefined);
      throw new StartupError(databaseName, error);
    }
  }

  let drainer: OutboxDrainer | null = null;
  const inFlight = new InFlight();
  const services: ServiceDeps = {
    db: database.db,
    now,
    logger,
    settings: { failoverGapLimit: config.failoverGapLimit.iso },
    outboxChanged: () => drainer?.kick(),
    ...(config.appliances.length > 0
      ? { appliances: createApplianceClient(config.appliances, { now: () => now().toMillis() }) }
      : {}),
  };
  const slack = createSlackApp({
    config,
    logger,
    listeners: {
      services,
      logger,
      defaultTimezone: config.defaultTimezone,
      inFlight,
      ackBudgetMs: ACK_BUDGET_MS,
    },
    ready: () => migrationsApplied(database).catch(() => false),
    ...(options.slackCallTimeoutMs ? { callTimeoutMs: options.slackCallTimeoutMs } : {}),
  });
  // Slack's pauses are kept on the service clock, like every retry time of the outbox. On PostgreSQL
  // a 429 is told to the other processes too: Slack's limits count for the app, not for one process.
  const shareHolds = database.postgres;
  const serviceClock = () => now().toMillis();
  // Nothing is lost, a notification that failed either: logged, and kept in audit_events.
  const holdNotificationFailed = ({ reason, ...about }: HoldNotificationFailure) => {
    logger.warn({ reason, ...about }, 'a Slack hold notification between the processes failed');
    recordFailure({
      ctx: { ...services, actor: systemActor('slack-holds') },
      input: {
        upgradeId: null,
        action: 'notification-failed',
        error: reason,
        detail: { channel: SLACK_HOLDS_NOTIFY_CHANNEL, process: processName, ...about },
      },
    }).catch((error: unknown) => logger.warn({ err: error }, 'could not audit a failed hold notification'));
  };
  const slackHolds = new RetryAfterHolds(
    serviceClock,
    shareHolds
      ? tellingOthersOfHolds(
          (payload) => shareHolds.notify(SLACK_HOLDS_NOTIFY_CHANNEL, payload),
          processName,
          serviceClock,
          holdNotificationFailed,
        )
      : undefined,
  );
  const ports: DeliveryPorts = {
    gateway: createGateway(slack.app.client, slack.botUserId, config.slack.apiUrl, slackHolds),
    renderer: createRenderer(),
  };
  // This process's name as a delivery owner: its claims are its own while its heartbeat goes on.
  const ownerId = `${hostname()}:${process.pid}:${instance}`;
  const outboxCtx = { ...services, actor: systemActor('outbox') };
  // The direct lane's own connections: a reply's claim and mark never queue behind clicks for the pool.
  const replyDatabase =
    config.database.kind === 'postgres' && !options.database ? ownDatabase(DELIVERY.replyConnections) : null;
  const directCtx = replyDatabase ? { ...outboxCtx, db: replyDatabase.db } : outboxCtx;
  const closeReplyDatabase = () => replyDatabase?.close().catch(() => undefined);
  drainer = new OutboxDrainer(
    {
      deliverDirect: () => deliverDirect({ ctx: directCtx, input: { ownerId, ports } }),
      findUpgrades: (limit, exclude) =>
        findUpgradesToDeliver({ ctx: outboxCtx, input: { ownerId, limit, exclude } }),
      deliverUpgrade: (upgradeId, shouldStop) =>
        deliverUpgrade({ ctx: outboxCtx, input: { ownerId, ports, upgradeId, shouldStop } }),
      nextDueInMs: () => timeUntilNextDelivery({ ctx: outboxCtx, input: {} }),
      // The embedded database serves one process only: whatever another owner left claimed is ours at once.
      heartbeat: (first) =>
        beatDeliveryHeart({
          ctx: outboxCtx,
          input: { ownerId, onlyProcess: database.kind === 'pglite', first },
        }),
    },
    {
      concurrency: config.deliveryConcurrency,
      heartbeatMs: DELIVERY.heartbeatSeconds * 1000,
      maxSleepMs: DELIVERY.ownerStaleSeconds * 1000,
    },
    logger,
  );
  const activeDrainer = drainer;
  await activeDrainer.start();
  // Other processes announce new deliveries, freed upgrades and Slack's 429s; PGlite has only this process.
  const listens: { unlisten(): Promise<void> }[] = [];
  const unlistenAll = async () => {
    for (const listen of listens.splice(0)) await listen.unlisten().catch(() => undefined);
  };
  // A start that fails past this point stops what it started, so the process can exit cleanly.
  const abandonStart = async () => {
    await activeDrainer.stop();
    await unlistenAll();
    await closeReplyDatabase();
    await database.close().catch(() => undefined);
  };
  if (database.postgres) {
    try {
      listens.push(
        await database.postgres.listen(OUTBOX_NOTIFY_CHANNEL, (payload) => {
          // This process kicked itself when it committed; a database handed in is nobody's in particular.
          if (sentByAnother(payload, options.database ? null : processName)) activeDrainer.kickFromAnother();
        }),
        await database.postgres.listen(
          SLACK_HOLDS_NOTIFY_CHANNEL,
          hearingOthersHolds(slackHolds, processName, serviceClock, holdNotificationFailed),
        ),
      );
    } catch (error) {
      await abandonStart();
      throw new StartupError(`PostgreSQL's notifications (LISTEN) on ${databaseName}`, error);
    }
  }
  const scheduler = createScheduler({
    services,
    logger,
    drainer,
    enabled: options.scheduleJobs ?? true,
    config,
  });

  let port: number;
  try {
    port = await slack.start(options.serve);
  } catch (error) {
    await abandonStart();
    throw new StartupError(`the Slack Web API at ${config.slack.apiUrl} (or port ${config.port})`, error);
  }
  scheduler.start();
  drainer.kick();
  logger.info({ port, mode: config.slack.mode, database: database.kind }, 'pra-upgrade is running');

  const running: RunningBot = {
    port,
    database,
    services,
    drainer,
    scheduler,
    inFlight,
    slackHolds,
    async stop() {
      await slack
        .stop()
        .catch((error: unknown) => logger.warn({ err: error }, 'stopping the Slack receiver failed'));
      await inFlight.idle();
      // The drainer first: the delivery in progress finishes, and the scheduler's outbox job stops waiting.
      await drainer?.stop();
      await unlistenAll();
      await retireDeliveryOwner({ ctx: outboxCtx, input: { ownerId } }).catch((error: unknown) =>
        logger.warn({ err: error }, 'could not hand back this process’s deliveries'),
      );
      await scheduler.stop();
      await options
        .beforeDatabaseClose?.()
        .catch((error: unknown) => logger.warn({ err: error }, 'a stop hook failed'));
      await closeReplyDatabase();
      await database.close();
      logger.info('pra-upgrade stopped');
    },
  };
  return running;
}
