// The local workspace: a Slack-like workspace the process serves itself when no Slack is configured.
// Its model and Web API are the fake Slack's (src/fake-slack); this adds the people's side: every
// command, click, submission and membership change reaches the bot as a signed request on
// /slack/events, as from Slack, and every change is saved to the database and pushed to the page.
import { randomBytes } from 'node:crypto';
import { FakeSlack } from '../fake-slack/fake-slack.js';
import {
  blockActionsBody,
  eventBody,
  fakeTriggerId,
  interactionBody,
  postToApp,
  slackTimestamp,
  slashCommandBody,
  viewSubmissionBody,
} from '../fake-slack/signed-requests.js';
import type { FakeChannel, FakeMessage, FakeUser, FakeView, RecordedCall } from '../fake-slack/types.js';
import type { Logger } from '../logging/logger.js';
import type { ServiceContext } from '../services/shared/context.js';
import type { SimulatedClock } from './clock.js';
import { GENERAL_CHANNEL, LOCAL_TEAM, TEAMMATES } from './people.js';
import { type LocalReply, type WorkspaceSnapshot, WorkspaceStore } from './store.js';

type Json = Record<string, unknown>;

/** Where a person clicked: a message, one of their ephemerals or replies, or a view (modal, Home). */
export type ClickSurface =
  | { kind: 'message'; channel: string; ts: string }
  | { kind: 'ephemeral'; channel: string; id: string }
  | { kind: 'view'; viewId: string };

export interface Click {
  surface: ClickSurface;
  blockId: string;
  actionId: string;
  /** For overflow menus and selects: the index of the chosen option. */
  option?: number;
}

/** What a person sees as theirs only: ephemerals posted to them and replies to their response URLs. */
export interface PrivateNote {
  id: string;
  channel: string;
  text: string;
  blocks?: unknown[];
  at: number;
}

export class ActionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActionError';
  }
}

interface BotLink {
  eventsUrl: string;
  signingSecret: string;
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function tsToMs(ts: string): number {
  return Math.floor(Number(ts) * 1000);
}

export interface LocalWorkspaceOptions {
  /** For the service verbs that load and save the workspace. */
  ctx: ServiceContext;
  clock: SimulatedClock;
  logger: Logger;
  /** Generated per run: the bot authenticates with it, nobody else sees it. */
  botToken: string;
}

export class LocalWorkspace {
  readonly team = LOCAL_TEAM;
  private bot: BotLink | null = null;
  private replies: LocalReply[] = [];
  private viewOwners = new Map<string, string>();
  /** Trigger ids handed out with a person's click, so the modal it opens is theirs. */
  private readonly triggerOwners = new Map<string, string>();
  /** Response URL id → whose command or click it answers, and where. */
  private readonly responseTargets = new Map<string, { user: string; channel: string }>();
  private readonly subscribers = new Set<() => void>();
  private readonly store: WorkspaceStore;
  private deliveries: Promise<unknown> = Promise.resolve();
  private version = 0;

  private constructor(
    readonly slack: FakeSlack,
    readonly clock: SimulatedClock,
    ctx: ServiceContext,
    private readonly logger: Logger,
  ) {
    this.store = new WorkspaceStore(ctx, () => this.snapshot(), logger);
    slack.onCall((call) => this.afterCall(call));
  }

  /** Starts the Web API on loopback and restores the workspace saved in the database (or seeds one). */
  static async start(options: LocalWorkspaceOptions): Promise<LocalWorkspace> {
    const slack = await FakeSlack.start({
      host: '127.0.0.1',
      botToken: options.botToken,
      ...LOCAL_TEAM,
      users: [...TEAMMATES],
      clock: options.clock.nowMs,
      callHistoryLimit: 200,
    });
    const workspace = new LocalWorkspace(slack, options.clock, options.ctx, options.logger);
    try {
      await workspace.restoreOrSeed();
    } catch (error) {
      await slack.stop();
      throw error;
    }
    return workspace;
  }

  private async restoreOrSeed(): Promise<void> {
    const saved = await this.store.load();
    if (saved) {
      this.slack.importState(saved.slack);
      this.clock.restore(saved.clockOffsetMs);
      this.replies = saved.replies;
      this.viewOwners = new Map(Object.entries(saved.viewOwners));
      return;
    }
    this.slack.addChannel({
      name: GENERAL_CHANNEL,
      members: [...TEAMMATES.map((person) => person.id), this.team.botUserId],
      creator: TEAMMATES[0]?.id ?? this.team.botUserId,
    });
    this.store.schedule();
    await this.store.flush();
  }

  /** Where the bot listens; person actions are posted there, signed with the bot's signing secret. */
  connect(bot: BotLink): void {
    this.bot = bot;
  }

  /** Resolves once the events queued so far have reached the bot. */
  async eventsDelivered(): Promise<void> {
    await this.deliveries.catch(() => undefined);
  }

  async stop(): Promise<void> {
    await this.deliveries.catch(() => undefined);
    await this.store.flush();
    this.subscribers.clear();
    await this.slack.stop();
  }

  // ----- reading ---------------------------------------------------------------------------

  get changeVersion(): number {
    return this.version;
  }

  people(): FakeUser[] {
    return TEAMMATES.flatMap((person) => this.slack.user(person.id) ?? []);
  }

  person(id: string): FakeUser | undefined {
    return TEAMMATES.some((person) => person.id === id) ? this.slack.user(id) : undefined;
  }

  userName(id: string): string | undefined {
    return this.slack.user(id)?.name;
  }

  /** General first, then the upgrade channels, newest first. */
  channels(): FakeChannel[] {
    const all = this.slack.allChannels().filter((channel) => !channel.is_im);
    return all.sort((a, b) =>
      a.name === GENERAL_CHANNEL ? -1 : b.name === GENERAL_CHANNEL ? 1 : b.created - a.created,
    );
  }

  generalChannel(): FakeChannel {
    const general = this.slack.channelByName(GENERAL_CHANNEL);
    if (!general) throw new Error('the local workspace has no general channel');
    return general;
  }

  messages(channelId: string): FakeMessage[] {
    return this.slack.messages(channelId);
  }

  pins(channelId: string): string[] {
    return this.slack.pins(channelId);
  }

  /** Ephemerals and response_url replies for this person in this channel, oldest first. */
  privateNotes(userId: string, channelId: string): PrivateNote[] {
    const ephemerals = this.slack
      .ephemerals(channelId)
      .filter((e) => e.user === userId)
      .map((e) => ({
        id: e.message_ts,
        channel: e.channel,
        text: e.text,
        ...(e.blocks ? { blocks: e.blocks } : {}),
        at: tsToMs(e.message_ts),
      }));
    const replies = this.replies
      .filter((r) => r.user === userId && r.channel === channelId)
      .map((r) => ({
        id: r.id,
        channel: r.channel,
        text: r.text,
        ...(r.blocks ? { blocks: r.blocks } : {}),
        at: r.at,
      }));
    return [...ephemerals, ...replies].sort((a, b) => a.at - b.at);
  }

  /** The modal open for this person, newest first (a person sees one at a time). */
  openModal(userId: string): FakeView | undefined {
    return this.slack
      .openedViews()
      .filter((view) => this.viewOwners.get(view.id) === userId)
      .at(-1);
  }

  homeView(userId: string): FakeView | undefined {
    return this.slack.homeView(userId);
  }

  /** Calls `listener` after every change; returns the function that unsubscribes. */
  subscribe(listener: () => void): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }

  // ----- what people do --------------------------------------------------------------------

  /** Types a slash command (`/pra-upgrade …`) in a channel. */
  async command(userId: string, channelId: string, commandLine: string): Promise<void> {
    const person = this.requirePerson(userId);
    const channel = this.requireChannel(channelId);
    const match = /^\s*(\/[a-z0-9_-]+)(?:\s+([\s\S]*))?$/i.exec(commandLine);
    if (!match?.[1]) throw new ActionError('Type a slash command, e.g. /pra-upgrade help');
    const command = match[1].toLowerCase();
    if (command !== '/pra-upgrade') {
      throw new ActionError(`${command} is not a command here; try /pra-upgrade help`);
    }
    const responseUrl = this.responseUrlFor(userId, channel.id);
    const triggerId = this.triggerFor(userId);
    const response = await this.send(
      slashCommandBody({
        command,
        text: this.escapeTyped((match[2] ?? '').trim()),
        userId,
        userName: person.name,
        channelId: channel.id,
        channelName: channel.name,
        teamId: this.team.teamId,
        teamDomain: this.team.teamDomain,
        responseUrl,
        triggerId,
        apiAppId: this.team.apiAppId,
      }),
    );
    // Slack shows what an app puts in its acknowledgement to the person who typed the command.
    const answer = parseJson(response.body);
    if (isRecord(answer) && (typeof answer.text === 'string' || Array.isArray(answer.blocks))) {
      this.addReply(userId, channel.id, answer);
      this.changed();
    }
  }

  /** Clicks a button (or picks an option) on a message, an ephemeral, a modal or the Home tab. */
  async click(userId: string, click: Click): Promise<void> {
    const person = this.requirePerson(userId);
    const { blocks, message } = this.blocksOf(userId, click.surface);
    const element = findElement(blocks, click.blockId, click.actionId);
    if (!element) throw new ActionError('That button is gone; the message has changed since.');
    const action: Json = {
      action_id: click.actionId,
      block_id: click.blockId,
      type: String(element.type ?? 'button'),
      action_ts: slackTimestamp(this.clock.nowMs()),
      ...(isRecord(element.text) ? { text: element.text } : {}),
      ...(typeof element.value === 'string' ? { value: element.value } : {}),
    };
    if (element.type === 'overflow' || element.type === 'static_select') {
      const options = Array.isArray(element.options) ? element.options : [];
      const chosen = click.option === undefined ? undefined : options[click.option];
      if (!isRecord(chosen)) throw new ActionError('Pick one of the options.');
      action.selected_option = chosen;
    }
    const triggerId = this.triggerFor(userId);
    if (click.surface.kind === 'view') {
      const view = this.slack.view(click.surface.viewId);
      await this.send(
        interactionBody({
          type: 'block_actions',
          user: { id: userId, username: person.name, name: person.name, team_id: this.team.teamId },
          api_app_id: this.team.apiAppId,
          container: { type: 'view', view_id: click.surface.viewId },
          trigger_id: triggerId,
          team: { id: this.team.teamId, domain: this.team.teamDomain },
          is_enterprise_install: false,
          view,
          actions: [action],
        }),
      );
      return;
    }
    const channel = this.requireChannel(click.surface.channel);
    await this.send(
      blockActionsBody({
        userId,
        userName: person.name,
        teamId: this.team.teamId,
        teamDomain: this.team.teamDomain,
        channelId: channel.id,
        channelName: channel.name,
        ...(message
          ? { messageTs: message.ts, messageBlocks: message.blocks ?? [], messageText: message.text }
          : {}),
        responseUrl: this.responseUrlFor(userId, channel.id),
        triggerId,
        apiAppId: this.team.apiAppId,
        actions: [action as { action_id: string; block_id: string }],
      }),
    );
  }

  /**
   * Submits a modal. The bot's answer decides: errors stay in the modal at their fields; anything
   * else closes it, as in Slack. Returns the errors, if any.
   */
  async submitView(
    userId: string,
    viewId: string,
    values: Record<string, Record<string, string | string[]>>,
  ): Promise<Record<string, string>> {
    const person = this.requirePerson(userId);
    const view = this.slack.view(viewId);
    if (!view || this.viewOwners.get(viewId) !== userId)
      throw new ActionError('That form is no longer open.');
    const state: Record<string, Record<string, string | Json>> = {};
    for (const input of inputsOf(view.blocks)) {
      const given = values[input.blockId]?.[input.actionId];
      state[input.blockId] = { [input.actionId]: stateValue(input.element, given) };
    }
    const response = await this.send(
      viewSubmissionBody({
        userId,
        userName: person.name,
        teamId: this.team.teamId,
        teamDomain: this.team.teamDomain,
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        values: state,
        viewId: view.id,
        blocks: view.blocks,
        triggerId: this.triggerFor(userId),
        apiAppId: this.team.apiAppId,
        botId: this.team.botId,
      }),
    );
    const answer = parseJson(response.body);
    if (isRecord(answer) && answer.response_action === 'errors' && isRecord(answer.errors)) {
      return Object.fromEntries(Object.entries(answer.errors).map(([block, text]) => [block, String(text)]));
    }
    this.closeModal(userId, viewId);
    return {};
  }

  /** Closes a modal without submitting it (Slack sends `view_closed` only on request; the bot asks none). */
  closeModal(userId: string, viewId: string): void {
    if (this.viewOwners.get(viewId) !== userId) return;
    this.slack.closeView(viewId);
    this.viewOwners.delete(viewId);
    this.changed();
  }

  /** Opens the Home tab: Slack sends `app_home_opened`, and the bot publishes the view. */
  async openHome(userId: string): Promise<void> {
    this.requirePerson(userId);
    await this.sendEvent({ type: 'app_home_opened', user: userId, channel: `D${userId}`, tab: 'home' });
  }

  /** Joins a channel by oneself (the bot makes such a person an observer of an upgrade). */
  async join(userId: string, channelId: string): Promise<void> {
    this.requirePerson(userId);
    const channel = this.requireChannel(channelId);
    if (channel.members.has(userId)) return;
    await this.addMember(channel, userId, null);
  }

  /** Adds someone else to a channel (a participant adding a teammate makes a participant). */
  async invite(inviterId: string, channelId: string, userId: string): Promise<void> {
    this.requirePerson(inviterId);
    this.requirePerson(userId);
    const channel = this.requireChannel(channelId);
    if (!channel.members.has(inviterId))
      throw new ActionError('Join the channel before adding others to it.');
    if (channel.members.has(userId))
      throw new ActionError(`${this.userName(userId)} is already in the channel.`);
    await this.addMember(channel, userId, inviterId);
  }

  /** Slack's `member_joined_channel`, with the inviter when someone else added the person. */
  private async addMember(
    channel: ReturnType<LocalWorkspace['requireChannel']>,
    userId: string,
    inviterId: string | null,
  ): Promise<void> {
    channel.members.add(userId);
    this.changed();
    await this.sendEvent({
      type: 'member_joined_channel',
      user: userId,
      channel: channel.id,
      channel_type: 'C',
      team: this.team.teamId,
      ...(inviterId ? { inviter: inviterId } : {}),
    });
  }

  async leave(userId: string, channelId: string): Promise<void> {
    this.requirePerson(userId);
    const channel = this.requireChannel(channelId);
    if (channel.name === GENERAL_CHANNEL) throw new ActionError('Everyone stays in #general.');
    if (!channel.members.delete(userId)) return;
    this.changed();
    await this.sendEvent({
      type: 'member_left_channel',
      user: userId,
      channel: channel.id,
      channel_type: 'C',
      team: this.team.teamId,
    });
  }

  /** Saves the clock after it moved and tells the page. */
  clockMoved(): void {
    this.changed();
  }

  // ----- internals -------------------------------------------------------------------------

  private snapshot(): WorkspaceSnapshot {
    return {
      slack: this.slack.exportState(),
      clockOffsetMs: this.clock.offset,
      replies: this.replies,
      viewOwners: Object.fromEntries(this.viewOwners),
    };
  }

  private changed(): void {
    this.version += 1;
    this.store.schedule();
    for (const listener of this.subscribers) listener();
  }

  private afterCall(call: RecordedCall): void {
    const ok = call.status === 200 && isRecord(call.response) && call.response.ok === true;
    if (ok && call.method === 'response_url') this.recordReply(call);
    if (ok && call.method === 'views.open') {
      const trigger = typeof call.args.trigger_id === 'string' ? call.args.trigger_id : '';
      const owner = this.triggerOwners.get(trigger);
      const view = isRecord(call.response) && isRecord(call.response.view) ? call.response.view : {};
      if (owner && typeof view.id === 'string') this.viewOwners.set(view.id, owner);
      this.triggerOwners.delete(trigger);
    }
    if (ok && call.method === 'conversations.invite') this.announceInvited(call);
    this.changed();
  }

  private recordReply(call: RecordedCall): void {
    const id = call.path.split('/').at(-1) ?? '';
    const target = this.responseTargets.get(id);
    if (!target) return;
    if (call.args.delete_original === true) return;
    this.addReply(target.user, target.channel, call.args);
  }

  private addReply(user: string, channel: string, body: Json): void {
    this.replies.push({
      id: `R${randomBytes(6).toString('hex')}`,
      user,
      channel,
      text: typeof body.text === 'string' ? body.text : '',
      ...(Array.isArray(body.blocks) ? { blocks: body.blocks } : {}),
      at: this.clock.nowMs(),
    });
    // Old replies go, as Slack's ephemeral messages do; the page keeps the last ones per person.
    if (this.replies.length > 400) this.replies.splice(0, this.replies.length - 400);
  }

  /** Slack tells the app about everyone its `conversations.invite` added, with the bot as inviter. */
  private announceInvited(call: RecordedCall): void {
    const channel = typeof call.args.channel === 'string' ? call.args.channel : '';
    const users = typeof call.args.users === 'string' ? call.args.users.split(',') : [];
    const response = isRecord(call.response) ? call.response : {};
    const failed = new Set(
      (Array.isArray(response.errors) ? response.errors : []).flatMap((e) =>
        isRecord(e) && typeof e.user === 'string' ? [e.user] : [],
      ),
    );
    for (const user of users.map((u) => u.trim()).filter((u) => u && !failed.has(u))) {
      void this.sendEvent({
        type: 'member_joined_channel',
        user,
        channel,
        channel_type: 'C',
        team: this.team.teamId,
        inviter: this.team.botUserId,
      });
    }
  }

  /**
   * What Slack sends for typed command text with `should_escape`: `&`, `<` and `>` as entities, and
   * `@name` / `#channel` as `<@U…|name>` / `<#C…|name>` when they name a teammate or a channel.
   */
  escapeTyped(text: string): string {
    const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    return escaped
      .replace(/(^|\s)@([a-z0-9._-]+)/gi, (whole, space: string, name: string) => {
        const person = this.people().find((p) => p.name.toLowerCase() === name.toLowerCase());
        return person ? `${space}<@${person.id}|${person.name}>` : whole;
      })
      .replace(/(^|\s)#([a-z0-9_-]+)/g, (whole, space: string, name: string) => {
        const channel = this.slack.channelByName(name);
        return channel ? `${space}<#${channel.id}|${channel.name}>` : whole;
      });
  }

  private requirePerson(userId: string): FakeUser {
    const person = this.person(userId);
    if (!person) throw new ActionError(`There is no teammate ${userId} here.`);
    return person;
  }

  private requireChannel(channelId: string): FakeChannel {
    const channel = this.slack.channel(channelId);
    if (!channel || channel.is_im) throw new ActionError('That channel does not exist (any more).');
    return channel;
  }

  private responseUrlFor(userId: string, channelId: string): string {
    const url = this.slack.createResponseUrl();
    this.responseTargets.set(url.split('/').at(-1) ?? '', { user: userId, channel: channelId });
    // Slack's response URLs last 30 minutes; the newest thousand are more than a team uses in that time.
    if (this.responseTargets.size > 1000) {
      const oldest = this.responseTargets.keys().next().value;
      if (oldest !== undefined) this.responseTargets.delete(oldest);
    }
    return url;
  }

  private triggerFor(userId: string): string {
    const trigger = fakeTriggerId();
    this.triggerOwners.set(trigger, userId);
    // Slack's triggers expire after 3 seconds; a few hundred unclaimed ones are plenty to remember.
    if (this.triggerOwners.size > 200) {
      const oldest = this.triggerOwners.keys().next().value;
      if (oldest !== undefined) this.triggerOwners.delete(oldest);
    }
    return trigger;
  }

  private blocksOf(userId: string, surface: ClickSurface): { blocks: unknown[]; message?: FakeMessage } {
    if (surface.kind === 'message') {
      const message = this.slack.message(surface.channel, surface.ts);
      if (!message) throw new ActionError('That message is gone.');
      return { blocks: message.blocks ?? [], message };
    }
    if (surface.kind === 'ephemeral') {
      const note = this.privateNotes(userId, surface.channel).find((n) => n.id === surface.id);
      if (!note) throw new ActionError('That message is gone.');
      return { blocks: note.blocks ?? [] };
    }
    const view = this.slack.view(surface.viewId);
    const mine =
      this.viewOwners.get(surface.viewId) === userId || this.slack.homeView(userId)?.id === surface.viewId;
    if (!view || !mine) throw new ActionError('That view is no longer open.');
    return { blocks: view.blocks };
  }

  private async send(body: string): Promise<{ status: number; body: string }> {
    if (!this.bot) throw new ActionError('The bot is not running yet; try again in a moment.');
    const response = await postToApp(this.bot.eventsUrl, body, { signingSecret: this.bot.signingSecret });
    if (response.status !== 200) {
      this.logger.warn({ status: response.status }, 'the bot refused a request from the local workspace');
      throw new ActionError(`The bot answered HTTP ${response.status}; see its log.`);
    }
    return response;
  }

  /** Events go out one after another, in order, like Slack's delivery to one app. */
  private sendEvent(event: Json): Promise<void> {
    const delivery = this.deliveries.then(async () => {
      if (!this.bot) return;
      const body = eventBody({
        teamId: this.team.teamId,
        event,
        eventTime: Math.floor(this.clock.nowMs() / 1000),
        apiAppId: this.team.apiAppId,
        botUserId: this.team.botUserId,
      });
      try {
        await this.send(body);
      } catch (error) {
        this.logger.warn({ err: error, event: event.type }, 'could not deliver an event to the bot');
      }
    });
    this.deliveries = delivery;
    return delivery;
  }
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** The element with this block and action id, in a block's elements or accessory. */
export function findElement(blocks: unknown[], blockId: string, actionId: string): Json | undefined {
  for (const block of blocks) {
    if (!isRecord(block) || block.block_id !== blockId) continue;
    const candidates = [
      ...(Array.isArray(block.elements) ? block.elements : []),
      ...(block.accessory ? [block.accessory] : []),
    ];
    const found = candidates.find((e) => isRecord(e) && e.action_id === actionId);
    if (isRecord(found)) return found;
  }
  return undefined;
}

interface InputField {
  blockId: string;
  actionId: string;
  element: Json;
}

function inputsOf(blocks: unknown[]): InputField[] {
  return blocks.flatMap((block) => {
    if (!isRecord(block) || block.type !== 'input' || !isRecord(block.element)) return [];
    const blockId = typeof block.block_id === 'string' ? block.block_id : '';
    const actionId = typeof block.element.action_id === 'string' ? block.element.action_id : '';
    return blockId && actionId ? [{ blockId, actionId, element: block.element }] : [];
  });
}

/** An input's value in `view.state.values`, shaped as Slack shapes it per element type. */
function stateValue(element: Json, given: string | string[] | undefined): string | Json {
  const type = String(element.type);
  const options = Array.isArray(element.options) ? element.options.filter(isRecord) : [];
  const pick = (value: string) => options.find((o) => o.value === value) ?? null;
  const first = Array.isArray(given) ? given[0] : given;
  switch (type) {
    case 'plain_text_input':
      return { type, value: first ?? '' };
    case 'static_select':
    case 'radio_buttons':
      return { type, selected_option: first ? pick(first) : null };
    case 'checkboxes':
      return {
        type,
        selected_options: (Array.isArray(given) ? given : given ? [given] : []).flatMap((v) => pick(v) ?? []),
      };
    case 'datepicker':
      return { type, selected_date: first || null };
    case 'timepicker':
      return { type, selected_time: first || null };
    default:
      return { type, value: first ?? '' };
  }
}
