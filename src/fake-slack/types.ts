/** Public shapes of the fake workspace: what tests read back and what they pass in. */
import type { JsonObject } from './values.js';

export interface FakeSlackUserInput {
  id: string;
  name: string;
  /** IANA zone; defaults to `UTC`. An unknown zone throws, so a typo fails at set-up. */
  tz?: string;
  real_name?: string;
  is_bot?: boolean;
}

export interface FakeSlackOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Defaults to `127.0.0.1`: the fake never listens beyond loopback unless told to. */
  host?: string;
  botToken?: string;
  botUserId?: string;
  botId?: string;
  botName?: string;
  teamId?: string;
  teamName?: string;
  teamDomain?: string;
  apiAppId?: string;
  /** Workspace members besides the bot user. */
  users?: FakeSlackUserInput[];
  /** Every Web API call and response_url post is answered after this long, like Slack's 100–300 ms. Default 0. */
  latencyMs?: number;
  /** Answer 429 with Retry-After past Slack's published limits (see rate-limits.ts). Default off. */
  rateLimits?: boolean;
  /** Milliseconds since the epoch; defaults to `Date.now` (the local workspace passes its simulated clock). */
  clock?: () => number;
  /** Keep only the last N recorded calls and responses (a long-running workspace); unlimited by default. */
  callHistoryLimit?: number;
}

/** The workspace as plain JSON: what `exportState()` gives and `importState()` takes back. */
export interface FakeSlackState {
  idTag: string;
  sequence: number;
  lastTsMicros: number;
  users: FakeUser[];
  channels: Array<
    Omit<FakeChannel, 'members'> & { members: string[]; pins: string[]; bookmarks: FakeBookmark[] }
  >;
  messages: FakeMessage[];
  ephemerals: FakeEphemeral[];
  views: FakeView[];
  /** User id → the id of their Home view. */
  homeViews: Record<string, string>;
  /** Open modals, oldest first. */
  modalIds: string[];
}

export interface FakeUser {
  id: string;
  name: string;
  real_name: string;
  tz: string;
  is_bot: boolean;
}

export interface FakeChannel {
  /** `C…` for channels, `D…` for direct messages. */
  id: string;
  /** Empty for direct messages. */
  name: string;
  is_private: boolean;
  is_im: boolean;
  /** For a direct message: the human on the other side. */
  user?: string;
  /** Unix seconds. */
  created: number;
  creator: string;
  topic: { value: string; creator: string; last_set: number };
  purpose: { value: string; creator: string; last_set: number };
  /** Live set: tests may add or remove members to stage a scenario. */
  members: Set<string>;
}

export interface FakeMessage {
  channel: string;
  /** Slack timestamp, e.g. `"1700000000.000100"`; strictly increasing across the fake. */
  ts: string;
  user: string;
  bot_id?: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  thread_ts?: string;
  metadata?: unknown;
  /** How many times `chat.update` changed this message. */
  edited: number;
  /** Timestamp of the last edit, as in Slack's `edited.ts`. */
  edited_ts?: string;
}

export interface FakeEphemeral {
  channel: string;
  user: string;
  message_ts: string;
  text: string;
  blocks?: unknown[];
  at: number;
}

/** A view as Slack returns it from `views.open`, `views.update` and `views.publish`. */
export interface FakeView {
  id: string;
  team_id: string;
  type: string;
  title?: unknown;
  submit?: unknown;
  close?: unknown;
  blocks: unknown[];
  callback_id: string;
  private_metadata: string;
  external_id: string;
  state: { values: JsonObject };
  hash: string;
  clear_on_close: boolean;
  notify_on_close: boolean;
  root_view_id: string;
  previous_view_id: string | null;
  app_id: string;
  bot_id: string;
}

export interface FakeBookmark {
  id: string;
  channel_id: string;
  title: string;
  link: string;
  emoji: string;
  type: string;
  date_created: number;
  created_by: string;
}

export interface RecordedCall {
  /** Web API method (`chat.postMessage`), or `response_url` for posts to a response URL. */
  method: string;
  /** Request path, e.g. `/api/chat.postMessage` or `/respond/<id>`. */
  path: string;
  /** Parsed arguments; JSON-encoded form fields (blocks, view, …) are decoded back into objects. */
  args: JsonObject;
  /** `Date.now()` when the request arrived. */
  at: number;
  /** The JSON body the fake answered. */
  response: unknown;
  /** HTTP status the fake answered. */
  status: number;
  /** Seconds of the `Retry-After` header, on a 429. */
  retryAfter?: number;
}

export interface RecordedResponse {
  /** The id at the end of the response URL. */
  id: string;
  /** The JSON body the app posted (what Bolt's `respond()` sends). */
  body: unknown;
  at: number;
}

export interface FaultSpec {
  /** Answer HTTP 200 `{ ok: false, error }` (or this error with `status` / `retryAfter`). */
  error?: string;
  /** Answer this HTTP status, e.g. 500 or 503. */
  status?: number;
  /** Answer HTTP 429 with `Retry-After: <seconds>` and `{ ok: false, error: 'ratelimited' }`. */
  retryAfter?: number;
  /** How many matching calls fail; defaults to 1. `Infinity` keeps failing until `clearFaults()`. */
  times?: number;
  /** Wait this long before answering. Alone, it only slows the call down: the call still succeeds. */
  delayMs?: number;
  /**
   * Carry the call out at once, then hold the answer this long: a client that gives up first never learns
   * that it worked (a lost answer, as after a timeout or a crash between call and record).
   */
  answerDelayMs?: number;
  /** Only calls about this channel (their `channel` argument) meet the fault; others pass untouched. */
  channel?: string;
}

export interface WaitForOptions {
  /** Defaults to 5000. */
  timeoutMs?: number;
  /** Defaults to 20. */
  intervalMs?: number;
  /** Names what was awaited, for the timeout message. */
  description?: string;
}
