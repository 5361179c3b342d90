import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../../src/db/client.js';
import { enqueue, OUTBOX_NOTIFY_CHANNEL, sentByAnother } from '../../../src/db/repositories/outbox.js';
import { outbox } from '../../../src/db/schema.js';
import { outboxEntry } from '../../../src/services/shared/record-effects.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';

const reply = (text: string) =>
  outboxEntry({
    kind: 'respond',
    upgradeId: null,
    responseUrl: 'https://hooks.slack.com/actions/T1/1/abc',
    reply: { kind: 'text', text },
  });

// The other processes are woken by the NOTIFY that enqueue sends in the same statement as the INSERT:
// at commit, and never for work that was rolled back.
describe('enqueue wakes the other processes', () => {
  let test: TestDatabase;
  let sender: Database;
  beforeAll(async () => {
    test = await createTestDatabase({ server: 'postgres' });
    if (!test.url) throw new Error('PostgreSQL expected');
    sender = createDatabase({ kind: 'postgres', url: test.url, applicationName: 'pra-upgrade sender' });
  });
  afterAll(async () => {
    await sender.close();
    await test.dispose();
  });

  it('notifies once the deliveries are committed, and not for a transaction rolled back', async () => {
    const client = test.database.postgres;
    if (!client) throw new Error('PostgreSQL expected');
    const heard: string[] = [];
    let woken = () => {};
    const first = new Promise<void>((resolve) => {
      woken = resolve;
    });
    const listening = await client.listen(OUTBOX_NOTIFY_CHANNEL, (payload) => {
      heard.push(payload);
      woken();
    });
    try {
      const now = DateTime.utc();
      await sender.db
        .transaction(async (tx) => {
          await enqueue(tx, now, [reply('rolled back')]);
          throw new Error('roll back');
        })
        .catch(() => undefined);
      await sender.db.transaction((tx) => enqueue(tx, now, [reply('committed')]));
      // Notifications arrive in commit order: had the rolled-back one been sent, it would be heard first.
      await first;
      // It names the sender, so the sender can pass by its own and every other process cannot.
      expect(heard).toEqual(['pra-upgrade sender']);
      expect(sentByAnother(heard[0] ?? '', 'pra-upgrade sender')).toBe(false);
      expect(sentByAnother(heard[0] ?? '', 'pra-upgrade listener')).toBe(true);
      const rows = await test.database.db
        .select({ payload: outbox.payload })
        .from(outbox)
        .where(eq(outbox.kind, 'respond'));
      expect(rows.map((r) => (r.payload as { reply: { text: string } }).reply.text)).toEqual(['committed']);
    } finally {
      await listening.unlisten();
    }
  });
});
