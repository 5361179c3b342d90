import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../../../src/fake-slack/index.js';

const { WebClient, WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, LogLevel } = webApi;

/** The client logs Slack's `[ERROR]` detail messages; keep test output quiet. */
const silentLogger: webApi.Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

/** `token` undefined sends no token at all. */
function clientFor(fake: FakeSlack, token: string | undefined): webApi.WebClient {
  return new WebClient(token, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: silentLogger,
  });
}

/** The `error` code of a call Slack answered with ok:false. */
async function slackError(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    if (error instanceof WebAPIPlatformError) return error.data.error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

async function rejection(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

const TS = /^\d{10}\.\d{6}$/;

describe('FakeSlack driven by a real WebClient', () => {
  let fake: FakeSlack;
  let client: webApi.WebClient;

  beforeEach(async () => {
    fake = await FakeSlack.start({
      users: [
        { id: 'UALICE', name: 'alice', real_name: 'Alice A', tz: 'Europe/Paris' },
        { id: 'UBOB', name: 'bob' },
      ],
    });
    client = clientFor(fake, fake.botToken);
  });

  afterEach(async () => {
    await fake.stop();
  });

  async function createChannel(name = 'upg-1'): Promise<string> {
    const created = await client.conversations.create({ name });
    const id = created.channel?.id;
    if (id === undefined) throw new Error('no channel id');
    return id;
  }

  describe('identity and auth', () => {
    it('listens on loopback and answers auth.test with the bot identity', async () => {
      expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(fake.apiUrl).toBe(`${fake.url}api/`);
      const result = await client.auth.test();
      expect(result).toMatchObject({
        ok: true,
        user_id: fake.botUserId,
        bot_id: fake.botId,
        team_id: fake.teamId,
        team: fake.teamName,
      });
      expect(result.url).toMatch(/^https:\/\//);
    });

    it('refuses a wrong or a missing token with invalid_auth, HTTP 200', async () => {
      expect(await slackError(clientFor(fake, 'xoxb-wrong').auth.test())).toBe('invalid_auth');
      expect(await slackError(clientFor(fake, undefined).conversations.create({ name: 'x' }))).toBe(
        'invalid_auth',
      );
      expect(fake.calls.map((call) => call.status)).toEqual([200, 200]);
      expect(fake.channelByName('x')).toBeUndefined();
    });

    it('answers unknown_method for a method it does not know', async () => {
      expect(await slackError(client.apiCall('nope.nothing'))).toBe('unknown_method');
    });

    it('accepts JSON bodies and a token field as well as forms with a bearer token', async () => {
      const json = await fetch(`${fake.apiUrl}conversations.create`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${fake.botToken}`,
          'content-type': 'application/json; charset=utf-8',
        },
        body: JSON.stringify({ name: 'from-json', is_private: true }),
      });
      expect(await json.json()).toMatchObject({ ok: true, channel: { name: 'from-json', is_private: true } });
      const form = await fetch(`${fake.apiUrl}auth.test`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: fake.botToken }).toString(),
      });
      expect(await form.json()).toMatchObject({ ok: true });
    });
  });

  describe('conversations', () => {
    it('creates a channel the bot is a member of', async () => {
      const created = await client.conversations.create({ name: 'upg-1', is_private: true });
      expect(created.channel).toMatchObject({
        name: 'upg-1',
        is_channel: true,
        is_private: true,
        creator: fake.botUserId,
      });
      expect(created.channel?.id).toMatch(/^C[0-9A-Z]+$/);
      expect(typeof created.channel?.created).toBe('number');
      const channel = fake.channelByName('upg-1');
      expect(channel?.members.has(fake.botUserId)).toBe(true);
      expect(fake.callsTo('conversations.create')[0]?.args).toMatchObject({
        name: 'upg-1',
        is_private: 'true',
      });
    });

    it('answers name_taken for any existing name, whoever created it', async () => {
      await createChannel('upg-1');
      expect(await slackError(client.conversations.create({ name: 'upg-1' }))).toBe('name_taken');
      fake.addChannel({ name: 'someone-elses', members: ['UALICE'] });
      expect(await slackError(client.conversations.create({ name: 'someone-elses' }))).toBe('name_taken');
    });

    it("validates names with Slack's error codes", async () => {
      expect(await slackError(client.conversations.create({ name: '' }))).toBe('invalid_name');
      expect(await slackError(client.conversations.create({ name: 'a'.repeat(81) }))).toBe(
        'invalid_name_maxlength',
      );
      expect(await slackError(client.conversations.create({ name: 'Upgrade' }))).toBe(
        'invalid_name_specials',
      );
      expect(await slackError(client.conversations.create({ name: 'pra upgrade' }))).toBe(
        'invalid_name_specials',
      );
      await expect(client.conversations.create({ name: `x_${'a'.repeat(76)}-1` })).resolves.toMatchObject({
        ok: true,
      });
    });

    it('invites users, and reports each refusal like Slack', async () => {
      const channel = await createChannel();
      await client.conversations.invite({ channel, users: 'UALICE,UBOB' });
      expect([...(fake.channel(channel)?.members ?? [])]).toEqual([fake.botUserId, 'UALICE', 'UBOB']);

      expect(await slackError(client.conversations.invite({ channel: 'CNOPE', users: 'UALICE' }))).toBe(
        'channel_not_found',
      );
      expect(await slackError(client.conversations.invite({ channel, users: 'UNOPE' }))).toBe(
        'user_not_found',
      );
      expect(await slackError(client.conversations.invite({ channel, users: fake.botUserId }))).toBe(
        'cant_invite_self',
      );
      const already = await rejection(client.conversations.invite({ channel, users: 'UALICE' }));
      expect(already).toBeInstanceOf(WebAPIPlatformError);
      if (already instanceof WebAPIPlatformError) {
        expect(already.data).toMatchObject({
          error: 'already_in_channel',
          errors: [{ user: 'UALICE', ok: false, error: 'already_in_channel' }],
        });
      }
    });

    it('invites nobody when one of the users is refused', async () => {
      const channel = await createChannel();
      fake.addUser({ id: 'UCAROL', name: 'carol' });
      expect(await slackError(client.conversations.invite({ channel, users: 'UCAROL,UNOPE' }))).toBe(
        'user_not_found',
      );
      expect(fake.channel(channel)?.members.has('UCAROL')).toBe(false);
    });

    it('answers not_in_channel when the bot is not a member', async () => {
      const elsewhere = fake.addChannel({ name: 'elsewhere', members: ['UBOB'] });
      expect(await slackError(client.conversations.invite({ channel: elsewhere.id, users: 'UALICE' }))).toBe(
        'not_in_channel',
      );
      expect(await slackError(client.chat.postMessage({ channel: elsewhere.id, text: 'hi' }))).toBe(
        'not_in_channel',
      );
      const hidden = fake.addChannel({ name: 'secret', is_private: true, members: ['UBOB'] });
      expect(await slackError(client.conversations.info({ channel: hidden.id }))).toBe('channel_not_found');
    });

    it('sets the topic and answers info and members', async () => {
      const channel = await createChannel();
      await client.conversations.invite({ channel, users: 'UALICE' });
      await client.conversations.setTopic({ channel, topic: 'PRA upgrade, plan P3' });
      const info = await client.conversations.info({ channel, include_num_members: true });
      expect(info.channel).toMatchObject({ id: channel, is_member: true, num_members: 2 });
      expect(info.channel?.topic?.value).toBe('PRA upgrade, plan P3');
      const members = await client.conversations.members({ channel });
      expect(members.members).toEqual([fake.botUserId, 'UALICE']);
      expect(await slackError(client.conversations.setTopic({ channel, topic: 'x'.repeat(251) }))).toBe(
        'too_long',
      );
    });
  });

  describe('messages', () => {
    const blocks = [
      { type: 'section', block_id: 'step:backup', text: { type: 'mrkdwn', text: 'Back up' } },
      {
        type: 'actions',
        block_id: 'step:backup:actions',
        elements: [
          {
            type: 'button',
            action_id: 'confirm',
            style: 'primary',
            text: { type: 'plain_text', text: 'Done' },
          },
        ],
      },
    ];

    it('posts, updates and pins, keeping what Slack keeps', async () => {
      const channel = await createChannel();
      const posted = await client.chat.postMessage({ channel, text: 'fallback', blocks });
      expect(posted).toMatchObject({ ok: true, channel, message: { text: 'fallback', bot_id: fake.botId } });
      const ts = posted.ts ?? '';
      expect(ts).toMatch(TS);
      // Recorded arguments hold the blocks as objects, not as the JSON string on the wire.
      expect(fake.callsTo('chat.postMessage')[0]?.args.blocks).toEqual(blocks);
      expect(fake.messages(channel)).toMatchObject([{ ts, text: 'fallback', blocks, edited: 0 }]);

      const second = await client.chat.postMessage({ channel, text: 'second' });
      expect((second.ts ?? '') > ts).toBe(true);

      const newBlocks = [
        { type: 'section', block_id: 'step:backup', text: { type: 'mrkdwn', text: 'Backed up' } },
      ];
      const updated = await client.chat.update({ channel, ts, text: 'done', blocks: newBlocks });
      expect(updated).toMatchObject({ ok: true, ts, text: 'done' });
      expect(fake.message(channel, ts)).toMatchObject({ text: 'done', blocks: newBlocks, edited: 1 });

      expect(await slackError(client.chat.update({ channel, ts: '1.000001', text: 'x' }))).toBe(
        'message_not_found',
      );
      expect(await slackError(client.chat.update({ channel, ts, text: 'x'.repeat(4001) }))).toBe(
        'msg_too_long',
      );
      expect(fake.message(channel, ts)?.edited).toBe(1);

      await client.pins.add({ channel, timestamp: ts });
      expect(fake.pins(channel)).toEqual([ts]);
      expect(await slackError(client.pins.add({ channel, timestamp: ts }))).toBe('already_pinned');
      expect(await slackError(client.pins.add({ channel, timestamp: '1.000001' }))).toBe('message_not_found');
    });

    it('refuses messages Slack refuses, and stores none of them', async () => {
      const channel = await createChannel();
      expect(await slackError(client.chat.postMessage({ channel: 'CNOPE', text: 'x' }))).toBe(
        'channel_not_found',
      );
      expect(await slackError(client.chat.postMessage({ channel, text: '' }))).toBe('no_text');
      const many = Array.from({ length: 51 }, (_, i) => ({ type: 'divider', block_id: `b${i}` }));
      expect(await slackError(client.chat.postMessage({ channel, text: 'x', blocks: many }))).toBe(
        'invalid_blocks',
      );
      const duplicate = [
        { type: 'divider', block_id: 'same' },
        { type: 'divider', block_id: 'same' },
      ];
      expect(await slackError(client.chat.postMessage({ channel, text: 'x', blocks: duplicate }))).toBe(
        'invalid_blocks',
      );
      const longActionId = [
        {
          type: 'actions',
          elements: [
            { type: 'button', action_id: 'a'.repeat(256), text: { type: 'plain_text', text: 'Go' } },
          ],
        },
      ];
      expect(await slackError(client.chat.postMessage({ channel, text: 'x', blocks: longActionId }))).toBe(
        'invalid_blocks',
      );
      expect(await slackError(client.chat.update({ channel, ts: '1.000001', text: 'x' }))).toBe(
        'message_not_found',
      );
      expect(fake.messages(channel)).toEqual([]);
      expect(fake.callsTo('chat.postMessage')[2]?.response).toMatchObject({
        ok: false,
        error: 'invalid_blocks',
        response_metadata: { messages: ['[ERROR] must be less than 51 items [json-pointer:/blocks]'] },
      });
    });

    it('refuses overflow menus and confirmation dialogs past Slack’s limits', async () => {
      const channel = await createChannel();
      const option = (value: string) => ({ text: { type: 'plain_text', text: 'Pick' }, value });
      const menu = (extra: Record<string, unknown>) => [
        {
          type: 'section',
          text: { type: 'mrkdwn', text: 'x' },
          accessory: { type: 'overflow', action_id: 'm', ...extra },
        },
      ];
      const post = (blocks: unknown[]) =>
        slackError(client.chat.postMessage({ channel, text: 'x', blocks: blocks as never }));
      expect(await post(menu({ options: Array.from({ length: 6 }, (_, i) => option(`v${i}`)) }))).toBe(
        'invalid_blocks',
      );
      expect(await post(menu({ options: [option('v'.repeat(151))] }))).toBe('invalid_blocks');
      const dialog = (title: string) => ({
        title: { type: 'plain_text', text: title },
        text: { type: 'plain_text', text: 'Sure?' },
        confirm: { type: 'plain_text', text: 'Yes' },
        deny: { type: 'plain_text', text: 'No' },
      });
      const confirmed = (title: string) => [
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: 'b',
              text: { type: 'plain_text', text: 'Go' },
              confirm: dialog(title),
            },
          ],
        },
      ];
      expect(await post(confirmed('t'.repeat(101)))).toBe('invalid_blocks');
      expect(fake.messages(channel)).toEqual([]);
      await client.chat.postMessage({ channel, text: 'x', blocks: confirmed('Undo this step?') as never });
      await client.chat.postMessage({
        channel,
        text: 'x',
        blocks: menu({ options: [option('a'), option('b')] }) as never,
      });
      expect(fake.messages(channel)).toHaveLength(2);
    });

    it('delivers ephemeral messages to members only', async () => {
      const channel = await createChannel();
      await client.conversations.invite({ channel, users: 'UALICE' });
      expect(await slackError(client.chat.postEphemeral({ channel, user: 'UBOB', text: 'rule R2' }))).toBe(
        'user_not_in_channel',
      );
      const sent = await client.chat.postEphemeral({ channel, user: 'UALICE', text: 'rule R2' });
      expect(sent.message_ts).toMatch(TS);
      expect(fake.ephemerals(channel)).toMatchObject([
        { user: 'UALICE', text: 'rule R2', message_ts: sent.message_ts },
      ]);
      expect(fake.messages(channel)).toEqual([]);
    });
  });

  describe('views and users', () => {
    const modal = {
      type: 'modal' as const,
      callback_id: 'start',
      title: { type: 'plain_text' as const, text: 'Start an upgrade' },
      blocks: [{ type: 'divider' as const }],
    };

    it('opens modals with a trigger, once per trigger, and updates them', async () => {
      expect(await slackError(client.apiCall('views.open', { view: modal }))).toBe('invalid_arguments');
      const opened = await client.views.open({ trigger_id: '1.2.abc', view: modal });
      const id = opened.view?.id ?? '';
      expect(opened.view).toMatchObject({ type: 'modal', callback_id: 'start', root_view_id: id });
      expect(fake.openedViews().map((view) => view.id)).toEqual([id]);
      expect(await slackError(client.views.open({ trigger_id: '1.2.abc', view: modal }))).toBe(
        'exchanged_trigger_id',
      );

      const updated = await client.views.update({ view_id: id, view: { ...modal, private_metadata: 'u-1' } });
      expect(updated.view).toMatchObject({ id, private_metadata: 'u-1' });
      expect(fake.view(id)?.private_metadata).toBe('u-1');
      expect(await slackError(client.views.update({ view_id: 'VNOPE', view: modal }))).toBe('not_found');
    });

    it('publishes one Home view per user', async () => {
      const home = {
        type: 'home' as const,
        blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'Hi' } }],
      };
      const first = await client.views.publish({ user_id: 'UALICE', view: home });
      const again = await client.views.publish({ user_id: 'UALICE', view: { ...home, blocks: [] } });
      expect(again.view?.id).toBe(first.view?.id);
      expect(fake.homeView('UALICE')?.blocks).toEqual([]);
      expect(fake.homeView('UBOB')).toBeUndefined();
      expect(await slackError(client.views.publish({ user_id: 'UALICE', view: modal }))).toBe(
        'invalid_arguments',
      );
    });

    it('answers users.info with time zone details', async () => {
      const info = await client.users.info({ user: 'UALICE' });
      expect(info.user).toMatchObject({
        id: 'UALICE',
        name: 'alice',
        real_name: 'Alice A',
        tz: 'Europe/Paris',
        is_bot: false,
      });
      expect([3600, 7200]).toContain(info.user?.tz_offset);
      expect(await slackError(client.users.info({ user: 'UNOPE' }))).toBe('user_not_found');
    });
  });

  describe('beyond the core methods', () => {
    it('posts to a user as a DM, lists history, makes permalinks and bookmarks', async () => {
      const dm = await client.chat.postMessage({ channel: 'UALICE', text: 'reminder' });
      expect(dm.channel).toMatch(/^D/);
      expect(fake.messages(dm.channel ?? '')).toMatchObject([{ text: 'reminder' }]);

      const channel = await createChannel();
      const first = await client.chat.postMessage({ channel, text: 'one' });
      await client.chat.postMessage({ channel, text: 'reply', thread_ts: first.ts ?? '' });
      await client.chat.postMessage({ channel, text: 'two' });
      const history = await client.conversations.history({ channel });
      expect(history.messages?.map((message) => message.text)).toEqual(['two', 'one']);

      const link = await client.chat.getPermalink({ channel, message_ts: first.ts ?? '' });
      expect(link.permalink).toContain(`/archives/${channel}/p`);
      await client.bookmarks.add({
        channel_id: channel,
        title: 'Runbook',
        type: 'link',
        link: 'https://example.com',
      });
      expect(fake.bookmarks(channel)).toMatchObject([{ title: 'Runbook', link: 'https://example.com' }]);
    });

    it('lets a caller define or override a method', async () => {
      fake.defineMethod('team.info', (_args, self) => ({
        ok: true,
        team: { id: self.teamId, name: 'Override' },
      }));
      await expect(client.team.info()).resolves.toMatchObject({ team: { name: 'Override' } });
      expect(fake.callsTo('team.info')).toHaveLength(1);
    });

    it('stops promptly even with a delayed answer in flight', async () => {
      fake.injectFault('auth.test', { delayMs: 10_000 });
      const pending = client.auth.test().catch((error: unknown) => error);
      // Let the request reach the fake and start its delay.
      await new Promise((resolve) => setTimeout(resolve, 50));
      // Stopping ends the delayed answer instead of waiting the 10 s out.
      const outcome = await Promise.race([
        fake.stop().then(() => 'stopped'),
        new Promise((resolve) => setTimeout(() => resolve('waited for the delay'), 5_000)),
      ]);
      expect(outcome).toBe('stopped');
      expect(await pending).toBeInstanceOf(Error);
    });
  });

  describe('faults', () => {
    it('answers 429 with Retry-After, surfacing as WebAPIRateLimitedError, then recovers', async () => {
      const channel = await createChannel();
      fake.injectFault('chat.postMessage', { retryAfter: 7 });
      const error = await rejection(client.chat.postMessage({ channel, text: 'x' }));
      expect(error).toBeInstanceOf(WebAPIRateLimitedError);
      if (error instanceof WebAPIRateLimitedError) expect(error.retryAfter).toBe(7);
      expect(fake.callsTo('chat.postMessage')[0]).toMatchObject({
        status: 429,
        response: { ok: false, error: 'ratelimited' },
      });
      expect(fake.messages(channel)).toEqual([]);
      await expect(client.chat.postMessage({ channel, text: 'x' })).resolves.toMatchObject({ ok: true });
    });

    it('answers HTTP 500, surfacing as WebAPIHTTPError, and changes nothing', async () => {
      fake.injectFault('conversations.create', { status: 500, times: 2 });
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const error = await rejection(client.conversations.create({ name: 'upg-1' }));
        expect(error).toBeInstanceOf(WebAPIHTTPError);
        if (error instanceof WebAPIHTTPError) expect(error.statusCode).toBe(500);
      }
      expect(fake.channelByName('upg-1')).toBeUndefined();
      expect(fake.callsTo('conversations.create').map((call) => call.status)).toEqual([500, 500]);
      await expect(client.conversations.create({ name: 'upg-1' })).resolves.toMatchObject({ ok: true });
    });

    it('answers ok:false errors, for one method or any, first in first out', async () => {
      fake.injectFault('*', { error: 'fatal_error' });
      fake.injectFault('users.info', { error: 'service_unavailable' });
      expect(await slackError(client.users.info({ user: 'UALICE' }))).toBe('service_unavailable');
      expect(await slackError(client.auth.test())).toBe('fatal_error');
      await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
    });

    it('delays a call that then succeeds', async () => {
      fake.injectFault('users.info', { delayMs: 120 });
      const started = Date.now();
      await expect(client.users.info({ user: 'UBOB' })).resolves.toMatchObject({ ok: true });
      expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    });

    it('refuses a fault that would do nothing', () => {
      expect(() => fake.injectFault('auth.test', {})).toThrow(TypeError);
      expect(() => fake.injectFault('auth.test', { error: 'x', times: 0 })).toThrow(RangeError);
    });
  });

  describe('response URLs', () => {
    async function respond(url: string, body: unknown): Promise<{ status: number; body: unknown }> {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    }

    it('records posts and allows five uses, like Slack', async () => {
      const url = fake.createResponseUrl();
      expect(url.startsWith(`${fake.url}respond/`)).toBe(true);
      for (let use = 1; use <= 5; use += 1) {
        expect(await respond(url, { text: `answer ${use}`, response_type: 'ephemeral' })).toEqual({
          status: 200,
          body: { ok: true },
        });
      }
      expect(await respond(url, { text: 'sixth' })).toMatchObject({
        status: 404,
        body: { error: 'used_url' },
      });
      expect(fake.responses.map((response) => response.body)).toEqual(
        [1, 2, 3, 4, 5].map((use) => ({ text: `answer ${use}`, response_type: 'ephemeral' })),
      );
      expect(fake.responses[0]?.id).toBe(url.split('/').at(-1));
      expect(fake.callsTo('response_url').map((call) => call.status)).toEqual([200, 200, 200, 200, 200, 404]);
    });

    it('fails on demand without using up the URL', async () => {
      const url = fake.createResponseUrl();
      fake.injectFault('response_url', { status: 503 });
      expect(await respond(url, { text: 'x' })).toMatchObject({ status: 503 });
      expect(fake.responses).toEqual([]);
      expect((await respond(url, { text: 'y' })).status).toBe(200);
      expect((await respond(`${fake.url}respond/unknown`, { text: 'z' })).status).toBe(404);
    });
  });

  describe('waiting and resetting', () => {
    it('waitFor resolves with the first truthy value', async () => {
      setTimeout(() => {
        void client.conversations.create({ name: 'later' });
      }, 30);
      const channel = await fake.waitFor(() => fake.channelByName('later'));
      expect(channel.name).toBe('later');
      const call = await fake.waitForCall('conversations.create');
      expect(call.args.name).toBe('later');
    });

    it('waitFor rejects with a message naming what it waited for and the last calls', async () => {
      await client.auth.test();
      const waiting = fake.waitFor(() => fake.channelByName('never'), {
        timeoutMs: 60,
        description: 'channel never',
      });
      await expect(waiting).rejects.toThrow(/within 60 ms \(channel never\)[\s\S]*auth\.test → 200 ok/);
    });

    it('waitFor accepts an async probe and quotes the last error of a throwing one', async () => {
      const value: number = await fake.waitFor(async () => (fake.calls.length === 0 ? 42 : undefined));
      expect(value).toBe(42);
      const failing = fake.waitFor(
        () => {
          throw new Error('still 0 messages');
        },
        { timeoutMs: 40 },
      );
      await expect(failing).rejects.toThrow(/last error: still 0 messages/);
    });

    it('reset forgets calls, state and faults', async () => {
      const channel = await createChannel();
      await client.chat.postMessage({ channel, text: 'x' });
      fake.addUser({ id: 'UCAROL', name: 'carol' });
      fake.injectFault('auth.test', { error: 'fatal_error' });
      fake.reset();
      expect(fake.calls).toEqual([]);
      expect(fake.channelByName('upg-1')).toBeUndefined();
      expect(fake.messages(channel)).toEqual([]);
      expect(fake.user('UCAROL')).toBeUndefined();
      expect(fake.user('UALICE')).toBeDefined();
      await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
    });
  });
});
