import type { DateTime } from 'luxon';
import type { UpgradeSnapshot } from '../../db/repositories/snapshots.js';
import type { Notice, Reply } from '../shared/outbox-messages.js';

/** The upgrade as the renderer sees it (the database's read model). */
export type { UpgradeSnapshot };

/** A Slack message: fallback text plus Block Kit blocks (kept opaque here; built in src/slack/blocks). */
export interface RenderedMessage {
  text: string;
  blocks: Record<string, unknown>[];
}

export interface RenderedView {
  type: 'home';
  blocks: Record<string, unknown>[];
}

/** What a reply needs besides itself: the upgrade it is about, or the list for `list`. */
export interface ReplyData {
  snapshot: UpgradeSnapshot | null;
  upgrades: UpgradeSnapshot[];
}

/** Turns database state into Slack messages; implemented in src/slack/blocks, pure. */
export interface Renderer {
  /** The channel name to try; attempt 0 is the plain name, later attempts add a suffix. */
  channelName(snapshot: UpgradeSnapshot, attempt: number): string;
  topic(snapshot: UpgradeSnapshot): string;
  /** The messages that make up the runbook in the channel, in posting order; the first is the overview. */
  runbookSlots(snapshot: UpgradeSnapshot): string[];
  /** The content of one slot, or null when the slot no longer exists (after an option change). */
  slotMessage(snapshot: UpgradeSnapshot, slot: string, now: DateTime): RenderedMessage | null;
  notice(snapshot: UpgradeSnapshot, notice: Notice, now: DateTime): RenderedMessage;
  reply(reply: Reply, data: ReplyData, now: DateTime): RenderedMessage;
  home(userId: string, upgrades: UpgradeSnapshot[], now: DateTime): RenderedView;
}

/** A Slack call that failed; transient ones are retried (after `retryAfterSeconds` when Slack said so). */
export class SlackCallError extends Error {
  constructor(
    readonly method: string,
    readonly code: string,
    readonly transient: boolean,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(`${method} failed: ${code}`);
    this.name = 'SlackCallError';
  }
}

/** The Slack Web API calls the bot makes; implemented in src/slack/gateway.ts. */
export interface SlackGateway {
  createChannel(name: string): Promise<{ id: string; name: string }>;
  /** A channel of this name that the bot itself created, or null (another's channel is never reused). */
  findOwnChannel(name: string): Promise<{ id: string; name: string } | null>;
  /** Invites everyone it can; people who cannot be invited at all are returned, not thrown. */
  invite(channelId: string, userIds: string[]): Promise<{ failed: { userId: string; error: string }[] }>;
  setTopic(channelId: string, topic: string): Promise<void>;
  /** `key` travels in the message's metadata, so the post can be recognised in the channel later. */
  post(channelId: string, message: RenderedMessage, key?: string): Promise<{ ts: string }>;
  /** The bot's recent messages in a channel that carry a key: key → ts. */
  findPosted(channelId: string): Promise<Map<string, string>>;
  update(channelId: string, ts: string, message: RenderedMessage): Promise<void>;
  pin(channelId: string, ts: string): Promise<void>;
  /** Slack's link to a message (`chat.getPermalink`, which needs no scope of its own). */
  permalink(channelId: string, ts: string): Promise<string>;
  respond(responseUrl: string, message: RenderedMessage): Promise<void>;
  publishHome(userId: string, view: RenderedView): Promise<void>;
}
