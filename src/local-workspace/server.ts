// The local workspace's HTTP front door: the page, its assets, its live stream and the people's
// actions; /slack/events, /healthz and /readyz go on to the bot (Bolt's own request listener).
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { Logger } from '../logging/logger.js';
import type { AuditLog } from '../services/read-audit-log.js';
import { PAGE_SCRIPT, PAGE_STYLE } from './page/assets.js';
import { fragments, type Location, pageHtml, type SidePanelSection } from './page/page.js';
import { ActionError, type LocalWorkspace } from './workspace.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith('127.');
}

/**
 * The names a page served on loopback is reached by. Any other Host is another site's page whose name
 * was pointed at 127.0.0.1 (DNS rebinding): its requests carry a matching Origin, so only Host tells.
 */
function loopbackHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

/**
 * A page action a simulated service adds under /local/: its body as zod reads it, and what to tell the
 * person once it is done. A body that does not parse, or an ActionError thrown, is answered 400.
 */
export interface ExtraAction {
  body: z.ZodType<unknown>;
  run(body: unknown): Promise<{ message: string }>;
}

/** An ExtraAction whose `run` gets the body its schema parsed. */
export function extraAction<T>(
  body: z.ZodType<T>,
  run: (body: T) => Promise<{ message: string }>,
): ExtraAction {
  return { body, run: (parsed) => run(parsed as T) };
}

export interface FrontDoorOptions {
  workspace: LocalWorkspace;
  logger: Logger;
  /** The audit log of the upgrade in a channel (a bot service). */
  auditLog: (channelId: string) => Promise<AuditLog | null>;
  /** Moves the simulated clock; resolves with what to tell the person. */
  moveClock: (step: ClockRequest['step']) => Promise<string>;
  /** Extra simulated services' controls, drawn in the side panel. */
  sidePanel: SidePanelSection[];
  /** Actions of the simulated services, by path (`/local/…`), guarded and parsed like the page's own. */
  extraActions: Map<string, ExtraAction>;
}

const BOT_PATHS = new Set(['/slack/events', '/healthz', '/readyz']);
const BODY_LIMIT = 256 * 1024;

const personId = z.string().min(1).max(40);
const channelId = z.string().min(1).max(40);
const surface = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('message'), channel: channelId, ts: z.string().min(1).max(40) }),
  z.object({ kind: z.literal('ephemeral'), channel: channelId, id: z.string().min(1).max(80) }),
  z.object({ kind: z.literal('view'), viewId: z.string().min(1).max(40) }),
]);
const requests = {
  command: z.object({ as: personId, channel: channelId, text: z.string().min(1).max(4000) }),
  click: z.object({
    as: personId,
    click: z.object({
      surface,
      blockId: z.string().min(1).max(255),
      actionId: z.string().min(1).max(255),
      option: z.number().int().min(0).max(100).optional(),
    }),
  }),
  submit: z.object({
    as: personId,
    viewId: z.string().min(1).max(40),
    values: z.record(
      z.string().max(255),
      z.record(z.string().max(255), z.union([z.string().max(3000), z.array(z.string().max(150)).max(100)])),
    ),
  }),
  close: z.object({ as: personId, viewId: z.string().min(1).max(40) }),
  home: z.object({ as: personId }),
  membership: z.discriminatedUnion('op', [
    z.object({ as: personId, op: z.literal('join'), channel: channelId }),
    z.object({ as: personId, op: z.literal('leave'), channel: channelId }),
    z.object({ as: personId, op: z.literal('invite'), channel: channelId, user: personId }),
  ]),
  clock: z.object({ as: personId.optional(), step: z.enum(['15m', '1h', '1d', 'next-reminder']) }),
};
export type ClockRequest = z.infer<typeof requests.clock>;

/**
 * The page runs its own script and style only, is framed by no other site (a disguised click would
 * be a real one), and shows images as Slack would, from https.
 */
const PAGE_SECURITY = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' https: data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
};

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...(type.startsWith('text/html') ? PAGE_SECURITY : {}),
  });
  res.end(body);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) throw new ActionError('The request is too large.');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ActionError('The request is not JSON.');
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const first = result.error.issues[0];
    throw new ActionError(
      `Bad request: ${first ? `${first.path.join('.') || 'body'} ${first.message}` : 'invalid'}`,
    );
  }
  return result.data;
}

/**
 * The page has no login, so at least no other web site may act through a visitor's browser: actions
 * must be JSON (a cross-site form cannot send that without the CORS preflight this server never
 * answers) and, when the browser names an origin, come from the page's own.
 */
function refuseCrossSite(req: IncomingMessage): void {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new ActionError('Actions are JSON requests from the page.');
  const origin = req.headers.origin;
  if (origin !== undefined && (!URL.canParse(origin) || new URL(origin).host !== req.headers.host)) {
    throw new ActionError('Actions come from the page itself, not from another site.');
  }
}

/** Turns the page's query (`?as=…&c=…&tab=…`) into a location, falling back to the first teammate in #general. */
export function locate(workspace: LocalWorkspace, params: URLSearchParams): Location {
  const people = workspace.people();
  const as = workspace.person(params.get('as') ?? '') ?? people[0];
  if (!as) throw new Error('the local workspace has no people');
  const wanted = params.get('c');
  const channel =
    wanted === 'home'
      ? null
      : wanted && workspace.slack.channel(wanted)
        ? wanted
        : workspace.generalChannel().id;
  return { as, channel, tab: params.get('tab') === 'audit' && channel !== null ? 'audit' : 'messages' };
}

export function createFrontDoor(options: FrontDoorOptions) {
  const { workspace, logger } = options;

  async function fragmentsFor(location: Location) {
    const audit =
      location.tab === 'audit' && location.channel ? await options.auditLog(location.channel) : null;
    return fragments(workspace, location, audit, options.sidePanel);
  }

  function stream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(`retry: 1000\nevent: hello\ndata: ${workspace.changeVersion}\n\n`);
    // Changes come in bursts (a runbook re-render is many calls): one event per burst is enough.
    let pending: NodeJS.Timeout | null = null;
    const unsubscribe = workspace.subscribe(() => {
      if (pending) return;
      pending = setTimeout(() => {
        pending = null;
        res.write(`event: change\ndata: ${workspace.changeVersion}\n\n`);
      }, 60);
    });
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 25_000);
    req.on('close', () => {
      unsubscribe();
      clearInterval(keepAlive);
      if (pending) clearTimeout(pending);
    });
  }

  async function action(path: string, body: unknown): Promise<unknown> {
    switch (path) {
      case '/local/command': {
        const input = parse(requests.command, body);
        await workspace.command(input.as, input.channel, input.text);
        return { ok: true };
      }
      case '/local/click': {
        const input = parse(requests.click, body);
        await workspace.click(input.as, input.click);
        return { ok: true };
      }
      case '/local/view/submit': {
        const input = parse(requests.submit, body);
        const errors = await workspace.submitView(input.as, input.viewId, input.values);
        return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true };
      }
      case '/local/view/close': {
        const input = parse(requests.close, body);
        workspace.closeModal(input.as, input.viewId);
        return { ok: true };
      }
      case '/local/home': {
        await workspace.openHome(parse(requests.home, body).as);
        return { ok: true };
      }
      case '/local/membership': {
        const input = parse(requests.membership, body);
        if (input.op === 'join') await workspace.join(input.as, input.channel);
        else if (input.op === 'leave') await workspace.leave(input.as, input.channel);
        else await workspace.invite(input.as, input.channel, input.user);
        return { ok: true };
      }
      case '/local/clock': {
        const message = await options.moveClock(parse(requests.clock, body).step);
        return { ok: true, message };
      }
      default:
        return undefined;
    }
  }

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    bot: RequestListener,
    hosts: Set<string> | null,
  ): Promise<void> {
    if (hosts && !hosts.has(req.headers.host ?? '')) {
      json(res, 403, { error: 'This workspace answers on 127.0.0.1 and localhost only.' });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://local');
    if (BOT_PATHS.has(url.pathname)) {
      bot(req, res);
      return;
    }
    if (req.method === 'GET') {
      switch (url.pathname) {
        case '/': {
          const location = locate(workspace, url.searchParams);
          send(res, 200, 'text/html; charset=utf-8', pageHtml(await fragmentsFor(location), location));
          return;
        }
        case '/local/fragments':
          json(res, 200, await fragmentsFor(locate(workspace, url.searchParams)));
          return;
        case '/local/stream':
          stream(req, res);
          return;
        case '/assets/page.js':
          send(res, 200, 'text/javascript; charset=utf-8', PAGE_SCRIPT);
          return;
        case '/assets/page.css':
          send(res, 200, 'text/css; charset=utf-8', PAGE_STYLE);
          return;
        case '/favicon.ico':
          res.writeHead(204).end();
          return;
      }
    }
    if (req.method === 'POST' && url.pathname.startsWith('/local/')) {
      refuseCrossSite(req);
      const extra = options.extraActions.get(url.pathname);
      if (extra) {
        json(res, 200, await extra.run(parse(extra.body, await readJson(req))));
        return;
      }
      const answer = await action(url.pathname, await readJson(req));
      if (answer !== undefined) {
        json(res, 200, answer);
        return;
      }
    }
    json(res, 404, { error: `Nothing at ${req.method} ${url.pathname}` });
  }

  return {
    /** Listens on host:port with the bot's endpoints mounted; resolves with the port and a closer. */
    async listen(
      host: string,
      port: number,
      bot: RequestListener,
    ): Promise<{ port: number; close(): Promise<void> }> {
      // Opened to the network on purpose (LOCAL_WORKSPACE_HOST), it is reached by names of its own.
      let hosts: Set<string> | null = null;
      const server: Server = createServer((req, res) => {
        handle(req, res, bot, hosts).catch((error: unknown) => {
          if (error instanceof ActionError) {
            json(res, 400, { error: error.message });
            return;
          }
          logger.error({ err: error }, 'the local workspace failed to answer');
          if (!res.headersSent) json(res, 500, { error: 'Something went wrong; see the log.' });
        });
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const address = server.address() as AddressInfo;
      if (isLoopback(host)) hosts = loopbackHosts(address.port);
      return {
        port: address.port,
        close: () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      };
    },
  };
}
