import type { FakeSlack } from './fake-slack.js';
import {
  type BlockActionInput,
  blockActionsBody,
  eventBody,
  postToApp,
  slashCommandBody,
  viewSubmissionBody,
} from './signed-requests.js';
import type { FakeMessage } from './types.js';

type MenuOption = { value: string; text?: { text?: string } };
type Button = {
  type?: string;
  action_id: string;
  value?: string;
  style?: string;
  text?: { text?: string };
  options?: MenuOption[];
};
export type DriverBlock = { type: string; block_id?: string; elements?: Button[]; accessory?: Button };

/** The interactive elements of a block: an actions block's elements, or a section's accessory. */
function elementsOf(block: DriverBlock): Button[] {
  return [...(block.elements ?? []), ...(block.accessory ? [block.accessory] : [])];
}

/** The bot's menu options name the button they stand for in their value (`{"action":"step.undo",…}`). */
function optionAction(option: MenuOption): string | null {
  try {
    const parsed = JSON.parse(option.value) as { action?: unknown };
    return typeof parsed.action === 'string' ? parsed.action : null;
  } catch {
    return null;
  }
}

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

  /**
   * Clicks a button of a step (`step:<key>` block), by action id prefix; the confirm button by default.
   * A done step keeps its actions in an overflow menu: the option standing for that action is chosen,
   * and when the answer offers the button itself (Undo, behind Slack's confirmation dialog), it is
   * clicked too, as a person confirming would.
   */
  async clickStep(
    userId: string,
    stepKey: string,
    actionPrefix = 'step.complete',
    options: { actionTs?: string; retryNum?: number; channelId?: string } = {},
  ) {
    const channelId = options.channelId ?? this.upgradeChannel();
    const blockId = `step:${stepKey}`;
    const { message, block } = this.messageWithBlock(channelId, blockId);
    const elements = elementsOf(block);
    const button = elements.find((e) => e.type !== 'overflow' && e.action_id.startsWith(actionPrefix));
    if (button) return this.clickButton(userId, channelId, message.ts, blockId, button, options);
    for (const menu of elements.filter((e) => e.type === 'overflow')) {
      const option = menu.options?.find((o) => optionAction(o)?.startsWith(actionPrefix));
      if (!option) continue;
      const chosen = await this.chooseOption(userId, channelId, message.ts, blockId, menu, option, options);
      const offered = this.offeredButton(chosen.responseUrl, actionPrefix);
      if (!offered) return chosen;
      return this.clickButton(userId, channelId, message.ts, offered.blockId, offered.button, options);
    }
    throw new Error(`step ${stepKey} has no ${actionPrefix} button or menu option`);
  }

  /** Chooses an option of an overflow menu: Slack sends `selected_option` instead of a value. */
  async chooseOption(
    userId: string,
    channelId: string,
    messageTs: string,
    blockId: string,
    menu: Button,
    option: MenuOption,
    options: { actionTs?: string; retryNum?: number } = {},
  ) {
    return this.sendAction(userId, channelId, messageTs, options, {
      type: 'overflow',
      action_id: menu.action_id,
      block_id: blockId,
      selected_option: { text: { type: 'plain_text', text: option.text?.text ?? '' }, value: option.value },
    });
  }

  /** A button the app sent back to one person (through a response_url), by action id prefix. */
  offeredButton(responseUrl: string, actionPrefix: string): { blockId: string; button: Button } | null {
    const id = responseUrl.split('/').at(-1);
    for (const response of this.fake.responses.filter((r) => r.id === id).reverse()) {
      const blocks = ((response.body as { blocks?: DriverBlock[] }).blocks ?? []) as DriverBlock[];
      for (const block of blocks) {
        const button = elementsOf(block).find(
          (e) => e.type === 'button' && e.action_id.startsWith(actionPrefix),
        );
        if (button && block.block_id) return { blockId: block.block_id, button };
      }
    }
    return null;
  }

  async clickButton(
    userId: string,
    channelId: string,
    messageTs: string,
    blockId: string,
    button: Button,
    options: { actionTs?: string; retryNum?: number } = {},
  ) {
    return this.sendAction(userId, channelId, messageTs, options, {
      action_id: button.action_id,
      block_id: blockId,
      ...(button.value !== undefined ? { value: button.value } : {}),
    });
  }

  /** One block_actions payload, signed and posted as Slack does, with a fresh response_url. */
  private async sendAction(
    userId: string,
    channelId: string,
    messageTs: string,
    options: { actionTs?: string; retryNum?: number },
    action: BlockActionInput,
  ) {
    const responseUrl = this.fake.createResponseUrl();
    const body = blockActionsBody({
      userId,
      teamId: this.fake.teamId,
      channelId,
      messageTs,
      responseUrl,
      actions: [{ ...action, ...(options.actionTs ? { action_ts: options.actionTs } : {}) }],
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
