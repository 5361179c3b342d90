import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../../../src/fake-slack/index.js';
import { createGateway } from '../../../src/slack/gateway.js';
import {
  type HoldNotificationFailure,
  hearingOthersHolds,
  RetryAfterHolds,
  readSharedHold,
  type SharedHold,
  sharedHoldMessageOf,
  tellingOthersOfHolds,
} from '../../../src/slack/retry-after.js';

describe('Retry-After is honoured per method and channel', () => {
  let fake: FakeSlack;
  let now = 1_000_000;
  let gateway: ReturnType<typeof createGateway>;
  /** What the gateway's holds told the other processes. */
  const told: SharedHold[] = [];
  beforeAll(async () => {
    fake = await FakeSlack.start({ users: [{ id: 'UALICE', name: 'alice' }] });
    const client = new WebClient(fake.botToken, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    gateway = createGateway(
      client,
      () => fake.botUserId,
      fake.apiUrl,
      new RetryAfterHolds(
        () => now,
        (hold) => told.push(hold),
      ),
    );
  });
  afterAll(() => fake.stop());

  const message = { text: 'hello', blocks: [] };
  const failure = (work: Promise<unknown>) =>
    work.then(
      () => null,
      (error: unknown) => error as { code?: string; retryAfterSeconds?: number | null },
    );

  it('asks Slack nothing more for a held channel until the pause is over, and goes on elsewhere', async () => {
    const a = await gateway.createChannel('held-a');
    const b = await gateway.createChannel('held-b');
    const posted = await gateway.post(a.id, message);
    fake.injectFault('chat.update', { retryAfter: 30, channel: a.id });
    expect(await failure(gateway.update(a.id, posted.ts, message))).toMatchObject({
      code: 'ratelimited',
      retryAfterSeconds: 30,
    });
    const asked = fake.callsTo('chat.update').length;
    now += 10_000;
    expect(await failure(gateway.update(a.id, posted.ts, message))).toMatchObject({
      code: 'ratelimited',
      retryAfterSeconds: 20,
    });
    expect(fake.callsTo('chat.update')).toHaveLength(asked);
    // Slack's 429 was told to the other processes once, the held call that never went out not at all.
    expect(told.filter((hold) => hold.method === 'chat.update')).toEqual([
      { method: 'chat.update', channel: a.id, until: now - 10_000 + 30_000 },
    ]);
    // Another channel, and another method in the held channel, are not held.
    const other = await gateway.post(b.id, message);
    await gateway.update(b.id, other.ts, message);
    await gateway.post(a.id, message);
    now += 21_000;
    await gateway.update(a.id, posted.ts, { text: 'later', blocks: [] });
    expect(fake.message(a.id, posted.ts)?.text).toBe('later');
  });

  it('holds a method without a channel as a whole', async () => {
    fake.injectFault('views.publish', { retryAfter: 5 });
    const view = { type: 'home' as const, blocks: [] };
    expect(await failure(gateway.publishHome('UALICE', view))).toMatchObject({ code: 'ratelimited' });
    expect(await failure(gateway.publishHome('UALICE', view))).toMatchObject({ code: 'ratelimited' });
    expect(fake.callsTo('views.publish')).toHaveLength(1);
    now += 6_000;
    await gateway.publishHome('UALICE', view);
    expect(fake.callsTo('views.publish')).toHaveLength(2);
  });
});

describe('RetryAfterHolds', () => {
  it('holds one channel on a first 429, and the whole method once a second channel is limited too', () => {
    let now = 0;
    const holds = new RetryAfterHolds(() => now);
    holds.hold('chat.update', 'CA', 30);
    expect(holds.remaining('chat.update', 'CA')).toBe(30);
    expect(holds.remaining('chat.update', 'CB')).toBeNull();
    expect(holds.remaining('chat.postMessage', 'CA')).toBeNull();
    now += 5_000;
    holds.hold('chat.update', 'CB', 20);
    // Two channels limited at once: the method's limit (per workspace) is reached, every channel waits.
    expect(holds.remaining('chat.update', 'CC')).toBe(20);
    expect(holds.remaining('chat.update', 'CA')).toBe(25);
    expect(holds.remaining('chat.postMessage', 'CC')).toBeNull();
    now += 20_000;
    expect(holds.remaining('chat.update', 'CC')).toBeNull();
    expect(holds.remaining('chat.update', 'CA')).toBe(5);
    now += 5_000;
    expect(holds.remaining('chat.update', 'CA')).toBeNull();
  });
});

describe('holds shared between processes', () => {
  it('tells each 429 it holds, and holds what another process told without telling it again', () => {
    let now = 1_000;
    const told: SharedHold[] = [];
    const holds = new RetryAfterHolds(
      () => now,
      (hold) => told.push(hold),
    );
    holds.hold('views.publish', undefined, 30);
    holds.hold('chat.update', 'CA', 10);
    expect(told).toEqual([
      { method: 'views.publish', channel: null, until: 31_000 },
      { method: 'chat.update', channel: 'CA', until: 11_000 },
    ]);
    const other = new RetryAfterHolds(
      () => now,
      (hold) => told.push(hold),
    );
    for (const hold of told.splice(0)) other.adopt(hold);
    expect(told).toEqual([]);
    expect(other.remaining('views.publish')).toBe(30);
    expect(other.remaining('chat.update', 'CA')).toBe(10);
    expect(other.remaining('chat.update', 'CB')).toBeNull();
    // A hold already over when it arrives holds nothing.
    other.adopt({ method: 'chat.postMessage', channel: 'CA', until: 500 });
    expect(other.remaining('chat.postMessage', 'CA')).toBeNull();
    now = 31_000;
    expect(other.remaining('views.publish')).toBeNull();
  });

  it('believes another process only for a well-formed hold of its own, and never for long', () => {
    const sent = 1_000_000;
    const message = sharedHoldMessageOf(
      'pra-upgrade 2 b',
      { method: 'chat.update', channel: 'C1', until: sent + 5_000 },
      sent,
    );
    expect(JSON.parse(message)).toEqual({
      sender: 'pra-upgrade 2 b',
      method: 'chat.update',
      channel: 'C1',
      leftMs: 5_000,
    });
    // Held for what was left when it was sent, on the hearer's clock (another host's may differ).
    const heard = 7_000_000;
    expect(readSharedHold(message, 'pra-upgrade 1 a', heard)).toEqual({
      hold: { method: 'chat.update', channel: 'C1', until: heard + 5_000 },
    });
    expect(readSharedHold(message, 'pra-upgrade 2 b', heard)).toEqual({ ignored: 'our own' });
    expect(readSharedHold('{', 'x', heard)).toEqual({ ignored: 'not JSON' });
    for (const bad of [
      { sender: 'p', method: 'chat.update', channel: 'C1' },
      { sender: 'p', method: 'not a method', channel: null, leftMs: 1 },
      { sender: 'p', method: 'chat.update', channel: '<#C1>', leftMs: 1 },
      { sender: 'p', method: 'chat.update', channel: null, leftMs: -1 },
    ]) {
      expect(readSharedHold(JSON.stringify(bad), 'x', heard)).toEqual({ ignored: 'not a hold' });
    }
    const forever = sharedHoldMessageOf(
      'p',
      { method: 'oauth.v2.access', channel: null, until: sent + 86_400_000 },
      sent,
    );
    expect(readSharedHold(forever, 'x', heard)).toEqual({
      hold: { method: 'oauth.v2.access', channel: null, until: heard + 10 * 60 * 1000 },
    });
  });

  it('reports a hold it could not tell and a notification it could not read, and holds on regardless', async () => {
    const now = 1_000;
    const failures: HoldNotificationFailure[] = [];
    const refused = Object.assign(new Error('write CONNECTION_CLOSED 127.0.0.1:5432'), {
      code: 'CONNECTION_CLOSED',
    });
    const holds = new RetryAfterHolds(
      () => now,
      tellingOthersOfHolds(
        () => Promise.reject(refused),
        'pra-upgrade 1 a',
        () => now,
        (failure) => failures.push(failure),
      ),
    );
    holds.hold('chat.update', 'CA', 10);
    // This process honours its own 429 even though the others were not told.
    expect(holds.remaining('chat.update', 'CA')).toBe(10);
    await new Promise((resolve) => setImmediate(resolve));
    expect(failures).toEqual([
      { direction: 'sent', reason: 'CONNECTION_CLOSED: write CONNECTION_CLOSED 127.0.0.1:5432' },
    ]);

    const hear = hearingOthersHolds(
      holds,
      'pra-upgrade 1 a',
      () => now,
      (failure) => failures.push(failure),
    );
    failures.length = 0;
    hear('{"sender":');
    hear(JSON.stringify({ sender: 'p', method: 'chat.update', channel: 'CB' }));
    // Its own hold is passed by, not reported; another's well-formed hold is adopted.
    hear(sharedHoldMessageOf('pra-upgrade 1 a', { method: 'views.open', channel: null, until: 9_000 }, now));
    hear(
      sharedHoldMessageOf('pra-upgrade 2 b', { method: 'views.publish', channel: null, until: 6_000 }, now),
    );
    expect(failures).toEqual([
      { direction: 'received', reason: 'not JSON', received: '{"sender":' },
      {
        direction: 'received',
        reason: 'not a hold',
        received: '{"sender":"p","method":"chat.update","channel":"CB"}',
      },
    ]);
    expect(holds.remaining('chat.update', 'CB')).toBeNull();
    expect(holds.remaining('views.open')).toBeNull();
    expect(holds.remaining('views.publish')).toBe(5);
  });
});
