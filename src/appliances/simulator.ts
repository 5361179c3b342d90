// A BeyondTrust appliance on loopback, for the tests and the local workspace: the token endpoint,
// check_health in either namespace (or an <error> root), the Configuration API's paged lists, and
// faults (401, 403, 429, slow, down). Its state is what a test, or the team's clicks, make it.
import { randomBytes, randomUUID } from 'node:crypto';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { FailoverRole } from '../engine/constants.js';

export const NAMESPACES = {
  bomgar: 'http://www.bomgar.com/namespaces/API/command',
  beyondtrust: 'https://www.beyondtrust.com/namespaces/API/command',
} as const;

export interface SimulatedState {
  hostname: string;
  version: string;
  build: string;
  healthy: boolean;
  errorMessage: string | null;
  role: FailoverRole;
  sharedIps: string[];
  lastSyncAt: Date | null;
  lastSyncStatus: string | null;
  namespace: keyof typeof NAMESPACES;
  /** Prefix every element (`<ns:version>`), as some XML writers do. */
  prefixed: boolean;
  jumpClients: { id: number; name: string; needs_update: boolean }[];
  jumpoints: { id: number; name: string; connected: boolean; enabled: boolean }[];
}

export interface SimulatedFaults {
  /** Every API call (not the token endpoint) answers 401 or 403. */
  auth: 'ok' | '401' | '403';
  /** The token endpoint refuses the credentials (invalid_client). */
  badCredentials: boolean;
  /** Answer 429 with this Retry-After (seconds) to this many calls. */
  rateLimited: { retryAfterSeconds: number; times: number } | null;
  /** Wait this long before answering. */
  delayMs: number;
  /** check_health answers an <error> root with this message. */
  commandError: string | null;
  /** Close every connection without an answer. */
  down: boolean;
  /** X-RateLimit-Remaining on the answers that are not 429s (null: 19 of the 20 a second left). */
  remaining: number | null;
}

export interface SimulatorOptions {
  clientId?: string;
  clientSecret?: string;
  /** Milliseconds since the epoch; token expiry follows it (tests pass their fake clock). */
  now?: () => number;
  tokenLifetimeSeconds?: number;
  state?: Partial<SimulatedState>;
  /** Serve https with this key and certificate instead of plain http. */
  tls?: { key: string; cert: string };
}

export interface SimulatorRequest {
  method: string;
  path: string;
  bearer: boolean;
  status: number;
  /** When it was answered, by the simulator's clock (milliseconds since the epoch). */
  at: number;
}

const MAX_VALID_TOKENS = 30;

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export class ApplianceSimulator {
  readonly clientId: string;
  readonly clientSecret: string;
  state: SimulatedState;
  faults: SimulatedFaults = {
    auth: 'ok',
    badCredentials: false,
    rateLimited: null,
    delayMs: 0,
    commandError: null,
    down: false,
    remaining: null,
  };
  /** Runs before every API answer (not the token endpoint): local mode lets the team's steps happen here. */
  beforeAnswer: ((path: string) => Promise<void>) | null = null;
  /** Every request served, without credentials. */
  readonly requests: SimulatorRequest[] = [];
  tokensIssued = 0;
  private valid: { token: string; expiresAt: number }[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly id = randomUUID().replaceAll('-', '');

  private constructor(
    private readonly server: Server,
    private readonly options: SimulatorOptions,
    readonly url: string,
  ) {
    this.clientId = options.clientId ?? 'bot-client';
    this.clientSecret = options.clientSecret ?? randomBytes(16).toString('hex');
    this.state = {
      hostname: 'pra-sim',
      version: '23.3.1',
      build: '4123',
      healthy: true,
      errorMessage: null,
      role: 'none',
      sharedIps: [],
      lastSyncAt: null,
      lastSyncStatus: null,
      namespace: 'beyondtrust',
      prefixed: false,
      jumpClients: [],
      jumpoints: [],
      ...options.state,
    };
  }

  static async start(options: SimulatorOptions = {}): Promise<ApplianceSimulator> {
    let simulator: ApplianceSimulator | null = null;
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      void simulator?.handle(req, res);
    };
    const server = options.tls ? createHttpsServer(options.tls, handler) : createHttpServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    simulator = new ApplianceSimulator(
      server,
      options,
      `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    );
    const tracked = simulator;
    server.on('connection', (socket: Socket) => {
      tracked.sockets.add(socket);
      socket.on('close', () => tracked.sockets.delete(socket));
    });
    server.on('secureConnection', (socket: Socket) => {
      tracked.sockets.add(socket);
      socket.on('close', () => tracked.sockets.delete(socket));
    });
    return simulator;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Changes what the appliance reports. */
  set(changes: Partial<SimulatedState>): void {
    this.state = { ...this.state, ...changes };
  }

  /** `count` Jump Clients, of which `pending` still need to upgrade. */
  setJumpClients(count: number, pending: number): void {
    this.state.jumpClients = Array.from({ length: count }, (_, i) => ({
      id: i + 1,
      name: `jump-client-${i + 1}`,
      needs_update: i < pending,
    }));
  }

  setJumpoints(names: string[], disconnected: string[] = []): void {
    this.state.jumpoints = names.map((name, i) => ({
      id: i + 1,
      name,
      connected: !disconnected.includes(name),
      enabled: true,
    }));
  }

  /** A sync just happened (Sync Now, or the first sync after Establish Relationship). */
  sync(at: Date = new Date(this.now())): void {
    this.state.lastSyncAt = at;
    this.state.lastSyncStatus = 'Success';
  }

  /** Regenerating the API account's secret invalidates every token. */
  revokeTokens(): void {
    this.valid = [];
  }

  apiRequests(): SimulatorRequest[] {
    return this.requests.filter((r) => r.path !== '/oauth2/token');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    if (this.faults.down) {
      req.socket.destroy();
      return;
    }
    if (this.faults.delayMs > 0) await new Promise((r) => setTimeout(r, this.faults.delayMs));
    if (res.destroyed) return;
    const url = new URL(req.url ?? '/', 'http://appliance');
    if (this.beforeAnswer && url.pathname !== '/oauth2/token') {
      await this.beforeAnswer(url.pathname).catch(() => undefined);
    }
    const answer = this.answer(req, url, body);
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      bearer: (req.headers.authorization ?? '').startsWith('Bearer '),
      status: answer.status,
      at: this.now(),
    });
    res.writeHead(answer.status, {
      'X-RateLimit-Limit': '20',
      'X-RateLimit-Remaining': String(this.faults.remaining ?? 19),
      ...answer.headers,
    });
    res.end(answer.body);
  }

  private answer(
    req: IncomingMessage,
    url: URL,
    body: string,
  ): { status: number; headers: Record<string, string>; body: string } {
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => ({
      status,
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(value),
    });
    if (url.pathname === '/oauth2/token' && req.method === 'POST') return this.token(req, body, json);
    const limited = this.faults.rateLimited;
    if (limited && limited.times > 0) {
      limited.times--;
      return json(
        429,
        { error: 'rate_limited', message: 'Too many requests' },
        { 'Retry-After': String(limited.retryAfterSeconds), 'X-RateLimit-Remaining': '0' },
      );
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const now = this.now();
    const known = this.valid.find((t) => t.token === bearer);
    if (!known || known.expiresAt <= now || this.faults.auth === '401') {
      return json(401, { error: 'access_denied', message: 'The access token is invalid or has expired.' });
    }
    if (this.faults.auth === '403') {
      return json(403, { error: 'access_denied', message: 'The API account lacks this permission.' });
    }
    if (url.pathname === '/api/command' && url.searchParams.get('action') === 'check_health') {
      return { status: 200, headers: { 'Content-Type': 'application/xml' }, body: this.healthXml() };
    }
    const list = /^\/api\/config\/v1\/(jump-client|jumpoint)$/.exec(url.pathname)?.[1];
    if (list) {
      const items: unknown[] = list === 'jump-client' ? this.state.jumpClients : this.state.jumpoints;
      const perPage = Math.min(100, Math.max(5, Number(url.searchParams.get('per_page') ?? '100') || 100));
      const page = Math.max(1, Number(url.searchParams.get('current_page') ?? '1') || 1);
      const lastPage = Math.max(1, Math.ceil(items.length / perPage));
      return json(200, items.slice((page - 1) * perPage, page * perPage), {
        'X-BT-Pagination-Current-Page': String(page),
        'X-BT-Pagination-Per-Page': String(perPage),
        'X-BT-Pagination-Last-Page': String(lastPage),
        'X-BT-Pagination-Total': String(items.length),
      });
    }
    return json(404, { error: 'not_found', message: `No route ${url.pathname}` });
  }

  private token(
    req: IncomingMessage,
    body: string,
    json: (
      status: number,
      value: unknown,
    ) => { status: number; headers: Record<string, string>; body: string },
  ) {
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const [id, secret] = Buffer.from(basic, 'base64').toString('utf8').split(':');
    if (new URLSearchParams(body).get('grant_type') !== 'client_credentials') {
      return json(400, { error: 'unsupported_grant_type', message: 'grant_type must be client_credentials' });
    }
    if (this.faults.badCredentials || id !== this.clientId || secret !== this.clientSecret) {
      return json(401, { error: 'invalid_client', message: 'Client authentication failed.' });
    }
    const lifetime = this.options.tokenLifetimeSeconds ?? 3600;
    const token = randomBytes(24).toString('hex');
    this.tokensIssued++;
    const now = this.now();
    this.valid = this.valid.filter((t) => t.expiresAt > now);
    this.valid.push({ token, expiresAt: now + lifetime * 1000 });
    // A 31st token silently invalidates the oldest, as on a real appliance.
    if (this.valid.length > MAX_VALID_TOKENS) this.valid.shift();
    return json(200, { access_token: token, token_type: 'Bearer', expires_in: lifetime });
  }

  private healthXml(): string {
    const ns = NAMESPACES[this.state.namespace];
    const p = this.state.prefixed ? 'ns:' : '';
    const el = (name: string, text: string, attrs = '') =>
      `<${p}${name}${attrs}>${escapeXml(text)}</${p}${name}>`;
    if (this.faults.commandError) {
      return `<?xml version="1.0" encoding="UTF-8"?>\n<${p}error xmlns${p ? ':ns' : ''}="${ns}">${escapeXml(this.faults.commandError)}</${p}error>`;
    }
    const s = this.state;
    const failover = s.role !== 'none';
    const parts = [
      el('appliance', s.hostname, ` id="${this.id}"`),
      el('version', `${s.version} (${s.build})`),
      el('success', s.healthy ? '1' : '0'),
      ...(s.errorMessage ? [el('error_message', s.errorMessage)] : []),
      el('failover_role', s.role),
    ];
    if (failover || s.sharedIps.length > 0) {
      parts.push(
        `<${p}enabled_shared_ips>${s.sharedIps.map((ip) => el('ip', ip)).join('')}</${p}enabled_shared_ips>`,
      );
    }
    if (s.lastSyncAt) {
      parts.push(
        el(
          'last_data_sync_time',
          s.lastSyncAt.toISOString(),
          ` ts="${Math.floor(s.lastSyncAt.getTime() / 1000)}"`,
        ),
        el('last_data_sync_status', s.lastSyncStatus ?? 'Success'),
      );
    }
    return `<?xml version="1.0" encoding="UTF-8"?>\n<${p}health_check xmlns${p ? ':ns' : ''}="${ns}">${parts.join('')}</${p}health_check>`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
