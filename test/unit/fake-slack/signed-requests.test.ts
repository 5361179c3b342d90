import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { isValidSlackRequest } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  blockActionsBody,
  computeSlackSignature,
  eventBody,
  postToApp,
  signSlackRequest,
  slackTimestamp,
  slashCommandBody,
  viewSubmissionBody,
} from '../../../src/fake-slack/index.js';

const SECRET = 'test-signing-secret';

/** Written from Slack's description, independently of the helper under test. */
function independentSignature(secret: string, timestamp: string, body: string): string {
  return `v0=${createHmac('sha256', secret).update(['v0', timestamp, body].join(':'), 'utf8').digest('hex')}`;
}

function payloadOf(formBody: string): Record<string, unknown> {
  const payload = new URLSearchParams(formBody).get('payload');
  if (payload === null) throw new Error('no payload field');
  return JSON.parse(payload) as Record<string, unknown>;
}

describe('signSlackRequest', () => {
  it('signs v0:{timestamp}:{body} with HMAC-SHA256, as Slack does', () => {
    const body = 'command=%2Fpra-upgrade&text=start+single';
    const headers = signSlackRequest(SECRET, body, 1_700_000_000);
    expect(headers).toEqual({
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': '1700000000',
      'x-slack-signature': independentSignature(SECRET, '1700000000', body),
    });
    expect(computeSlackSignature(SECRET, body, 1_700_000_000)).toBe(headers['x-slack-signature']);
    expect(headers['x-slack-signature']).toMatch(/^v0=[0-9a-f]{64}$/);
  });

  it("is accepted by Bolt's own verifier, and a wrong secret is not", () => {
    const body = slashCommandBody({
      command: '/pra-upgrade',
      text: 'help',
      userId: 'UALICE',
      channelId: 'C1',
      teamId: 'T1',
      responseUrl: 'http://127.0.0.1/respond/x',
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = signSlackRequest(SECRET, body, timestamp);
    const verify = (secret: string) =>
      isValidSlackRequest({
        signingSecret: secret,
        body,
        headers: {
          'x-slack-signature': headers['x-slack-signature'],
          'x-slack-request-timestamp': timestamp,
        },
      });
    expect(verify(SECRET)).toBe(true);
    expect(verify('another-secret')).toBe(false);
  });
});

describe('request bodies', () => {
  it('builds a slash command form with Slack field names', () => {
    const body = slashCommandBody({
      command: '/pra-upgrade',
      text: 'start single <@UBOB|bob>',
      userId: 'UALICE',
      userName: 'alice',
      channelId: 'C1',
      channelName: 'ops',
      teamId: 'T1',
      responseUrl: 'http://127.0.0.1/respond/abc',
      triggerId: '1.2.abc',
    });
    expect(Object.fromEntries(new URLSearchParams(body))).toMatchObject({
      command: '/pra-upgrade',
      text: 'start single <@UBOB|bob>',
      user_id: 'UALICE',
      user_name: 'alice',
      channel_id: 'C1',
      channel_name: 'ops',
      team_id: 'T1',
      response_url: 'http://127.0.0.1/respond/abc',
      trigger_id: '1.2.abc',
    });
  });

  it('builds block_actions with the payload in a form field', () => {
    const body = blockActionsBody({
      userId: 'UALICE',
      teamId: 'T1',
      channelId: 'C1',
      messageTs: '1700000000.000100',
      actions: [{ action_id: 'confirm', block_id: 'step:backup', value: 'u-1' }],
      responseUrl: 'http://127.0.0.1/respond/abc',
    });
    const payload = payloadOf(body);
    expect(payload).toMatchObject({
      type: 'block_actions',
      user: { id: 'UALICE', team_id: 'T1' },
      team: { id: 'T1' },
      channel: { id: 'C1' },
      container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C1', is_ephemeral: false },
      message: { ts: '1700000000.000100' },
      response_url: 'http://127.0.0.1/respond/abc',
      actions: [{ action_id: 'confirm', block_id: 'step:backup', value: 'u-1', type: 'button' }],
    });
    expect(typeof payload.trigger_id).toBe('string');
  });

  it('builds view_submission state values', () => {
    const payload = payloadOf(
      viewSubmissionBody({
        userId: 'UALICE',
        teamId: 'T1',
        callbackId: 'start',
        privateMetadata: '{"plan":"single"}',
        values: {
          window: { starts_at: '2025-01-01 10:00' },
          plan: { choice: { type: 'static_select', selected_option: { value: 'P1' } } },
        },
      }),
    );
    expect(payload).toMatchObject({
      type: 'view_submission',
      user: { id: 'UALICE' },
      view: {
        callback_id: 'start',
        private_metadata: '{"plan":"single"}',
        state: {
          values: {
            window: { starts_at: { type: 'plain_text_input', value: '2025-01-01 10:00' } },
            plan: { choice: { type: 'static_select', selected_option: { value: 'P1' } } },
          },
        },
      },
    });
  });

  it('builds an event_callback as JSON', () => {
    const body = eventBody({
      teamId: 'T1',
      eventId: 'Ev1',
      event: { type: 'app_home_opened', user: 'UALICE', channel: 'D1', tab: 'home' },
    });
    expect(JSON.parse(body)).toMatchObject({
      type: 'event_callback',
      team_id: 'T1',
      event_id: 'Ev1',
      event: { type: 'app_home_opened', user: 'UALICE', tab: 'home' },
    });
  });
});

describe('postToApp', () => {
  interface Received {
    headers: IncomingHttpHeaders;
    body: string;
  }
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('acked');
    });
  });
  let url = '';

  beforeEach(async () => {
    received.length = 0;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    url = `http://127.0.0.1:${address.port}/slack/events`;
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function signatureIsValid(request: Received | undefined, secret: string): boolean {
    if (!request) return false;
    const timestamp = String(request.headers['x-slack-request-timestamp']);
    return request.headers['x-slack-signature'] === independentSignature(secret, timestamp, request.body);
  }

  it('posts a signed form with the exact content type', async () => {
    const body = 'command=%2Fpra-upgrade&text=help';
    expect(await postToApp(url, body, { signingSecret: SECRET })).toMatchObject({
      status: 200,
      body: 'acked',
    });
    const request = received[0];
    expect(request?.body).toBe(body);
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(signatureIsValid(request, SECRET)).toBe(true);
    expect(request?.headers['x-slack-retry-num']).toBeUndefined();
  });

  it('posts events as JSON, with retry headers when asked', async () => {
    const body = eventBody({ teamId: 'T1', event: { type: 'app_home_opened', user: 'U1', tab: 'home' } });
    await postToApp(url, body, { signingSecret: SECRET, retryNum: 1, timestamp: 1_700_000_000 });
    const request = received[0];
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'x-slack-retry-num': '1',
      'x-slack-retry-reason': 'http_timeout',
      'x-slack-request-timestamp': '1700000000',
    });
    expect(signatureIsValid(request, SECRET)).toBe(true);
  });

  it('can send a bad signature', async () => {
    await postToApp(url, 'a=b', { signingSecret: SECRET, badSignature: true });
    expect(signatureIsValid(received[0], SECRET)).toBe(false);
  });
});

describe('slackTimestamp', () => {
  it('is unique and increasing within the process, even for calls in the same millisecond', () => {
    const stamps = Array.from({ length: 2000 }, () => slackTimestamp());
    expect(new Set(stamps).size).toBe(stamps.length);
    const micros = stamps.map((s) => Number(s.replace('.', '')));
    expect(micros.every((m, i) => i === 0 || m > (micros[i - 1] ?? 0))).toBe(true);
  });

  it('an explicit time gives that time, in Slack’s seconds.micros form', () => {
    expect(slackTimestamp(1_795_860_000_123)).toBe('1795860000.123000');
  });
});
