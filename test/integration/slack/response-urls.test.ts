import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUpgradeByChannel } from '../../../src/db/repositories/upgrades.js';
import { auditEvents } from '../../../src/db/schema.js';
import { blockActionsBody, postToApp, slashCommandBody } from '../../../src/fake-slack/index.js';
import { Harness, SIGNING_SECRET, USERS } from '../../support/harness.js';

// A host inside the network the bot runs in: it must never receive a request from the bot.
describe('response_url only on Slack’s hosts', () => {
  let h: Harness;
  let internal: Server;
  let internalUrl: string;
  const hits: string[] = [];
  beforeAll(async () => {
    h = await Harness.start();
    internal = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end('ok');
    });
    await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
    internalUrl = `http://127.0.0.1:${(internal.address() as AddressInfo).port}/admin/reboot`;
  });
  afterAll(async () => {
    await new Promise((resolve) => internal.close(resolve));
    await h.stop();
  });

  const refusedAtTheDoor = () =>
    h.bot.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'input-rejected'), sql`${auditEvents.detail}->>'source' = 'http'`));

  it('a signed click or command naming another host is refused 400, audited, and nothing is sent there', async () => {
    await h.command(USERS.alice.id, `start single <@${USERS.bob.id}>`);
    const channelId = h.upgradeChannel();
    const before = await findUpgradeByChannel(h.bot.database.db, channelId);
    const { message, block } = h.messageWithBlock(channelId, 'step:prep.window');
    const button = block.elements?.find((e) => e.action_id === 'step.complete');
    const audited = (await refusedAtTheDoor()).length;
    const click = blockActionsBody({
      userId: USERS.bob.id,
      teamId: h.fake.teamId,
      channelId,
      messageTs: message.ts,
      responseUrl: internalUrl,
      actions: [{ action_id: 'step.complete', block_id: 'step:prep.window', value: button?.value ?? '' }],
    });
    expect((await postToApp(h.eventsUrl, click, { signingSecret: SIGNING_SECRET })).status).toBe(400);
    const command = slashCommandBody({
      command: '/pra-upgrade',
      text: 'help',
      userId: USERS.bob.id,
      channelId,
      teamId: h.fake.teamId,
      responseUrl: internalUrl,
    });
    expect((await postToApp(h.eventsUrl, command, { signingSecret: SIGNING_SECRET })).status).toBe(400);
    await h.settle();
    const rows = await refusedAtTheDoor();
    expect(rows).toHaveLength(audited + 2);
    expect(JSON.stringify(rows.at(-1)?.detail)).toContain('not on Slack');
    expect((await findUpgradeByChannel(h.bot.database.db, channelId))?.version).toBe(before?.version);
    expect(hits).toEqual([]);
  });

  it('a response_url smuggled into a modal’s metadata is never called; the delivery is audited as refused', async () => {
    await h.command(USERS.alice.id, `start single --ticket SMUGGLE <@${USERS.bob.id}>`);
    const channelId = h.upgradeChannel();
    const upgrade = await findUpgradeByChannel(h.bot.database.db, channelId);
    // Completing an unknown step is refused, and the refusal would go to the metadata's response_url.
    const metadata = JSON.stringify({
      upgradeId: upgrade?.id,
      step: 'a.verify',
      problemId: null,
      responseUrl: internalUrl,
    });
    await h.submitView(USERS.bob.id, 'skip.reason', metadata, { reason: { reason: 'not needed here' } });
    await h.settleUntilDelivered();
    expect(hits).toEqual([]);
    const failed = await h.bot.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.upgradeId, upgrade?.id ?? ''), eq(auditEvents.action, 'slack-call-failed')));
    expect(failed.map((f) => f.detail.error)).toContain('response_url_not_allowed');
  });
});
