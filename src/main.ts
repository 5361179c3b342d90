// `npm start`: parse the environment, then run the bot until SIGTERM or SIGINT.
import { existsSync } from 'node:fs';
import { startBot } from './bootstrap.js';
import { ConfigError, describeConfig, loadConfig } from './config/env.js';
import { isLoopback } from './local-workspace/server.js';
import { startLocalMode } from './local-workspace/start.js';
import { createLogger } from './logging/logger.js';
import { guardProcess } from './process-guard.js';
import { recordFailure } from './services/record-failure.js';
import { systemActor } from './services/shared/context.js';

async function main(): Promise<void> {
  // A .env file in the working directory is read if there is one; the real environment wins.
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exitCode = 78;
      return;
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, production: config.production });
  logger.info({ config: describeConfig(config) }, 'starting');
  let bot: { stop(): Promise<void> };
  if (config.slack.mode === 'none') {
    // No Slack token: the whole bot runs against the local workspace this process serves.
    const host = config.localWorkspace.host;
    if (!isLoopback(host)) {
      logger.warn(
        { host },
        'the local workspace listens beyond loopback: its page has no login, anyone who reaches it acts as any teammate',
      );
    }
    const local = await startLocalMode({ config, logger, reset: process.argv.includes('--reset') });
    bot = local;
    console.log(`pra-upgrade is running without Slack, in a local workspace: open ${local.url}`);
  } else {
    const running = await startBot({ config, logger });
    bot = running;
    guardProcess(logger, (kind, error) =>
      recordFailure({
        ctx: { ...running.services, actor: systemActor('process') },
        input: {
          upgradeId: null,
          action: 'listener-failed',
          error: error instanceof Error ? error.message : String(error),
          detail: { kind },
        },
      }),
    );
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    bot.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error('pra-upgrade could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
