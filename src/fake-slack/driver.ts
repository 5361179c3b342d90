import type { FakeSlack } from './fake-slack.js';
import {
  blockActionsBody,
  eventBody,
  postToApp,
  slashCommandBody,
  viewSubmissionBody,
} from './signed-requests.js';
import type { FakeMessage } from './types.js';

type Button = { action_id: string; value?: string; style?: string; text?: { text?: string } };
export type DriverBlock = { type: string; block_id?: string; elements?: Button[] };

export interface DriverOptions {
  fake: FakeSlack;
  /** The app's `POST /slack/events` URL. */
  eventsUrl: string;
  signingSecret: string;
  /** Waits until the app has finished what a request set in motion; polling is the fallback. */
  settle?: () => Promise<void>;
}

/**
 * Plays the people in Slack against a running app: types slash commands, clicks buttons on the
 * messages the app posted to the fake Slack, submits modals, sends events; every request signed.
 */
export class SlackDriver {
  constructor(private readonly options: DriverOptions) {}

  get fake(): FakeSlack {
    return this.options.fake;
  }

  async settle(): Promise<void> {
    if (this.options.settle) await this.options.settle();
    else await new Promise((resolve) => setTimeout(resolve, 300));
  }

  async command(
    userId: string,
    text: string,
    channelId = 'CGENERAL',
    options: { retryNum?: number; triggerId?: string } = {},
  ) {
    const responseUrl = this.fake.createResponseUrl();
    const body = slashCommandBody({
      command: '/pra-upgrade',
      text,
      userId,
      channelId,
      teamId: this.fake.teamId,
      responseUrl,
      ...(options.triggerId ? { triggerId: options.triggerId } : {}),
    });
    const response = await postToApp(this.options.eventsUrl, body, {
      signingSecret: this.options.signingSecret,
      ...(options.retryNum ? { retryNum: options.retryNum, retryReason: 'http_timeout' } : {}),
    });
    await this.settle();
    return { response, responseUrl, replies: () => this.repliesTo(responseUrl) };
  }

  /** Texts posted to a response_url (ephemeral answers), newest last. */
  repliesTo(responseUrl: string): string[] {
    const id = responseUrl.split('/').at(-1);
    return this.fake.responses
      .filter((r) => r.id === id)
      .map((r) => {
        const body = r.body as { text?: string; blocks?: unknown[] };
        return `${body.text ?? ''}\n${JSON.stringify(body.blocks ?? [])}`;
      });
  }

  /** The channel the app created most recently. */
  upgradeChannel(): string {
    const created = this.fake
      .callsTo('conversations.create')
      .filter((c) => (c.response as { ok?: boolean }).ok);
    const last = created.at(-1)?.response as { channel?: { id?: string } } | undefined;
    const id = last?.channel?.id;
    if (!id) throw new Error('no upgrade channel was created');
    return id;
  }

  /** The current message that carries a block with this block_id. */
  messageWithBlock(channelId: string, blockId: string): { message: FakeMessage; block: DriverBlock } {
    for (const message of this.fake.messages(channelId)) {
      const block = ((message.blocks ?? []) as DriverBlock[]).find((b) => b.block_id === blockId);
      if (block) return { message, block };
    }
    throw new Error(`no message in ${channelId} has block ${blockId}`);
  }

  /** Clicks a button of a step (`step:<key>` block), by action id prefix; the confirm button by default. */
  async clickStep(
    userId: string,
    stepKey: string,
    actionPrefix = 'step.complete',
    options: { actionTs?: string; retryNum?: number; channelId?: string } = {},
  ) {
    const channelId = options.channelId ?? this.upgradeChannel();
    const { message, block } = this.messageWithBlock(channelId, `step:${stepKey}`);
    const button = block.elements?.find((e) => e.action_id.startsWith(actionPrefix));
    if (!button) throw new Error(`step ${stepKey} has no ${actionPrefix} button`);
    return this.clickButton(userId, channelId, message.ts, `step:${stepKey}`, button, options);
  }

  async clickButton(
    userId: string,
    channelId: string,
    messageTs: string,
    blockId: string,
    button: Button,
    options: { actionTs?: string; retryNum?: number } = {},
  ) {
    const responseUrl = this.fake.createResponseUrl();
    const body = blockActionsBody({
      userId,
      teamId: this.fake.teamId,
      channelId,
      messageTs,
      responseUrl,
      actions: [
        {
          action_id: button.action_id,
          block_id: blockId,
          ...(button.value !== undefined ? { value: button.value } : {}),
          ...(options.actionTs ? { action_ts: options.actionTs } : {}),
        },
      ],
    });
    const response = await postToApp(this.options.eventsUrl, body, {
      signingSecret: this.options.signingSecret,
      ...(options.retryNum ? { retryNum: options.retryNum, retryReason: 'http_timeout' } : {}),
    });
    await this.settle();
    return { response, responseUrl, replies: () => this.repliesTo(responseUrl), body };
  }

  async submitView(
    userId: string,
    callbackId: string,
    privateMetadata: string,
    values: Record<string, Record<string, string>>,
  ) {
    const body = viewSubmissionBody({
      userId,
      teamId: this.fake.teamId,
      callbackId,
      privateMetadata,
      values,
    });
    const response = await postToApp(this.options.eventsUrl, body, {
      signingSecret: this.options.signingSecret,
    });
    await this.settle();
    return response;
  }

  async event(event: Record<string, unknown>) {
    const response = await postToApp(this.options.eventsUrl, eventBody({ teamId: this.fake.teamId, event }), {
      signingSecret: this.options.signingSecret,
      contentType: 'application/json',
    });
    await this.settle();
    return response;
  }

  /** Every text the app posted into a channel (notices and runbook), oldest first. */
  channelTexts(channelId: string): string[] {
    return this.fake.messages(channelId).map((m) => `${m.text ?? ''}\n${JSON.stringify(m.blocks ?? [])}`);
  }
}
