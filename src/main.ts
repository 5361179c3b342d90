// `npm start`: parse the environment, then run the bot until SIGTERM or SIGINT.
import { existsSync } from 'node:fs';
import { startBot } from './bootstrap.js';
import { ConfigError, describeConfig, loadConfig } from './config/env.js';
import { createLogger } from './logging/logger.js';
import { guardProcess } from './process-guard.js';
import { recordFailure } from './services/record-failure.js';
import { systemActor } from './services/shared/context.js';

const NO_SLACK_APP = `pra-upgrade needs a Slack app to talk to.

  1. Create one at https://api.slack.com/apps → "Create New App" → "From an app manifest",
     and paste manifest.yml from this repository.
  2. Socket Mode (no public URL needed): under "Basic Information" create an app-level token with
     connections:write, then install the app to the workspace and set
         SLACK_BOT_TOKEN=xoxb-…   SLACK_APP_TOKEN=xapp-…
     HTTP mode: set request URLs to https://YOUR-HOST/slack/events, then set
         SLACK_BOT_TOKEN=xoxb-…   SLACK_SIGNING_SECRET=…
  3. Run npm start again.

To try it without Slack, run the tests (npm test) or the walk-through: npm run demo
`;

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
  if (config.slack.mode === 'none') {
    console.error(NO_SLACK_APP);
    process.exitCode = 78;
    return;
  }
  const logger = createLogger({ level: config.logLevel, production: config.production });
  logger.info({ config: describeConfig(config) }, 'starting');
  const bot = await startBot({ config, logger });
  guardProcess(logger, (kind, error) =>
    recordFailure({
      ctx: { ...bot.services, actor: systemActor('process') },
      input: {
        upgradeId: null,
        action: 'listener-failed',
        error: error instanceof Error ? error.message : String(error),
        detail: { kind },
      },
    }),
  );
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
