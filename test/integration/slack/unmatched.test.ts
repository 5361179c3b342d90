import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../../src/db/schema.js';
import { eventBody, interactionBody, postToApp, viewSubmissionBody } from '../../../src/fake-slack/index.js';
import { Harness, SIGNING_SECRET, USERS } from '../../support/harness.js';

// Requests no listener answers: each is acknowledged at once, audited, and answered where it can be.
describe('every request answered or audited', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());

  const unmatched = (route: string) =>
    h.bot.database.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.action, 'input-rejected'),
          eq(sql`${auditEvents.detail}->>'source'`, `unmatched:${route}`),
        ),
      );

  const click = (actions: unknown[], responseUrl: string) =>
    interactionBody({
      type: 'block_actions',
      user: { id: USERS.bob.id, team_id: h.fake.teamId },
      team: { id: h.fake.teamId },
      trigger_id: '1.2.abc',
      response_url: responseUrl,
      actions,
    });

  it.each([
    ['no actions at all', [], 'action:(none)'],
    [
      'an unknown action_id',
      [{ action_id: 'rocket.launch', block_id: 'b', action_ts: '1.1' }],
      'action:rocket.launch',
    ],
  ])('a click with %s is acknowledged, audited and answered', async (_name, actions, route) => {
    const responseUrl = h.fake.createResponseUrl();
    const response = await postToApp(h.eventsUrl, click(actions, responseUrl), {
      signingSecret: SIGNING_SECRET,
    });
    expect(response.status).toBe(200);
    await h.settle();
    const rows = await unmatched(route);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.actor).toEqual({ type: 'slack', teamId: h.fake.teamId, userId: USERS.bob.id });
    expect(h.repliesTo(responseUrl).join()).toContain('nothing that answers that');
  });

  it('a modal with an unknown callback_id is acknowledged and audited', async () => {
    const body = viewSubmissionBody({
      userId: USERS.bob.id,
      teamId: h.fake.teamId,
      callbackId: 'old.form',
      privateMetadata: '',
      values: {},
    });
    expect((await postToApp(h.eventsUrl, body, { signingSecret: SIGNING_SECRET })).status).toBe(200);
    await h.settle();
    expect(await unmatched('view:old.form')).toHaveLength(1);
  });

  it('an event no listener subscribes to is acknowledged and audited', async () => {
    const body = eventBody({ teamId: h.fake.teamId, event: { type: 'reaction_added', user: USERS.bob.id } });
    const response = await postToApp(h.eventsUrl, body, {
      signingSecret: SIGNING_SECRET,
      contentType: 'application/json',
    });
    expect(response.status).toBe(200);
    await h.settle();
    expect(await unmatched('event:reaction_added')).toHaveLength(1);
  });

  it('a request a listener answers is not caught', async () => {
    await h.command(USERS.alice.id, 'help');
    expect(await unmatched('command:/pra-upgrade')).toHaveLength(0);
  });
});
