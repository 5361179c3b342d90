/**
 * A fake Slack Web API server on loopback.
 *
 * Why it exists: the app must be tested against Slack's real behaviour — its error codes, its
 * limits, 429s with `Retry-After`, 5xx outages — without a workspace. The app points
 * `clientOptions.slackApiUrl` at `apiUrl`, so every Web API call arrives here as
 * `POST /api/<method>`; the fake keeps a small model of the workspace, answers with Slack's
 * shapes, records every call, and fails on demand (`injectFault`).
 *
 * It has no test-framework dependency so the local playground and the demo can run it too.
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { BLOCK_KIT_LIMITS, type BlocksProblem, checkBlocks } from './block-kit-limits.js';
import { FAKE_SLACK_DEFAULTS } from './defaults.js';
import { RateLimitModel } from './rate-limits.js';
import { parseApiArgs, parseResponseUrlBody, readBody } from './request-body.js';
import type {
  FakeBookmark,
  FakeChannel,
  FakeEphemeral,
  FakeMessage,
  FakeSlackOptions,
  FakeSlackState,
  FakeSlackUserInput,
  FakeUser,
  FakeView,
  FaultSpec,
  RecordedCall,
  RecordedResponse,
  WaitForOptions,
} from './types.js';
import { argBool, argList, argString, isRecord, type JsonObject, textLength } from './values.js';
import { waitFor } from './wait-for.js';

export type * from './types.js';
export type { JsonObject } from './values.js';
export { waitFor } from './wait-for.js';

// ---------------------------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------------------------

interface Reply {
  status: number;
  body: JsonObject;
  headers?: Record<string, string>;
}

interface QueuedFault {
  fault: FaultSpec;
  remaining: number;
}

interface ResponseUrlState {
  uses: number;
  expiresAt: number;
}

/** Slack allows 5 posts to a response_url within 30 minutes. */
const RESPONSE_URL_MAX_USES = 5;
const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;
/**
 * Text limits. Slack truncates a posted text past 40,000 characters; the fake refuses it with
 * `msg_too_long` instead so the loss is noticed. `chat.update` refuses past 4,000, like Slack.
 */
const POST_TEXT_LIMIT = 40_000;
const UPDATE_TEXT_LIMIT = 4_000;
const TOPIC_LIMIT = 250;
const CHANNEL_NAME_LIMIT = 80;
const VIEW_TITLE_LIMIT = 24;
const CALLBACK_ID_LIMIT = 255;
const PRIVATE_METADATA_LIMIT = 3000;

/** Orders Slack timestamps (`seconds.micros`) as numbers would, without losing precision. */
function compareTs(a: string, b: string): number {
  const [aSeconds = '', aMicros = ''] = a.split('.');
  const [bSeconds = '', bMicros = ''] = b.split('.');
  return Number(aSeconds) - Number(bSeconds) || Number(aMicros) - Number(bMicros);
}

function fail(error: string, extra: JsonObject = {}): JsonObject {
  return { ok: false, error, ...extra };
}

function blocksFailure(found: BlocksProblem, error: string = found.error): JsonObject {
  return fail(error, { response_metadata: { messages: [found.message] } });
}

function invalidArguments(detail: string, pointer: string): JsonObject {
  return fail('invalid_arguments', {
    response_metadata: { messages: [`[ERROR] ${detail} [json-pointer:${pointer}]`] },
  });
}

function isFailure(fault: FaultSpec): boolean {
  return (
    fault.error !== undefined ||
    fault.retryAfter !== undefined ||
    (fault.status !== undefined && fault.status !== 200)
  );
}

/** Error codes Slack pairs with HTTP failures, so an `ok:false` body still reads plausibly. */
function errorForStatus(status: number): string {
  if (status === 429) return 'ratelimited';
  if (status === 503) return 'service_unavailable';
  if (status === 408 || status === 504) return 'request_timeout';
  if (status >= 500) return 'internal_error';
  return 'fatal_error';
}

function faultReply(fault: FaultSpec, statusForErrorOnly: number): Reply {
  if (fault.retryAfter !== undefined) {
    return {
      status: 429,
      headers: { 'retry-after': String(fault.retryAfter) },
      body: fail(fault.error ?? 'ratelimited'),
    };
  }
  if (fault.status !== undefined && fault.status !== 200) {
    return { status: fault.status, body: fail(fault.error ?? errorForStatus(fault.status)) };
  }
  return { status: fault.status ?? statusForErrorOnly, body: fail(fault.error ?? 'fatal_error') };
}

function send(response: ServerResponse, reply: Reply): void {
  if (response.headersSent || response.destroyed) return;
  const payload = JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...reply.headers,
  });
  response.end(payload);
}

function bearerToken(request: IncomingMessage, args: JsonObject): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return typeof args.token === 'string' ? args.token : undefined;
}

/** Offset in seconds of `timeZone` at `at`, as Slack's `tz_offset`. Throws on an unknown zone. */
function tzOffsetSeconds(timeZone: string, at: Date): number {
  const label =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(label);
  if (!match) return 0;
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60;
  return match[1] === '-' ? -seconds : seconds;
}

function tzLabel(timeZone: string, at: Date): string {
  return (
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'long' })
      .formatToParts(at)
      .find((part) => part.type === 'timeZoneName')?.value ?? timeZone
  );
}

/** A Web API method added with `defineMethod`: returns the JSON body to answer (with `ok`). */
export type MethodHandler = (args: JsonObject, fake: FakeSlack) => JsonObject;

/**
 * Slack's channel-name rules. An empty name answers `invalid_name` (the project's contract; Slack's
 * reference also lists `invalid_name_required` for it).
 */
function channelNameError(name: string): string | undefined {
  if (name.length === 0) return 'invalid_name';
  if (name.length > CHANNEL_NAME_LIMIT) return 'invalid_name_maxlength';
  if (!/^[a-z0-9_-]+$/.test(name)) return 'invalid_name_specials';
  if (/^[-_]+$/.test(name)) return 'invalid_name_punctuation';
  return undefined;
}

function toUser(input: FakeSlackUserInput): FakeUser {
  const tz = input.tz ?? 'UTC';
  tzOffsetSeconds(tz, new Date()); // throws RangeError on an unknown zone
  return {
    id: input.id,
    name: input.name,
    real_name: input.real_name ?? input.name,
    tz,
    is_bot: input.is_bot ?? false,
  };
}

// ---------------------------------------------------------------------------------------------
// The fake
// ---------------------------------------------------------------------------------------------

export class FakeSlack {
  /** Base URL, e.g. `http://127.0.0.1:PORT/`. */
  readonly url: string;
  /** What the app uses as `slackApiUrl`: `${url}api/`. */
  readonly apiUrl: string;
  readonly botToken: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly botName: string;
  readonly teamId: string;
  readonly teamName: string;
  readonly teamDomain: string;
  readonly apiAppId: string;

  /** Every Web API call and response_url post, in arrival order (faulted ones included). */
  readonly calls: RecordedCall[] = [];
  /** Accepted posts to response URLs (refused ones are only in `calls`). */
  readonly responses: RecordedResponse[] = [];

  private readonly server: Server;
  /** Aborted on `stop()` so delayed answers do not outlive the server. */
  private readonly lifetime = new AbortController();
  private stopped = false;
  private readonly seedUsers: FakeUser[];
  private readonly methods = new Map<string, MethodHandler>();

  // Workspace state, cleared by reset(). Counters are never reset so IDs are never reused.
  private readonly users = new Map<string, FakeUser>();
  private readonly channels = new Map<string, FakeChannel>();
  private readonly messagesByChannel = new Map<string, FakeMessage[]>();
  private readonly pinsByChannel = new Map<string, string[]>();
  private readonly bookmarksByChannel = new Map<string, FakeBookmark[]>();
  private readonly ephemeralMessages: FakeEphemeral[] = [];
  private readonly viewsById = new Map<string, FakeView>();
  private readonly homeViewIds = new Map<string, string>();
  private readonly modalIds: string[] = [];
  private readonly usedTriggerIds = new Set<string>();
  private readonly responseUrls = new Map<string, ResponseUrlState>();
  private readonly faults = new Map<string, QueuedFault[]>();
  private sequence = 0;
  private idTag = randomBytes(2).toString('hex').toUpperCase();
  private lastTsMicros = 0;
  private readonly latencyMs: number;
  /** Slack's published limits, enforced while set (from `rateLimits: true`, or set later). */
  rateLimits: RateLimitModel | null;
  /** Milliseconds since the epoch: the real clock unless the options bring a simulated one. */
  private readonly clock: () => number;
  private readonly callHistoryLimit: number;
  private readonly callListeners = new Set<(call: RecordedCall) => void>();

  private constructor(server: Server, url: string, options: FakeSlackOptions) {
    this.server = server;
    // Every delayed answer listens on this signal while it waits: a burst of slow calls is not a leak.
    setMaxListeners(0, this.lifetime.signal);
    this.url = url;
    this.clock = options.clock ?? Date.now;
    this.callHistoryLimit = options.callHistoryLimit ?? Number.POSITIVE_INFINITY;
    this.apiUrl = `${url}api/`;
    this.botToken = options.botToken ?? FAKE_SLACK_DEFAULTS.botToken;
    this.botUserId = options.botUserId ?? FAKE_SLACK_DEFAULTS.botUserId;
    this.botId = options.botId ?? FAKE_SLACK_DEFAULTS.botId;
    this.botName = options.botName ?? FAKE_SLACK_DEFAULTS.botName;
    this.teamId = options.teamId ?? FAKE_SLACK_DEFAULTS.teamId;
    this.teamName = options.teamName ?? FAKE_SLACK_DEFAULTS.teamName;
    this.teamDomain = options.teamDomain ?? FAKE_SLACK_DEFAULTS.teamDomain;
    this.apiAppId = options.apiAppId ?? FAKE_SLACK_DEFAULTS.apiAppId;
    this.seedUsers = [
      toUser({ id: this.botUserId, name: this.botName, is_bot: true }),
      ...(options.users ?? []).map(toUser),
    ];
    this.latencyMs = options.latencyMs ?? 0;
    this.rateLimits = options.rateLimits ? new RateLimitModel() : null;
    this.registerBuiltInMethods();
    this.reset();
  }

  /** Starts the server and resolves once it listens. */
  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    const host = options.host ?? '127.0.0.1';
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    if (address === null || typeof address === 'string') {
      server.close();
      throw new Error('FakeSlack: the server has no TCP address');
    }
    const urlHost = host.includes(':') ? `[${host}]` : host;
    const fake = new FakeSlack(server, `http://${urlHost}:${address.port}/`, options);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      void fake.handle(request, response);
    });
    return fake;
  }

  /** Closes the server and drops open connections (keep-alive ones included). Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.lifetime.abort();
    const closed = new Promise<void>((resolve) => {
      this.server.close(() => resolve());
    });
    this.server.closeAllConnections();
    await closed;
  }

  // ----- set-up ----------------------------------------------------------------------------

  /** Adds (or replaces) a workspace member. */
  addUser(input: FakeSlackUserInput): FakeUser {
    const user = toUser(input);
    this.users.set(user.id, user);
    return user;
  }

  /**
   * Adds a channel as if someone else had created it. The bot is a member only if listed, which is
   * how tests stage `not_in_channel`. Throws on an invalid or taken name.
   */
  addChannel(input: {
    name: string;
    is_private?: boolean;
    members?: string[];
    creator?: string;
  }): FakeChannel {
    const invalid = channelNameError(input.name);
    if (invalid) throw new Error(`FakeSlack.addChannel: ${invalid} (${JSON.stringify(input.name)})`);
    if (this.channelByName(input.name)) throw new Error(`FakeSlack.addChannel: name_taken (${input.name})`);
    const members = input.members ?? [];
    return this.createChannel(
      input.name,
      input.is_private ?? false,
      input.creator ?? members[0] ?? this.botUserId,
      members,
    );
  }

  /**
   * Adds or replaces a Web API method (or overrides a built-in one). The handler returns the JSON
   * body; calls to it are authenticated, recorded and subject to faults like any other.
   */
  defineMethod(method: string, handler: MethodHandler): void {
    this.methods.set(method, handler);
  }

  /** A fresh response URL (`${url}respond/<id>`), usable 5 times within 30 minutes, like Slack's. */
  createResponseUrl(): string {
    const id = randomBytes(12).toString('hex');
    this.responseUrls.set(id, { uses: 0, expiresAt: this.clock() + RESPONSE_URL_TTL_MS });
    return `${this.url}respond/${id}`;
  }

  /**
   * Makes the next `times` calls to `method` fail. `method` is a Web API method, `'*'` for any Web
   * API method, or `'response_url'`. Faults queue per method, first in first out. A failed call is
   * recorded with its status and changes no state.
   */
  injectFault(method: string, fault: FaultSpec): void {
    const times = fault.times ?? 1;
    if (!(times >= 1)) throw new RangeError('FakeSlack.injectFault: times must be at least 1');
    if (
      fault.error === undefined &&
      fault.status === undefined &&
      fault.retryAfter === undefined &&
      fault.delayMs === undefined &&
      fault.answerDelayMs === undefined
    ) {
      throw new TypeError(
        'FakeSlack.injectFault: give at least one of error, status, retryAfter, delayMs, answerDelayMs',
      );
    }
    const queue = this.faults.get(method) ?? [];
    queue.push({ fault: { ...fault }, remaining: times });
    this.faults.set(method, queue);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Forgets recorded calls and responses; keeps the workspace. */
  clearCalls(): void {
    this.calls.length = 0;
    this.responses.length = 0;
  }

  /**
   * Back to the state right after `start()`: seeded users only, no channels, messages, views,
   * response URLs, faults or recorded calls. Options and `defineMethod` handlers stay.
   */
  reset(): void {
    this.clearCalls();
    this.clearFaults();
    this.users.clear();
    for (const user of this.seedUsers) this.users.set(user.id, { ...user });
    this.channels.clear();
    this.messagesByChannel.clear();
    this.pinsByChannel.clear();
    this.bookmarksByChannel.clear();
    this.ephemeralMessages.length = 0;
    this.viewsById.clear();
    this.homeViewIds.clear();
    this.modalIds.length = 0;
    this.usedTriggerIds.clear();
    this.responseUrls.clear();
  }

  // ----- inspection ------------------------------------------------------------------------

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  user(id: string): FakeUser | undefined {
    return this.users.get(id);
  }

  channel(id: string): FakeChannel | undefined {
    return this.channels.get(id);
  }

  /** Every channel and direct message, in creation order. */
  allChannels(): FakeChannel[] {
    return [...this.channels.values()];
  }

  channelByName(name: string): FakeChannel | undefined {
    const bare = name.startsWith('#') ? name.slice(1) : name;
    for (const channel of this.channels.values()) if (!channel.is_im && channel.name === bare) return channel;
    return undefined;
  }

  /** Messages of a channel, oldest first (thread replies included, with `thread_ts`). */
  messages(channelId: string): FakeMessage[] {
    return [...(this.messagesByChannel.get(channelId) ?? [])];
  }

  message(channelId: string, ts: string): FakeMessage | undefined {
    return this.messagesByChannel.get(channelId)?.find((message) => message.ts === ts);
  }

  ephemerals(channelId?: string): FakeEphemeral[] {
    return this.ephemeralMessages.filter(
      (message) => channelId === undefined || message.channel === channelId,
    );
  }

  /** Timestamps of pinned messages, in pin order. */
  pins(channelId: string): string[] {
    return [...(this.pinsByChannel.get(channelId) ?? [])];
  }

  bookmarks(channelId: string): FakeBookmark[] {
    return [...(this.bookmarksByChannel.get(channelId) ?? [])];
  }

  /** The Home tab last published for a user. */
  homeView(userId: string): FakeView | undefined {
    const id = this.homeViewIds.get(userId);
    return id === undefined ? undefined : this.viewsById.get(id);
  }

  /** Modals opened with `views.open`, in opening order, each in its latest (updated) version. */
  openedViews(): FakeView[] {
    return this.modalIds.flatMap((id) => this.viewsById.get(id) ?? []);
  }

  view(id: string): FakeView | undefined {
    return this.viewsById.get(id);
  }

  /**
   * Calls `listener` after every recorded call (faulted and refused ones included), once the
   * workspace has changed; returns the function that unsubscribes. The local workspace persists
   * and pushes live updates from here.
   */
  onCall(listener: (call: RecordedCall) => void): () => void {
    this.callListeners.add(listener);
    return () => this.callListeners.delete(listener);
  }

  /** Forgets a modal, as Slack does when the person closes it or a submission closes it. */
  closeView(id: string): boolean {
    const index = this.modalIds.indexOf(id);
    if (index === -1) return false;
    this.modalIds.splice(index, 1);
    this.viewsById.delete(id);
    return true;
  }

  /** The whole workspace as plain JSON (no recorded calls, faults or response URLs). */
  exportState(): FakeSlackState {
    return {
      idTag: this.idTag,
      sequence: this.sequence,
      lastTsMicros: this.lastTsMicros,
      users: [...this.users.values()].map((user) => ({ ...user })),
      channels: [...this.channels.values()].map((channel) => ({
        ...channel,
        topic: { ...channel.topic },
        purpose: { ...channel.purpose },
        members: [...channel.members],
        pins: [...(this.pinsByChannel.get(channel.id) ?? [])],
        bookmarks: [...(this.bookmarksByChannel.get(channel.id) ?? [])],
      })),
      messages: [...this.messagesByChannel.values()].flat().map((message) => ({ ...message })),
      ephemerals: this.ephemeralMessages.map((message) => ({ ...message })),
      views: [...this.viewsById.values()].map((view) => ({ ...view })),
      homeViews: Object.fromEntries(this.homeViewIds),
      modalIds: [...this.modalIds],
    };
  }

  /** Replaces the workspace with an exported one (seeded users not in it are added back). */
  importState(state: FakeSlackState): void {
    this.reset();
    this.idTag = state.idTag;
    this.sequence = state.sequence;
    this.lastTsMicros = state.lastTsMicros;
    for (const user of state.users) this.users.set(user.id, { ...user });
    for (const { pins, bookmarks, members, ...channel } of state.channels) {
      this.channels.set(channel.id, { ...channel, members: new Set(members) });
      if (pins.length > 0) this.pinsByChannel.set(channel.id, [...pins]);
      if (bookmarks.length > 0) this.bookmarksByChannel.set(channel.id, [...bookmarks]);
    }
    for (const message of state.messages) {
      const list = this.messagesByChannel.get(message.channel) ?? [];
      list.push({ ...message });
      this.messagesByChannel.set(message.channel, list);
    }
    for (const list of this.messagesByChannel.values()) list.sort((a, b) => compareTs(a.ts, b.ts));
    this.ephemeralMessages.push(...state.ephemerals.map((message) => ({ ...message })));
    for (const view of state.views) this.viewsById.set(view.id, { ...view });
    for (const [user, id] of Object.entries(state.homeViews)) this.homeViewIds.set(user, id);
    this.modalIds.push(...state.modalIds.filter((id) => this.viewsById.has(id)));
  }

  /** `waitFor` with the last recorded calls appended to the timeout message. */
  waitFor<T>(
    probe: () => T | undefined | null | false | PromiseLike<T | undefined | null | false>,
    options: WaitForOptions = {},
  ): Promise<T> {
    return waitFor(probe, options, () => this.describeRecentCalls());
  }

  /** Waits for a recorded call to `method` (matching `predicate` if given) and returns it. */
  waitForCall(
    method: string,
    predicate: (call: RecordedCall) => boolean = () => true,
    options: WaitForOptions = {},
  ): Promise<RecordedCall> {
    return this.waitFor(() => this.calls.find((call) => call.method === method && predicate(call)), {
      description: `a call to ${method}`,
      ...options,
    });
  }

  private describeRecentCalls(): string {
    const recent = this.calls.slice(-10);
    if (recent.length === 0) return 'FakeSlack recorded no calls.';
    const lines = recent.map((call) => {
      const body = isRecord(call.response) ? call.response : {};
      const outcome = body.ok === true ? 'ok' : `error=${String(body.error)}`;
      return `  ${call.method} → ${call.status} ${outcome}`;
    });
    return `Last ${recent.length} of ${this.calls.length} FakeSlack calls:\n${lines.join('\n')}`;
  }

  // ----- HTTP ------------------------------------------------------------------------------

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const at = this.clock();
      const target = new URL(request.url ?? '/', this.url);
      const rawBody = await readBody(request);
      let reply: Reply;
      if (target.pathname.startsWith('/api/')) {
        const method = decodeURIComponent(target.pathname.slice('/api/'.length));
        reply = await this.handleApiCall(method, target, request, rawBody, at);
      } else if (target.pathname.startsWith('/respond/')) {
        reply = await this.handleResponseUrl(
          target.pathname.slice('/respond/'.length),
          target,
          request,
          rawBody,
          at,
        );
      } else {
        reply = { status: 404, body: fail('not_found') };
      }
      send(response, reply);
    } catch (error) {
      // Stopping aborts delayed answers; their sockets are already gone.
      if (this.lifetime.signal.aborted) return;
      send(response, { status: 500, body: fail('fake_slack_internal_error', { detail: String(error) }) });
    }
  }

  private async handleApiCall(
    method: string,
    target: URL,
    request: IncomingMessage,
    rawBody: string,
    at: number,
  ): Promise<Reply> {
    const parsed = parseApiArgs(request.headers['content-type'], rawBody, target.searchParams);
    const args = parsed.ok ? parsed.args : {};
    if (this.latencyMs > 0) await sleep(this.latencyMs, undefined, { signal: this.lifetime.signal });
    const fault = this.takeFault(argString(args, 'channel'), method, '*');
    if (fault?.delayMs) await sleep(fault.delayMs, undefined, { signal: this.lifetime.signal });
    const limited = this.rateLimits?.check(method, argString(args, 'channel'), this.clock()) ?? null;
    let reply: Reply;
    if (fault && isFailure(fault)) {
      reply = faultReply(fault, 200);
    } else if (limited !== null) {
      reply = faultReply({ retryAfter: limited }, 200);
    } else if (!parsed.ok) {
      reply = { status: 200, body: fail(parsed.error) };
    } else {
      reply = this.dispatch(method, args, bearerToken(request, args));
    }
    const retryAfter = reply.headers?.['retry-after'];
    this.record({
      method,
      path: target.pathname,
      args,
      at,
      response: reply.body,
      status: reply.status,
      ...(retryAfter ? { retryAfter: Number(retryAfter) } : {}),
    });
    if (fault?.answerDelayMs) await sleep(fault.answerDelayMs, undefined, { signal: this.lifetime.signal });
    return reply;
  }

  private dispatch(method: string, args: JsonObject, token: string | undefined): Reply {
    const handler = this.methods.get(method);
    if (!handler) return { status: 200, body: fail('unknown_method') };
    // Like Slack: a bad or missing token is HTTP 200 with ok:false.
    if (token !== this.botToken) return { status: 200, body: fail('invalid_auth') };
    try {
      return { status: 200, body: handler(args, this) };
    } catch (error) {
      // A bug in the fake (or a defineMethod handler) must be loud, not look like a Slack answer.
      return { status: 500, body: fail('fake_slack_internal_error', { detail: String(error) }) };
    }
  }

  private async handleResponseUrl(
    id: string,
    target: URL,
    request: IncomingMessage,
    rawBody: string,
    at: number,
  ): Promise<Reply> {
    const body = parseResponseUrlBody(request.headers['content-type'], rawBody);
    if (this.latencyMs > 0) await sleep(this.latencyMs, undefined, { signal: this.lifetime.signal });
    const fault = this.takeFault(undefined, 'response_url');
    if (fault?.delayMs) await sleep(fault.delayMs, undefined, { signal: this.lifetime.signal });
    let reply: Reply;
    const state = this.responseUrls.get(id);
    if (fault && isFailure(fault)) {
      // Slack answers a refused response_url post with a 4xx/5xx status, never 200 ok:false.
      reply = faultReply(fault, 404);
    } else if (!state) {
      reply = { status: 404, body: fail('no_service') };
    } else if (this.clock() > state.expiresAt) {
      reply = { status: 404, body: fail('expired_url') };
    } else if (state.uses >= RESPONSE_URL_MAX_USES) {
      reply = { status: 404, body: fail('used_url') };
    } else if (body === undefined) {
      reply = { status: 400, body: fail('invalid_payload') };
    } else {
      state.uses += 1;
      this.responses.push({ id, body, at });
      reply = { status: 200, body: { ok: true } };
    }
    const args = isRecord(body) ? body : { body: body ?? rawBody };
    this.record({
      method: 'response_url',
      path: target.pathname,
      args,
      at,
      response: reply.body,
      status: reply.status,
    });
    return reply;
  }

  private record(call: RecordedCall): void {
    this.calls.push(call);
    while (this.calls.length > this.callHistoryLimit) this.calls.shift();
    if (call.method === 'response_url') {
      while (this.responses.length > this.callHistoryLimit) this.responses.shift();
    }
    for (const listener of this.callListeners) listener(call);
  }

  private nowSeconds(): number {
    return Math.floor(this.clock() / 1000);
  }

  private takeFault(channel: string | undefined, ...keys: string[]): FaultSpec | undefined {
    for (const key of keys) {
      const queue = this.faults.get(key);
      // The first queued fault that applies to this call: one for another channel lets it pass.
      const index =
        queue?.findIndex((q) => q.fault.channel === undefined || q.fault.channel === channel) ?? -1;
      const head = index >= 0 ? queue?.[index] : undefined;
      if (!queue || !head) continue;
      head.remaining -= 1;
      if (head.remaining <= 0) queue.splice(index, 1);
      if (queue.length === 0) this.faults.delete(key);
      return head.fault;
    }
    return undefined;
  }

  // ----- model helpers ---------------------------------------------------------------------

  private nextId(prefix: string): string {
    this.sequence += 1;
    // A tag per fake workspace keeps ids unique across runs, like Slack's, for a bot whose database outlives the fake.
    return `${prefix}${this.idTag}${this.sequence.toString(36).toUpperCase().padStart(6, '0')}`;
  }

  /** Slack-style `seconds.micros` timestamp, strictly increasing even within one millisecond. */
  private nextTs(): string {
    const micros = Math.max(this.clock() * 1000, this.lastTsMicros + 1);
    this.lastTsMicros = micros;
    return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  private createChannel(name: string, isPrivate: boolean, creator: string, members: string[]): FakeChannel {
    const channel: FakeChannel = {
      id: this.nextId('C'),
      name,
      is_private: isPrivate,
      is_im: false,
      created: this.nowSeconds(),
      creator,
      topic: { value: '', creator: '', last_set: 0 },
      purpose: { value: '', creator: '', last_set: 0 },
      members: new Set(members),
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  private openDirectMessage(userId: string): FakeChannel {
    for (const channel of this.channels.values())
      if (channel.is_im && channel.user === userId) return channel;
    const channel: FakeChannel = {
      id: this.nextId('D'),
      name: '',
      is_private: true,
      is_im: true,
      user: userId,
      created: this.nowSeconds(),
      creator: this.botUserId,
      topic: { value: '', creator: '', last_set: 0 },
      purpose: { value: '', creator: '', last_set: 0 },
      members: new Set([this.botUserId, userId]),
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  /** A channel by ID as the bot sees it: private channels and DMs it is not in do not exist. */
  private visibleChannel(id: string | undefined): FakeChannel | undefined {
    const channel = id === undefined ? undefined : this.channels.get(id);
    if (!channel) return undefined;
    if ((channel.is_private || channel.is_im) && !channel.members.has(this.botUserId)) return undefined;
    return channel;
  }

  /** `chat.*` also accept a channel name (`#name`) or a user ID (the DM with that user). */
  private messageTarget(ref: string | undefined): FakeChannel | undefined {
    if (ref === undefined || ref === '') return undefined;
    const byId = this.visibleChannel(ref);
    if (byId) return byId;
    if (this.users.has(ref) && ref !== this.botUserId) return this.openDirectMessage(ref);
    const byName = this.channelByName(ref);
    return byName ? this.visibleChannel(byName.id) : undefined;
  }

  private channelJson(channel: FakeChannel, includeNumMembers = false): JsonObject {
    if (channel.is_im) {
      return {
        id: channel.id,
        created: channel.created,
        is_im: true,
        is_org_shared: false,
        user: channel.user,
        is_user_deleted: false,
      };
    }
    return {
      id: channel.id,
      name: channel.name,
      name_normalized: channel.name,
      is_channel: true,
      is_group: false,
      is_im: false,
      is_mpim: false,
      is_private: channel.is_private,
      is_archived: false,
      is_general: false,
      is_shared: false,
      is_ext_shared: false,
      is_org_shared: false,
      is_member: channel.members.has(this.botUserId),
      created: channel.created,
      creator: channel.creator,
      topic: { ...channel.topic },
      purpose: { ...channel.purpose },
      previous_names: [],
      ...(includeNumMembers ? { num_members: channel.members.size } : {}),
    };
  }

  private messageJson(message: FakeMessage): JsonObject {
    return {
      type: 'message',
      user: message.user,
      ...(message.bot_id === undefined ? {} : { bot_id: message.bot_id, app_id: this.apiAppId }),
      text: message.text,
      ts: message.ts,
      team: this.teamId,
      ...(message.blocks === undefined ? {} : { blocks: message.blocks }),
      ...(message.attachments === undefined ? {} : { attachments: message.attachments }),
      ...(message.thread_ts === undefined ? {} : { thread_ts: message.thread_ts }),
      ...(message.metadata === undefined ? {} : { metadata: message.metadata }),
      ...(message.edited_ts === undefined ? {} : { edited: { user: message.user, ts: message.edited_ts } }),
    };
  }

  private userJson(user: FakeUser): JsonObject {
    const now = new Date();
    return {
      id: user.id,
      team_id: this.teamId,
      name: user.name,
      deleted: false,
      real_name: user.real_name,
      tz: user.tz,
      tz_label: tzLabel(user.tz, now),
      tz_offset: tzOffsetSeconds(user.tz, now),
      is_admin: false,
      is_owner: false,
      is_bot: user.is_bot,
      is_app_user: false,
      profile: {
        real_name: user.real_name,
        display_name: user.name,
        ...(user.id === this.botUserId ? { bot_id: this.botId } : {}),
      },
    };
  }

  /**
   * Text, blocks and attachments of a new message, or the error Slack gives for them.
   * Slack accepts a message with any one of the three.
   */
  private messageContent(
    args: JsonObject,
  ): { text: string; blocks?: unknown[]; attachments?: unknown[] } | { failure: JsonObject } {
    const text = argString(args, 'text') ?? '';
    const { blocks, attachments } = args;
    if (blocks !== undefined) {
      const found = checkBlocks(blocks, BLOCK_KIT_LIMITS.messageBlocks);
      if (found) return { failure: blocksFailure(found) };
    }
    const blockList = Array.isArray(blocks) && blocks.length > 0 ? blocks : undefined;
    const attachmentList = Array.isArray(attachments) && attachments.length > 0 ? attachments : undefined;
    if (text === '' && !blockList && !attachmentList) return { failure: fail('no_text') };
    if (text.length > POST_TEXT_LIMIT) return { failure: fail('msg_too_long') };
    return { text, blocks: blockList, attachments: attachmentList };
  }

  /** Slack's view rules; every failure is `invalid_arguments` with a detail message, like Slack. */
  private validView(
    view: unknown,
    expectedType: 'modal' | 'home',
  ): { view: JsonObject } | { failure: JsonObject } {
    const invalid = (detail: string, pointer: string) => ({ failure: invalidArguments(detail, pointer) });
    if (!isRecord(view)) return invalid('missing required field: view', '/view');
    if (view.type !== expectedType) return invalid(`must be "${expectedType}"`, '/view/type');
    if (expectedType === 'modal') {
      if (!isRecord(view.title) || typeof view.title.text !== 'string') {
        return invalid('missing required field: title', '/view/title');
      }
      for (const key of ['title', 'submit', 'close'] as const) {
        if (textLength(view[key]) > VIEW_TITLE_LIMIT) {
          return invalid(`must be less than ${VIEW_TITLE_LIMIT + 1} characters`, `/view/${key}/text`);
        }
      }
    }
    if (view.blocks === undefined) return invalid('missing required field: blocks', '/view/blocks');
    const found = checkBlocks(view.blocks, BLOCK_KIT_LIMITS.viewBlocks, '/view/blocks');
    if (found) return { failure: blocksFailure(found, 'invalid_arguments') };
    if ((argString(view, 'callback_id') ?? '').length > CALLBACK_ID_LIMIT) {
      return invalid(`must be less than ${CALLBACK_ID_LIMIT + 1} characters`, '/view/callback_id');
    }
    if ((argString(view, 'private_metadata') ?? '').length > PRIVATE_METADATA_LIMIT) {
      return invalid(`must be less than ${PRIVATE_METADATA_LIMIT + 1} characters`, '/view/private_metadata');
    }
    return { view };
  }

  /** The stored view after open/update/publish; `previous` keeps identity across updates. */
  private buildView(input: JsonObject, id: string, previous?: FakeView): FakeView {
    return {
      id,
      team_id: this.teamId,
      type: argString(input, 'type') ?? 'modal',
      ...(input.title === undefined ? {} : { title: input.title }),
      ...(input.submit === undefined ? {} : { submit: input.submit }),
      ...(input.close === undefined ? {} : { close: input.close }),
      blocks: Array.isArray(input.blocks) ? input.blocks : [],
      callback_id: argString(input, 'callback_id') ?? '',
      private_metadata: argString(input, 'private_metadata') ?? '',
      external_id: argString(input, 'external_id') ?? previous?.external_id ?? '',
      state: { values: {} },
      hash: `${this.nowSeconds()}.${randomBytes(4).toString('hex')}`,
      clear_on_close: argBool(input, 'clear_on_close'),
      notify_on_close: argBool(input, 'notify_on_close'),
      root_view_id: previous?.root_view_id ?? id,
      previous_view_id: null,
      app_id: this.apiAppId,
      bot_id: this.botId,
    };
  }

  // ----- Web API methods -------------------------------------------------------------------

  private registerBuiltInMethods(): void {
    const builtIns: Record<string, (args: JsonObject) => JsonObject> = {
      'auth.test': () => this.authTest(),
      'conversations.create': (args) => this.conversationsCreate(args),
      'conversations.invite': (args) => this.conversationsInvite(args),
      'conversations.setTopic': (args) => this.conversationsSetTopic(args),
      'conversations.info': (args) => this.conversationsInfo(args),
      'conversations.list': (args) => this.conversationsList(args),
      'conversations.members': (args) => this.conversationsMembers(args),
      'conversations.join': (args) => this.conversationsJoin(args),
      'conversations.open': (args) => this.conversationsOpen(args),
      'conversations.history': (args) => this.conversationsHistory(args),
      'chat.postMessage': (args) => this.chatPostMessage(args),
      'chat.update': (args) => this.chatUpdate(args),
      'chat.postEphemeral': (args) => this.chatPostEphemeral(args),
      'chat.getPermalink': (args) => this.chatGetPermalink(args),
      'pins.add': (args) => this.pinsAdd(args),
      'bookmarks.add': (args) => this.bookmarksAdd(args),
      'views.open': (args) => this.viewsOpen(args),
      'views.update': (args) => this.viewsUpdate(args),
      'views.publish': (args) => this.viewsPublish(args),
      'users.info': (args) => this.usersInfo(args),
    };
    for (const [method, handler] of Object.entries(builtIns)) this.methods.set(method, handler);
  }

  private authTest(): JsonObject {
    return {
      ok: true,
      url: `https://${this.teamDomain}.slack.com/`,
      team: this.teamName,
      user: this.botName,
      team_id: this.teamId,
      user_id: this.botUserId,
      bot_id: this.botId,
      is_enterprise_install: false,
    };
  }

  private conversationsCreate(args: JsonObject): JsonObject {
    const name = argString(args, 'name') ?? '';
    const invalid = channelNameError(name);
    if (invalid) return fail(invalid);
    // Slack refuses any existing name, archived or not, public or private.
    if (this.channelByName(name)) return fail('name_taken');
    const channel = this.createChannel(name, argBool(args, 'is_private'), this.botUserId, [this.botUserId]);
    return { ok: true, channel: this.channelJson(channel) };
  }

  private conversationsInvite(args: JsonObject): JsonObject {
    const channel = this.visibleChannel(argString(args, 'channel'));
    if (!channel) return fail('channel_not_found');
    if (channel.is_im) return fail('method_not_supported_for_channel_type');
    if (!channel.members.has(this.botUserId)) return fail('not_in_channel');
    const users = [...new Set(argList(args, 'users'))];
    if (users.length === 0) return fail('no_user');
    const errors: JsonObject[] = [];
    const accepted: string[] = [];
    for (const user of users) {
      const error = !this.users.has(user)
        ? 'user_not_found'
        : user === this.botUserId
          ? 'cant_invite_self'
          : channel.members.has(user)
            ? 'already_in_channel'
            : undefined;
      if (error) errors.push({ user, ok: false, error });
      else accepted.push(user);
    }
    // Without `force`, one bad user means nobody is invited (Slack's documented behaviour).
    const first = errors[0];
    if (first && !(argBool(args, 'force') && accepted.length > 0))
      return fail(String(first.error), { errors });
    for (const user of accepted) channel.members.add(user);
    return { ok: true, channel: this.channelJson(channel), ...(errors.length > 0 ? { errors } : {}) };
  }

  private conversationsSetTopic(args: JsonObject): JsonObject {
    const channel = this.visibleChannel(argString(args, 'channel'));
    if (!channel) return fail('channel_not_found');
    if (!channel.members.has(this.botUserId)) return fail('not_in_channel');
    const topic = argString(args, 'topic') ?? '';
    if (topic.length > TOPIC_LIMIT) return fail('too_long');
    channel.topic = { value: topic, creator: this.botUserId, last_set: this.nowSeconds() };
    return { ok: true, channel: this.channelJson(channel) };
  }

  private conversationsInfo(args: JsonObject): JsonObject {
    const channel = this.visibleChannel(argString(args, 'channel'));
    if (!channel) return fail('channel_not_found');
    return { ok: true, channel: this.channelJson(channel, argBool(args, 'include_num_members')) };
  }

  /** Public channels, and private ones the bot is in; paged like Slack with an opaque cursor. */
  private conversationsList(args: JsonObject): JsonObject {
    const limit = Math.min(Math.max(Number(argString(args, 'limit') ?? 100) || 100, 1), 1000);
    const cursor = argString(args, 'cursor');
    const offset = cursor ? Number(Buffer.from(cursor, 'base64').toString('utf8')) || 0 : 0;
    const all = [...this.channels.values()].filter(
      (c) => !c.is_im && (!c.is_private || c.members.has(this.botUserId)),
    );
    const page = all.slice(offset, offset + limit);
    const next = offset + limit < all.length ? Buffer.from(String(offset + limit)).toString('base64') : '';
    return {
      ok: true,
      channels: page.map((c) => this.channelJson(c)),
      response_metadata: { next_cursor: next },
    };
  }

  private conversationsMembers(args: JsonObject): JsonObject {
    const channel = this.visibleChannel(argString(args, 'channel'));
    if (!channel) return fail('channel_not_found');
    const limit = Math.min(Math.max(Number(argString(args, 'limit') ?? 100) || 100, 1), 1000);
    // The cursor is just the offset, base64-encoded like Slack's opaque cursors.
    const cursor = argString(args, 'cursor');
    const offset = cursor ? Number(Buffer.from(cursor, 'base64').toString('utf8')) || 0 : 0;
    const all = [...channel.members];
    const page = all.slice(offset, offset + limit);
    const next = offset + limit < all.length ? Buffer.from(String(offset + limit)).toString('base64') : '';
    return { ok: true, members: page, response_metadata: { next_cursor: next } };
  }

  private conversationsJoin(args: JsonObject): JsonObject {
    const channel = this.visibleChannel(argString(args, 'channel'));
    if (!channel) return fail('channel_not_found');
    if (channel.is_im) return fail('method_not_supported_for_channel_type');
    if (channel.members.has(this.botUserId)) {
      return {
        ok: true,
        channel: this.channelJson(channel),
        warning: 'already_in_channel',
        response_metadata: { warnings: ['already_in_channel'] },
      };
    }
    channel.members.add(this.botUserId);
    return { ok: true, channel: this.channelJson(channel) };
  }

  private conversationsOpen(args: JsonObject): JsonObject {
    const channelId = argString(args, 'channel');
    if (channelId) {
      const channel = this.visibleChannel(channelId);
      return channel ? { ok: true, channel: { id: channel.id } } : fail('channel_not_found');
    }
    const users = argList(args, 'users');
    const [user] = users;
    if (user === undefined) return fail('users_list_not_supplied');
    if (users.length > 1) return fail('not_supported'); // group DMs are out of scope for this fake
    if (!this.users.has(user)) return fail('user_not_found');
    return { ok: true, channel: { id: this.openDirectMessage(user).id } };
  }

  private conversationsHistory(args: JsonObject): JsonObject {
    const channel = this.visibleChannel(argString(args, 'channel'));
    if (!channel) return fail('channel_not_found');
    if (!channel.members.has(this.botUserId)) return fail('not_in_channel');
    const limit = Math.min(Math.max(Number(argString(args, 'limit') ?? 100) || 100, 1), 999);
    // History lists top-level messages only, newest first; replies live in their thread.
    const topLevel = this.messages(channel.id)
      .filter((message) => message.thread_ts === undefined || message.thread_ts === message.ts)
      .reverse();
    return {
      ok: true,
      messages: topLevel.slice(0, limit).map((message) => this.messageJson(message)),
      has_more: topLevel.length > limit,
      response_metadata: { next_cursor: '' },
    };
  }

  private chatPostMessage(args: JsonObject): JsonObject {
    const channel = this.messageTarget(argString(args, 'channel'));
    if (!channel) return fail('channel_not_found');
    // The fake plays an app without `chat:write.public`: it must be in the channel to post.
    if (!channel.members.has(this.botUserId)) return fail('not_in_channel');
    const content = this.messageContent(args);
    if ('failure' in content) return content.failure;
    const ts = this.nextTs();
    const threadTs = argString(args, 'thread_ts');
    const message: FakeMessage = {
      channel: channel.id,
      ts,
      user: this.botUserId,
      bot_id: this.botId,
      text: content.text,
      ...(content.blocks === undefined ? {} : { blocks: content.blocks }),
      ...(content.attachments === undefined ? {} : { attachments: content.attachments }),
      ...(threadTs === undefined || threadTs === '' ? {} : { thread_ts: threadTs }),
      ...(args.metadata === undefined ? {} : { metadata: args.metadata }),
      edited: 0,
    };
    const list = this.messagesByChannel.get(channel.id) ?? [];
    list.push(message);
    this.messagesByChannel.set(channel.id, list);
    return { ok: true, channel: channel.id, ts, message: this.messageJson(message) };
  }

  private chatUpdate(args: JsonObject): JsonObject {
    const channel = this.visibleChannel(argString(args, 'channel'));
    if (!channel) return fail('channel_not_found');
    const message = this.message(channel.id, argString(args, 'ts') ?? '');
    if (!message) return fail('message_not_found');
    if (message.user !== this.botUserId) return fail('cant_update_message');
    const text = argString(args, 'text');
    const { blocks, attachments } = args;
    if (blocks !== undefined) {
      const found = checkBlocks(blocks, BLOCK_KIT_LIMITS.messageBlocks);
      if (found) return blocksFailure(found);
    }
    if (text === undefined && blocks === undefined && attachments === undefined) return fail('no_text');
    if (text !== undefined && text.length > UPDATE_TEXT_LIMIT) return fail('msg_too_long');
    // Slack keeps whatever the update leaves out; an empty blocks array removes the blocks.
    if (text !== undefined) message.text = text;
    if (Array.isArray(blocks)) message.blocks = blocks.length > 0 ? blocks : undefined;
    if (Array.isArray(attachments)) message.attachments = attachments.length > 0 ? attachments : undefined;
    message.edited += 1;
    message.edited_ts = this.nextTs();
    return {
      ok: true,
      channel: channel.id,
      ts: message.ts,
      text: message.text,
      message: this.messageJson(message),
    };
  }

  private chatPostEphemeral(args: JsonObject): JsonObject {
    const channel = this.messageTarget(argString(args, 'channel'));
    if (!channel) return fail('channel_not_found');
    if (!channel.members.has(this.botUserId)) return fail('not_in_channel');
    const user = argString(args, 'user') ?? '';
    if (!this.users.has(user)) return fail('user_not_found');
    // Ephemeral messages only reach members; a response_url is the way to answer anyone else.
    if (!channel.members.has(user)) return fail('user_not_in_channel');
    const content = this.messageContent(args);
    if ('failure' in content) return content.failure;
    const messageTs = this.nextTs();
    this.ephemeralMessages.push({
      channel: channel.id,
      user,
      message_ts: messageTs,
      text: content.text,
      ...(content.blocks === undefined ? {} : { blocks: content.blocks }),
      at: this.clock(),
    });
    return { ok: true, message_ts: messageTs };
  }

  private chatGetPermalink(args: JsonObject): JsonObject {
    const channel = this.visibleChannel(argString(args, 'channel'));
    if (!channel) return fail('channel_not_found');
    const ts = argString(args, 'message_ts') ?? '';
    if (!this.message(channel.id, ts)) return fail('message_not_found');
    return {
      ok: true,
      channel: channel.id,
      permalink: `https://${this.teamDomain}.slack.com/archives/${channel.id}/p${ts.replace('.', '')}`,
    };
  }

  private pinsAdd(args: JsonObject): JsonObject {
    const channel = this.visibleChannel(argString(args, 'channel'));
    if (!channel) return fail('channel_not_found');
    if (!channel.members.has(this.botUserId)) return fail('not_in_channel');
    const ts = argString(args, 'timestamp');
    if (ts === undefined || ts === '') return fail('no_item_specified');
    if (!this.message(channel.id, ts)) return fail('message_not_found');
    const pins = this.pinsByChannel.get(channel.id) ?? [];
    if (pins.includes(ts)) return fail('already_pinned');
    pins.push(ts);
    this.pinsByChannel.set(channel.id, pins);
    return { ok: true };
  }

  private bookmarksAdd(args: JsonObject): JsonObject {
    const channel = this.visibleChannel(argString(args, 'channel_id'));
    if (!channel) return fail('channel_not_found');
    if (!channel.members.has(this.botUserId)) return fail('not_in_channel');
    const title = argString(args, 'title') ?? '';
    const type = argString(args, 'type') ?? '';
    const link = argString(args, 'link') ?? '';
    if (title === '') return invalidArguments('missing required field: title', '/title');
    if (type !== 'link') return invalidArguments('must be "link"', '/type');
    if (link === '') return invalidArguments('missing required field: link', '/link');
    const bookmark: FakeBookmark = {
      id: this.nextId('Bk'),
      channel_id: channel.id,
      title,
      link,
      emoji: argString(args, 'emoji') ?? '',
      type,
      date_created: this.nowSeconds(),
      created_by: this.botUserId,
    };
    const list = this.bookmarksByChannel.get(channel.id) ?? [];
    list.push(bookmark);
    this.bookmarksByChannel.set(channel.id, list);
    return { ok: true, bookmark };
  }

  private viewsOpen(args: JsonObject): JsonObject {
    const trigger = argString(args, 'trigger_id') ?? argString(args, 'interactivity_pointer') ?? '';
    if (trigger === '') return invalidArguments('missing required field: trigger_id', '/trigger_id');
    // A trigger opens one view only: a second views.open with it fails, as in Slack.
    if (this.usedTriggerIds.has(trigger)) return fail('exchanged_trigger_id');
    const checked = this.validView(args.view, 'modal');
    if ('failure' in checked) return checked.failure;
    this.usedTriggerIds.add(trigger);
    const view = this.buildView(checked.view, this.nextId('V'));
    this.viewsById.set(view.id, view);
    this.modalIds.push(view.id);
    return { ok: true, view };
  }

  private viewsUpdate(args: JsonObject): JsonObject {
    const viewId = argString(args, 'view_id');
    const externalId = argString(args, 'external_id');
    if (!viewId && !externalId) return invalidArguments('missing required field: view_id', '/view_id');
    const existing = viewId
      ? this.viewsById.get(viewId)
      : [...this.viewsById.values()].find((view) => view.external_id === externalId);
    if (!existing) return fail('not_found');
    const hash = argString(args, 'hash');
    if (hash !== undefined && hash !== '' && hash !== existing.hash) return fail('hash_conflict');
    const checked = this.validView(args.view, existing.type === 'home' ? 'home' : 'modal');
    if ('failure' in checked) return checked.failure;
    const view = this.buildView(checked.view, existing.id, existing);
    this.viewsById.set(view.id, view);
    return { ok: true, view };
  }

  private viewsPublish(args: JsonObject): JsonObject {
    const userId = argString(args, 'user_id') ?? '';
    if (userId === '') return invalidArguments('missing required field: user_id', '/user_id');
    if (!this.users.has(userId)) return fail('user_not_found');
    const checked = this.validView(args.view, 'home');
    if ('failure' in checked) return checked.failure;
    const existingId = this.homeViewIds.get(userId);
    const existing = existingId === undefined ? undefined : this.viewsById.get(existingId);
    const hash = argString(args, 'hash');
    if (existing && hash !== undefined && hash !== '' && hash !== existing.hash) return fail('hash_conflict');
    // Slack keeps one Home view per user: republishing replaces it under the same id.
    const view = this.buildView(checked.view, existing?.id ?? this.nextId('V'), existing);
    this.viewsById.set(view.id, view);
    this.homeViewIds.set(userId, view.id);
    return { ok: true, view };
  }

  private usersInfo(args: JsonObject): JsonObject {
    const user = this.users.get(argString(args, 'user') ?? '');
    if (!user) return fail('user_not_found');
    return { ok: true, user: this.userJson(user) };
  }
}
