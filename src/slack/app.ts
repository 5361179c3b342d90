import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, type LogLevel, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { Config } from '../config/env.js';
import { type Logger, toBoltLogger } from '../logging/logger.js';
import type { ListenerDeps } from './listeners/context.js';
import { register } from './listeners/index.js';
import { reportMalformedBody } from './listeners/malformed.js';
import { guardReceiver } from './request-guard.js';

export interface SlackAppOptions {
  config: Config;
  /** How long a Web API call may take before it counts as failed (its outcome unknown); 10 s unless a test says. */
  callTimeoutMs?: number;
  listeners: ListenerDeps;
  logger: Logger;
  /** `/readyz`: the database is reachable and migrated. */
  ready: () => Promise<boolean>;
}

/** Serves Bolt's request listener on a server of the caller's making; resolves with its port. */
export type Serve = (boltListener: RequestListener) => Promise<{ port: number; close(): Promise<void> }>;

export interface SlackApp {
  app: App;
  botUserId: () => string | undefined;
  /**
   * Starts listening; resolves with the HTTP port. With `serve` (HTTP mode only) Bolt's endpoints
   * are handed to that server instead of one of Bolt's own: the local workspace shares its port.
   */
  start(serve?: Serve): Promise<number>;
  stop(): Promise<void>;
}

const EVENTS_ENDPOINT = '/slack/events';
/** `/readyz` answers within a second, also when the database hangs. */
const READY_TIMEOUT_MS = 800;

type RouteResponse = {
  writeHead(status: number, headers: Record<string, string>): void;
  end(body: string): void;
};

function json(res: RouteResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * Bolt in HTTP mode (`POST /slack/events`, signatures always verified) or in Socket Mode when an app
 * token is set; both serve `/healthz` and `/readyz`. Web API retries are off: the outbox retries,
 * honouring Retry-After, and records every failure.
 */
export function createSlackApp({
  config,
  listeners,
  logger,
  ready,
  callTimeoutMs = 10_000,
}: SlackAppOptions): SlackApp {
  const { slack } = config;
  if (slack.mode === 'none' || !slack.botToken) throw new Error('a Slack bot token is required');
  const customRoutes = [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req: unknown, res: RouteResponse) => json(res, 200, { status: 'ok' }),
    },
    {
      path: '/readyz',
      method: ['GET'],
      handler: (_req: unknown, res: RouteResponse) => {
        // A database that does not answer is as unready as one that refuses: say so within a second.
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), READY_TIMEOUT_MS);
        });
        Promise.race([ready(), timedOut])
          .then((answer) => {
            if (answer === 'timeout') json(res, 503, { status: 'database not answering' });
            else json(res, answer ? 200 : 503, { status: answer ? 'ready' : 'database not ready' });
          })
          .catch(() => json(res, 503, { status: 'database unreachable' }))
          .finally(() => clearTimeout(timer));
      },
    },
  ];
  const boltLogger = toBoltLogger(logger);
  let receiver: Receiver;
  if (slack.mode === 'socket' && slack.appToken) {
    receiver = new SocketModeReceiver({
      appToken: slack.appToken,
      logger: boltLogger,
      customRoutes,
      installerOptions: { port: config.port },
    });
  } else {
    if (!slack.signingSecret) throw new Error('SLACK_SIGNING_SECRET is required in HTTP mode');
    const http = new HTTPReceiver({
      signingSecret: slack.signingSecret,
      endpoints: EVENTS_ENDPOINT,
      // Events are acknowledged by Bolt itself: the HTTP answer waits until their listener returned.
      processBeforeResponse: true,
      customRoutes,
      logger: boltLogger,
    });
    guardReceiver(http, {
      endpoint: EVENTS_ENDPOINT,
      signingSecret: slack.signingSecret,
      slackApiUrl: slack.apiUrl,
      onMalformed: (report) => reportMalformedBody(listeners, report),
      onError: (error) => logger.error({ err: error }, 'the Slack receiver failed on a request'),
    });
    receiver = http;
  }
  const app = new App({
    token: slack.botToken,
    receiver,
    logger: boltLogger,
    logLevel: config.logLevel as LogLevel,
    deferInitialization: true,
    // The bot keeps no conversation state in Bolt: its default store throws (and builds) an Error
    // for every request whose conversation it has never seen, which is every click.
    convoStore: false,
    clientOptions: {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: callTimeoutMs,
    },
  });
  app.error(async (error) => {
    logger.error({ err: error }, 'unhandled error in a Slack listener');
  });
  register(app, listeners);
  let botUserId: string | undefined;
  let ownServer: { close(): Promise<void> } | null = null;

  return {
    app,
    botUserId: () => botUserId,
    async start(serve) {
      await app.init();
      const auth = await app.client.auth.test();
      botUserId = auth.user_id;
      if (serve && receiver instanceof HTTPReceiver) {
        const http = receiver;
        const served = await serve((req: IncomingMessage, res: ServerResponse) =>
          http.requestListener(req, res),
        );
        ownServer = served;
        return served.port;
      }
      const started = (await app.start(config.port)) as unknown;
      const address = (started as Partial<Server> | undefined)?.address?.();
      return address && typeof address === 'object' ? (address as AddressInfo).port : config.port;
    },
    async stop() {
      if (ownServer) await ownServer.close();
      else await app.stop();
    },
  };
}
