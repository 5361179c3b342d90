import type { KnownBlock } from '@slack/types';
import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  type WebClient,
} from '@slack/web-api';
import { z } from 'zod';
import type { RenderedMessage, RenderedView, SlackGateway } from '../services/ports/slack.js';
import { SlackCallError } from '../services/ports/slack.js';
import { responseUrlAllowed } from './response-urls.js';
import { RetryAfterHolds } from './retry-after.js';

/** The metadata event type of the bot's posts: its payload names the delivery, so a post is found again. */
const DELIVERY_EVENT = 'pra_upgrade_delivery';
/** How far back an uncertain post looks: the set-up posts a dozen messages, a busy channel a few more. */
const HISTORY_LOOKBACK = 100;
const deliveryMetadata = z.object({
  event_type: z.string(),
  event_payload: z.object({ key: z.string() }),
});

// Slack answers these when it is the one struggling; everything else is about the request itself.
const TRANSIENT_PLATFORM_ERRORS = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
]);

/** Turns a Web API failure into one the outbox understands: transient (retry) or not, and how long to wait. */
function classify(method: string, error: unknown): SlackCallError {
  if (error instanceof SlackCallError) return error;
  if (error instanceof WebAPIRateLimitedError)
    return new SlackCallError(method, 'ratelimited', true, error.retryAfter);
  if (error instanceof WebAPIPlatformError) {
    return new SlackCallError(method, error.data.error, TRANSIENT_PLATFORM_ERRORS.has(error.data.error));
  }
  if (error instanceof WebAPIHTTPError) {
    return new SlackCallError(
      method,
      `http_${error.statusCode}`,
      error.statusCode >= 500 || error.statusCode === 429,
    );
  }
  if (error instanceof WebAPIRequestError) return new SlackCallError(method, 'request_failed', true);
  return new SlackCallError(method, error instanceof Error ? error.message : 'unknown_error', true);
}

function blocks(message: RenderedMessage): KnownBlock[] {
  return message.blocks as unknown as KnownBlock[];
}

/** The Slack Web API calls of the bot, on the client Bolt built (retries are the outbox's job). */
export function createGateway(
  client: WebClient,
  botUserId: () => string | undefined,
  slackApiUrl: string,
  holds: RetryAfterHolds = new RetryAfterHolds(),
): SlackGateway {
  async function call<T>(method: string, work: () => Promise<T>, channel?: string): Promise<T> {
    const wait = holds.remaining(method, channel);
    // Slack asked for a pause on exactly this: not asked again before it ends.
    if (wait !== null) throw new SlackCallError(method, 'ratelimited', true, wait);
    try {
      return await work();
    } catch (error) {
      const failure = classify(method, error);
      if (failure.code === 'ratelimited' && failure.retryAfterSeconds !== null) {
        holds.hold(method, channel, failure.retryAfterSeconds);
      }
      throw failure;
    }
  }

  return {
    async createChannel(name) {
      const result = await call('conversations.create', () =>
        client.conversations.create({ name, is_private: false }),
      );
      const id = result.channel?.id;
      if (!id) throw new SlackCallError('conversations.create', 'no_channel_in_response', true);
      return { id, name: result.channel?.name ?? name };
    },
    async invite(channelId, userIds) {
      const bot = botUserId();
      const users = [...new Set(userIds)].filter((u) => u !== bot);
      if (users.length === 0) return { failed: [] };
      // One call for everyone; `force` invites the valid ones when some cannot be invited.
      type PerUser = { user?: string; error?: string };
      let errors: PerUser[] = [];
      try {
        const result = await client.conversations.invite({
          channel: channelId,
          users: users.join(','),
          force: true,
        });
        errors = ((result as { errors?: PerUser[] }).errors ?? []) as PerUser[];
      } catch (error) {
        const perUser =
          error instanceof WebAPIPlatformError ? ((error.data as { errors?: PerUser[] }).errors ?? []) : [];
        if (perUser.length === 0) throw classify('conversations.invite', error);
        errors = perUser;
      }
      // Already there is the goal reached; anyone else who cannot be invited is reported, not retried.
      return {
        failed: errors
          .filter((e) => e.error !== 'already_in_channel' && e.error !== 'cant_invite_self')
          .map((e) => ({ userId: e.user ?? 'unknown', error: e.error ?? 'unknown' })),
      };
    },
    async findOwnChannel(name) {
      const bot = botUserId();
      let cursor: string | undefined;
      do {
        const page = await call('conversations.list', () =>
          client.conversations.list({
            types: 'public_channel',
            exclude_archived: true,
            limit: 200,
            ...(cursor ? { cursor } : {}),
          }),
        );
        const found = page.channels?.find((c) => c.name === name);
        if (found?.id) return found.creator === bot ? { id: found.id, name } : null;
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor);
      return null;
    },
    async setTopic(channelId, topic) {
      await call(
        'conversations.setTopic',
        () => client.conversations.setTopic({ channel: channelId, topic }),
        channelId,
      );
    },
    async post(channelId, message, key) {
      const result = await call(
        'chat.postMessage',
        () =>
          client.chat.postMessage({
            channel: channelId,
            text: message.text,
            blocks: blocks(message),
            unfurl_links: false,
            ...(key ? { metadata: { event_type: DELIVERY_EVENT, event_payload: { key } } } : {}),
          }),
        channelId,
      );
      if (!result.ts) throw new SlackCallError('chat.postMessage', 'no_ts_in_response', true);
      return { ts: result.ts };
    },
    async findPosted(channelId) {
      const bot = botUserId();
      const page = await call(
        'conversations.history',
        () =>
          client.conversations.history({
            channel: channelId,
            limit: HISTORY_LOOKBACK,
            include_all_metadata: true,
          }),
        channelId,
      );
      const found = new Map<string, string>();
      for (const message of page.messages ?? []) {
        const parsed = deliveryMetadata.safeParse(message.metadata);
        if (!parsed.success || !message.ts || (bot && message.user !== bot)) continue;
        if (parsed.data.event_type === DELIVERY_EVENT) found.set(parsed.data.event_payload.key, message.ts);
      }
      return found;
    },
    async update(channelId, ts, message) {
      await call(
        'chat.update',
        () => client.chat.update({ channel: channelId, ts, text: message.text, blocks: blocks(message) }),
        channelId,
      );
    },
    async pin(channelId, ts) {
      try {
        await call('pins.add', () => client.pins.add({ channel: channelId, timestamp: ts }), channelId);
      } catch (error) {
        if (!(error instanceof SlackCallError && error.code === 'already_pinned')) throw error;
      }
    },
    async permalink(channelId, ts) {
      const result = await call('chat.getPermalink', () =>
        client.chat.getPermalink({ channel: channelId, message_ts: ts }),
      );
      if (!result.permalink) throw new SlackCallError('chat.getPermalink', 'no_permalink_in_response', true);
      return result.permalink;
    },
    async respond(responseUrl, message) {
      // Refused for good (not retried): the outbox audits it as a failed delivery.
      if (!responseUrlAllowed(responseUrl, slackApiUrl))
        throw new SlackCallError('response_url', 'response_url_not_allowed', false);
      let response: Response;
      try {
        response = await fetch(responseUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            response_type: 'ephemeral',
            replace_original: false,
            text: message.text,
            blocks: message.blocks,
          }),
          signal: AbortSignal.timeout(10_000),
        });
        // Read to the end, so the connection goes back to the pool instead of waiting for the GC.
        await response.arrayBuffer();
      } catch {
        throw new SlackCallError('response_url', 'request_failed', true);
      }
      // A used or expired response_url (404) will never work again; Slack's own trouble (5xx) may pass.
      if (!response.ok)
        throw new SlackCallError(
          'response_url',
          `http_${response.status}`,
          response.status >= 500 || response.status === 429,
        );
    },
    async publishHome(userId, view: RenderedView) {
      await call('views.publish', () =>
        client.views.publish({
          user_id: userId,
          view: { type: 'home', blocks: view.blocks as unknown as KnownBlock[] },
        }),
      );
    },
  };
}
