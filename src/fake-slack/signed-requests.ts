/**
 * Slack's side of the conversation toward the app: signed slash commands, interactions and
 * events, built with Slack's exact field names so the app's parsers see what production sends.
 *
 * Why signed: Bolt's HTTP receiver refuses unsigned requests, and tests must exercise the same
 * verification path as production (including stale timestamps and bad signatures).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { FAKE_SLACK_DEFAULTS } from './defaults.js';

/** Exactly this, without `; charset=…`: otherwise Bolt tries to parse the body as JSON. */
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
export const JSON_CONTENT_TYPE = 'application/json';

export interface SlackSignatureHeaders {
  'content-type': string;
  'x-slack-request-timestamp': string;
  'x-slack-signature': string;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

let lastNowMicros = 0;

/** Slack-style `seconds.micros` timestamp for `action_ts` / `event_ts`; "now" when no time is given. */
export function slackTimestamp(atMs?: number): string {
  // Date.now() has millisecond resolution: two clicks in one millisecond would share an action_ts (and
  // look like a retry of one request). Slack's are unique, so "now" is kept strictly increasing.
  const micros =
    atMs === undefined ? Math.max(Date.now() * 1000, lastNowMicros + 1) : Math.floor(atMs * 1000);
  if (atMs === undefined) lastNowMicros = micros;
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
}

/** A trigger_id shaped like Slack's (`<digits>.<digits>.<hex>`), unique per call. */
export function fakeTriggerId(): string {
  return `${Date.now()}.${randomBytes(4).readUInt32BE(0)}.${randomBytes(16).toString('hex')}`;
}

/** `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{rawBody}` keyed with the signing secret. */
export function computeSlackSignature(
  signingSecret: string,
  rawBody: string,
  timestampSeconds: number,
): string {
  const digest = createHmac('sha256', signingSecret)
    .update(`v0:${timestampSeconds}:${rawBody}`)
    .digest('hex');
  return `v0=${digest}`;
}

/** Headers Slack sends with a request; pass `contentType` for JSON bodies (events). */
export function signSlackRequest(
  signingSecret: string,
  rawBody: string,
  timestampSeconds: number = nowSeconds(),
  contentType: string = FORM_CONTENT_TYPE,
): SlackSignatureHeaders {
  return {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestampSeconds),
    'x-slack-signature': computeSlackSignature(signingSecret, rawBody, timestampSeconds),
  };
}

// ---------------------------------------------------------------------------------------------
// Bodies
// ---------------------------------------------------------------------------------------------

export interface SlashCommandInput {
  command: string;
  text: string;
  userId: string;
  userName?: string;
  channelId: string;
  channelName?: string;
  teamId: string;
  teamDomain?: string;
  responseUrl: string;
  triggerId?: string;
  apiAppId?: string;
}

/** A slash command as Slack posts it: a form, every value a string. */
export function slashCommandBody(input: SlashCommandInput): string {
  return new URLSearchParams({
    token: FAKE_SLACK_DEFAULTS.verificationToken,
    team_id: input.teamId,
    team_domain: input.teamDomain ?? FAKE_SLACK_DEFAULTS.teamDomain,
    channel_id: input.channelId,
    channel_name: input.channelName ?? 'general',
    user_id: input.userId,
    user_name: input.userName ?? input.userId.toLowerCase(),
    command: input.command,
    text: input.text,
    api_app_id: input.apiAppId ?? FAKE_SLACK_DEFAULTS.apiAppId,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId ?? fakeTriggerId(),
  }).toString();
}

/** Interactive payloads travel as a form with one field, `payload`, holding JSON. */
export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface BlockActionInput {
  action_id: string;
  block_id: string;
  value?: string;
  /** Defaults to `button`. */
  type?: string;
  action_ts?: string;
  /** Other element fields (`selected_option`, `text`, …) are passed through as given. */
  [field: string]: unknown;
}

export interface BlockActionsInput {
  userId: string;
  userName?: string;
  teamId: string;
  teamDomain?: string;
  channelId: string;
  channelName?: string;
  /** The message the clicked button is on; omitted for a click on an ephemeral message. */
  messageTs?: string;
  /** Blocks of that message, for handlers that read `body.message.blocks`. */
  messageBlocks?: unknown[];
  messageText?: string;
  actions: BlockActionInput[];
  responseUrl: string;
  triggerId?: string;
  apiAppId?: string;
}

/** A `block_actions` interaction from a message, as Slack posts it. */
export function blockActionsBody(input: BlockActionsInput): string {
  const teamDomain = input.teamDomain ?? FAKE_SLACK_DEFAULTS.teamDomain;
  const userName = input.userName ?? input.userId.toLowerCase();
  const isEphemeral = input.messageTs === undefined;
  const payload: Record<string, unknown> = {
    type: 'block_actions',
    user: { id: input.userId, username: userName, name: userName, team_id: input.teamId },
    api_app_id: input.apiAppId ?? FAKE_SLACK_DEFAULTS.apiAppId,
    token: FAKE_SLACK_DEFAULTS.verificationToken,
    container: {
      type: 'message',
      message_ts: input.messageTs ?? slackTimestamp(),
      channel_id: input.channelId,
      is_ephemeral: isEphemeral,
    },
    trigger_id: input.triggerId ?? fakeTriggerId(),
    team: { id: input.teamId, domain: teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channelId, name: input.channelName ?? 'general' },
    ...(isEphemeral
      ? {}
      : {
          message: {
            type: 'message',
            ts: input.messageTs,
            text: input.messageText ?? '',
            ...(input.messageBlocks === undefined ? {} : { blocks: input.messageBlocks }),
          },
        }),
    state: { values: {} },
    response_url: input.responseUrl,
    actions: input.actions.map((action) => ({
      ...action,
      type: action.type ?? 'button',
      action_ts: action.action_ts ?? slackTimestamp(),
    })),
  };
  return interactionBody(payload);
}

/** An input's state: a string means a `plain_text_input` value; an object is passed through. */
export type ViewStateValue = string | Record<string, unknown>;

export interface ViewSubmissionInput {
  userId: string;
  userName?: string;
  teamId: string;
  teamDomain?: string;
  callbackId: string;
  privateMetadata: string;
  /** `values[block_id][action_id]`. */
  values: Record<string, Record<string, ViewStateValue>>;
  viewId?: string;
  blocks?: unknown[];
  triggerId?: string;
  apiAppId?: string;
  botId?: string;
}

/** A `view_submission` as Slack posts it when a modal's submit button is pressed. */
export function viewSubmissionBody(input: ViewSubmissionInput): string {
  const userName = input.userName ?? input.userId.toLowerCase();
  const values: Record<string, Record<string, unknown>> = {};
  for (const [blockId, actions] of Object.entries(input.values)) {
    const block: Record<string, unknown> = {};
    for (const [actionId, value] of Object.entries(actions)) {
      block[actionId] = typeof value === 'string' ? { type: 'plain_text_input', value } : value;
    }
    values[blockId] = block;
  }
  const viewId = input.viewId ?? `V${randomBytes(5).toString('hex').toUpperCase()}`;
  const apiAppId = input.apiAppId ?? FAKE_SLACK_DEFAULTS.apiAppId;
  return interactionBody({
    type: 'view_submission',
    team: { id: input.teamId, domain: input.teamDomain ?? FAKE_SLACK_DEFAULTS.teamDomain },
    user: { id: input.userId, username: userName, name: userName, team_id: input.teamId },
    api_app_id: apiAppId,
    token: FAKE_SLACK_DEFAULTS.verificationToken,
    trigger_id: input.triggerId ?? fakeTriggerId(),
    view: {
      id: viewId,
      team_id: input.teamId,
      type: 'modal',
      blocks: input.blocks ?? [],
      private_metadata: input.privateMetadata,
      callback_id: input.callbackId,
      state: { values },
      hash: `${nowSeconds()}.${randomBytes(4).toString('hex')}`,
      title: { type: 'plain_text', text: 'Modal' },
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: { type: 'plain_text', text: 'Submit' },
      previous_view_id: null,
      root_view_id: viewId,
      app_id: apiAppId,
      external_id: '',
      app_installed_team_id: input.teamId,
      bot_id: input.botId ?? FAKE_SLACK_DEFAULTS.botId,
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  });
}

export interface EventInput {
  teamId: string;
  /** The inner event, e.g. `{ type: 'app_home_opened', user, channel, tab: 'home' }`. */
  event: Record<string, unknown>;
  /** Keep it stable across a retry: Slack resends the same event_id. */
  eventId?: string;
  eventTime?: number;
  apiAppId?: string;
  /** The installation the event is for (`authorizations[0].user_id`). */
  botUserId?: string;
}

/** An Events API `event_callback`, as JSON (post it with content-type application/json). */
export function eventBody(input: EventInput): string {
  const eventTime = input.eventTime ?? nowSeconds();
  return JSON.stringify({
    token: FAKE_SLACK_DEFAULTS.verificationToken,
    team_id: input.teamId,
    api_app_id: input.apiAppId ?? FAKE_SLACK_DEFAULTS.apiAppId,
    event: { event_ts: slackTimestamp(eventTime * 1000), ...input.event },
    type: 'event_callback',
    event_id: input.eventId ?? `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: eventTime,
    authorizations: [
      {
        enterprise_id: null,
        team_id: input.teamId,
        user_id: input.botUserId ?? FAKE_SLACK_DEFAULTS.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  });
}

// ---------------------------------------------------------------------------------------------
// Delivery
// ---------------------------------------------------------------------------------------------

export interface PostToAppOptions {
  signingSecret: string;
  /** Defaults to JSON for a body that starts with `{`, else the form content type. */
  contentType?: string;
  /** Unix seconds to sign with; an old one tests the 5-minute replay window. */
  timestamp?: number;
  /** Adds `x-slack-retry-num`, as on Slack's redeliveries of events. */
  retryNum?: number;
  /** `x-slack-retry-reason`; defaults to `http_timeout` when `retryNum` is set. */
  retryReason?: string;
  /** Signs with the wrong secret: the app must refuse the request. */
  badSignature?: boolean;
  /** Gives up after this long; defaults to 10 s (Slack itself waits 3 s). */
  timeoutMs?: number;
}

export interface AppResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/** Posts a signed request to the app (e.g. `http://127.0.0.1:PORT/slack/events`). */
export async function postToApp(
  url: string,
  rawBody: string,
  options: PostToAppOptions,
): Promise<AppResponse> {
  const contentType =
    options.contentType ?? (rawBody.trimStart().startsWith('{') ? JSON_CONTENT_TYPE : FORM_CONTENT_TYPE);
  const secret = options.badSignature ? `${options.signingSecret}-wrong` : options.signingSecret;
  const headers: Record<string, string> = {
    ...signSlackRequest(secret, rawBody, options.timestamp ?? nowSeconds(), contentType),
  };
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = options.retryReason ?? 'http_timeout';
  } else if (options.retryReason !== undefined) {
    headers['x-slack-retry-reason'] = options.retryReason;
  }
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: rawBody,
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  return {
    status: response.status,
    body: await response.text(),
    headers: Object.fromEntries(response.headers.entries()),
  };
}
