import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUpgradeByChannel } from '../../../src/db/repositories/upgrades.js';
import { auditEvents } from '../../../src/db/schema.js';
import { interactionBody, postToApp } from '../../../src/fake-slack/index.js';
import { Harness, SIGNING_SECRET, USERS } from '../../support/harness.js';

// Every signed body that is not a Slack payload: none may stop the process or change state.
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const SHAPES: { name: string; body: string; contentType: string }[] = [
  { name: 'payload null', body: interactionBody(null as never), contentType: FORM },
  { name: 'JSON body null', body: 'null', contentType: JSON_TYPE },
  { name: 'payload array', body: new URLSearchParams({ payload: '[]' }).toString(), contentType: FORM },
  { name: 'payload number', body: new URLSearchParams({ payload: '42' }).toString(), contentType: FORM },
  { name: 'payload string', body: new URLSearchParams({ payload: '"x"' }).toString(), contentType: FORM },
  { name: 'payload true', body: new URLSearchParams({ payload: 'true' }).toString(), contentType: FORM },
  { name: 'payload not JSON', body: new URLSearchParams({ payload: '{' }).toString(), contentType: FORM },
  { name: 'JSON array', body: '[1,2]', contentType: JSON_TYPE },
  { name: 'JSON number', body: '7', contentType: JSON_TYPE },
  { name: 'JSON string', body: '"hello"', contentType: JSON_TYPE },
  { name: 'JSON not JSON', body: '{"type":', contentType: JSON_TYPE },
  { name: 'empty JSON body', body: '', contentType: JSON_TYPE },
  {
    name: 'event_callback, event null',
    body: JSON.stringify({ type: 'event_callback', team_id: 'T1', event: null }),
    contentType: JSON_TYPE,
  },
  {
    name: 'event_callback, event a string',
    body: JSON.stringify({ type: 'event_callback', team_id: 'T1', event: 'x' }),
    contentType: JSON_TYPE,
  },
  {
    name: 'block_actions, actions null',
    body: interactionBody({ type: 'block_actions', user: { id: 'U1' }, actions: null }),
    contentType: FORM,
  },
  {
    name: 'block_actions, actions of null',
    body: interactionBody({ type: 'block_actions', user: { id: 'U1' }, actions: [null] }),
    contentType: FORM,
  },
  {
    name: 'block_actions, no user',
    body: interactionBody({
      type: 'block_actions',
      actions: [{ action_id: 'step.complete', block_id: 'step:x' }],
    }),
    contentType: FORM,
  },
  {
    name: 'view_submission, view null',
    body: interactionBody({ type: 'view_submission', user: { id: 'U1' }, view: null }),
    contentType: FORM,
  },
  {
    name: 'view_submission, no callback',
    body: interactionBody({ type: 'view_submission', user: { id: 'U1' }, view: {} }),
    contentType: FORM,
  },
  { name: 'type a number', body: interactionBody({ type: 5 }), contentType: FORM },
  { name: 'empty object', body: '{}', contentType: JSON_TYPE },
  {
    name: 'form field twice',
    body: new URLSearchParams([
      ['command', '/pra-upgrade'],
      ['text', 'a'],
      ['text', 'b'],
    ]).toString(),
    contentType: FORM,
  },
];

describe('malformed signed bodies', () => {
  let h: Harness;
  let channelId: string;
  beforeAll(async () => {
    h = await Harness.start();
    await h.command(USERS.alice.id, `start single <@${USERS.bob.id}>`);
    channelId = h.upgradeChannel();
  });
  afterAll(() => h.stop());

  const refusedBodies = () =>
    h.bot.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'input-rejected'), sql`${auditEvents.detail}->>'source' = 'http'`));

  it.each(SHAPES)(
    '$name: answered 400 and audited; the process keeps serving; nothing changes',
    async (shape) => {
      const before = await findUpgradeByChannel(h.bot.database.db, channelId);
      const audited = (await refusedBodies()).length;
      const response = await postToApp(h.eventsUrl, shape.body, {
        signingSecret: SIGNING_SECRET,
        contentType: shape.contentType,
      });
      expect(response.status).toBe(400);
      await h.settle();
      expect((await refusedBodies()).length).toBe(audited + 1);
      const health = await fetch(`http://127.0.0.1:${h.bot.port}/healthz`);
      expect(health.status).toBe(200);
      const after = await findUpgradeByChannel(h.bot.database.db, channelId);
      expect(after?.version).toBe(before?.version);
      expect(after?.state).toEqual(before?.state);
    },
  );

  it('the same bodies unsigned are refused 401 by the signature check, not read', async () => {
    for (const shape of SHAPES.slice(0, 3)) {
      const response = await postToApp(h.eventsUrl, shape.body, {
        signingSecret: SIGNING_SECRET,
        contentType: shape.contentType,
        badSignature: true,
      });
      expect(response.status).toBe(401);
    }
  });

  it('a slash command missing its fields is answered, audited, and changes nothing', async () => {
    const body = new URLSearchParams({ command: '/pra-upgrade', user_id: 'U1', team_id: 'T1' }).toString();
    const response = await postToApp(h.eventsUrl, body, { signingSecret: SIGNING_SECRET });
    expect(response.status).toBe(200);
    await h.settle();
    const rejected = await h.bot.database.db
      .select()
      .from(auditEvents)
      .where(
        and(eq(auditEvents.action, 'input-rejected'), sql`${auditEvents.detail}->>'source' = 'command'`),
      );
    expect(rejected.length).toBeGreaterThan(0);
  });
});
