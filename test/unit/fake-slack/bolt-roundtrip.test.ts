/**
 * Both halves together against a real Bolt app: the signed bodies must pass Bolt's verification
 * and parsing, and Bolt's client must work against the fake (auth.test at start-up included).
 */
import { App, type Logger, LogLevel } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  blockActionsBody,
  eventBody,
  FakeSlack,
  postToApp,
  slashCommandBody,
  viewSubmissionBody,
} from '../../../src/fake-slack/index.js';

const SECRET = 'roundtrip-signing-secret';

const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

describe('signed requests through Bolt, Web API calls into FakeSlack', () => {
  let fake: FakeSlack;
  let app: App;
  let eventsUrl: string;
  const submitted: unknown[] = [];

  beforeEach(async () => {
    submitted.length = 0;
    fake = await FakeSlack.start({ users: [{ id: 'UALICE', name: 'alice' }] });
    app = new App({
      token: fake.botToken,
      signingSecret: SECRET,
      logger: silentLogger,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/pra-upgrade', async ({ ack, respond, client, command }) => {
      await ack();
      await respond({ response_type: 'ephemeral', text: `help for ${command.user_id}` });
      await client.chat.postMessage({
        channel: command.channel_id,
        text: `started by <@${command.user_id}>`,
      });
    });
    app.action('confirm', async ({ ack, respond, body }) => {
      await ack();
      await respond({ response_type: 'ephemeral', text: `clicked by ${body.user.id}` });
    });
    app.view('start', async ({ ack, view }) => {
      await ack();
      submitted.push(view.state.values);
    });
    app.event('app_home_opened', async ({ event, client }) => {
      await client.views.publish({
        user_id: event.user,
        view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Home' } }] },
      });
    });
    const server = await app.start(0);
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    eventsUrl = `http://127.0.0.1:${address.port}/slack/events`;
  });

  afterEach(async () => {
    await app.stop();
    await fake.stop();
  });

  it('runs a slash command: ack, respond() to the response URL, chat.postMessage to the fake', async () => {
    const channel = fake.addChannel({ name: 'ops', members: [fake.botUserId, 'UALICE'] });
    const body = slashCommandBody({
      command: '/pra-upgrade',
      text: 'help',
      userId: 'UALICE',
      channelId: channel.id,
      teamId: fake.teamId,
      responseUrl: fake.createResponseUrl(),
    });
    expect((await postToApp(eventsUrl, body, { signingSecret: SECRET })).status).toBe(200);
    const response = await fake.waitFor(() => fake.responses[0]);
    expect(response.body).toMatchObject({ response_type: 'ephemeral', text: 'help for UALICE' });
    await fake.waitFor(() => fake.messages(channel.id)[0]);
    expect(fake.messages(channel.id)[0]?.text).toBe('started by <@UALICE>');
    expect(fake.callsTo('auth.test').length).toBeGreaterThan(0);
  });

  it('handles a block action, a view submission and an event', async () => {
    const actions = blockActionsBody({
      userId: 'UALICE',
      teamId: fake.teamId,
      channelId: 'C1',
      messageTs: '1700000000.000100',
      actions: [{ action_id: 'confirm', block_id: 'step:backup', value: 'x' }],
      responseUrl: fake.createResponseUrl(),
    });
    expect((await postToApp(eventsUrl, actions, { signingSecret: SECRET })).status).toBe(200);
    await fake.waitFor(() =>
      fake.responses.find((r) => JSON.stringify(r.body).includes('clicked by UALICE')),
    );

    const submission = viewSubmissionBody({
      userId: 'UALICE',
      teamId: fake.teamId,
      callbackId: 'start',
      privateMetadata: '',
      values: { plan: { choice: 'single' } },
    });
    expect((await postToApp(eventsUrl, submission, { signingSecret: SECRET })).status).toBe(200);
    await fake.waitFor(() => submitted.length > 0);
    expect(submitted).toEqual([{ plan: { choice: { type: 'plain_text_input', value: 'single' } } }]);

    const event = eventBody({
      teamId: fake.teamId,
      event: { type: 'app_home_opened', user: 'UALICE', channel: 'D1', tab: 'home' },
    });
    expect((await postToApp(eventsUrl, event, { signingSecret: SECRET })).status).toBe(200);
    await fake.waitFor(() => fake.homeView('UALICE'));
  });

  it('is refused by Bolt with a bad signature or a stale timestamp', async () => {
    const body = slashCommandBody({
      command: '/pra-upgrade',
      text: 'help',
      userId: 'UALICE',
      channelId: 'C1',
      teamId: fake.teamId,
      responseUrl: fake.createResponseUrl(),
    });
    expect((await postToApp(eventsUrl, body, { signingSecret: SECRET, badSignature: true })).status).toBe(
      401,
    );
    const stale = Math.floor(Date.now() / 1000) - 10 * 60;
    expect((await postToApp(eventsUrl, body, { signingSecret: SECRET, timestamp: stale })).status).toBe(401);
    expect(fake.responses).toEqual([]);
  });
});
