import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  postedMessages,
  recordPostedMessage,
  recordRendered,
} from '../../../src/db/repositories/slack-messages.js';
import { slackMessages } from '../../../src/db/schema.js';
import { useTestDatabase } from '../../support/database.js';
import { FakeClock, startedUpgrade, testDeps } from '../../support/services.js';

// A render records what each of its messages shows in one UPDATE: every slot named, of its own upgrade only.
describe('recordRendered', () => {
  const clock = new FakeClock();
  const test = useTestDatabase();

  it('records every slot it is given, leaves the others and the other upgrades alone', async () => {
    const deps = testDeps(test.database, clock);
    const [mine, other] = [
      await startedUpgrade(deps, { ticket: 'CHG-RR1' }),
      await startedUpgrade(deps, { ticket: 'CHG-RR2' }),
    ];
    for (const upgradeId of [mine, other]) {
      for (const slot of ['overview', 'runbook:1', 'runbook:2']) {
        await recordPostedMessage(test.database.db, {
          upgradeId,
          slot,
          channelId: 'C1',
          ts: `${slot}-${upgradeId}`,
          renderedVersion: 1,
          contentHash: 'old',
        });
      }
    }
    await recordRendered(test.database.db, mine, [
      { slot: 'overview', renderedVersion: 4, contentHash: 'h-overview' },
      { slot: 'runbook:2', renderedVersion: 4, contentHash: 'it\'s "quoted" ✅' },
      { slot: 'not-posted', renderedVersion: 4, contentHash: 'ignored' },
    ]);
    await recordRendered(test.database.db, mine, []);
    const shown = async (upgradeId: string) =>
      Object.fromEntries(
        (await postedMessages(test.database.db, upgradeId)).map((m) => [
          m.slot,
          [m.renderedVersion, m.contentHash],
        ]),
      );
    expect(await shown(mine)).toEqual({
      overview: [4, 'h-overview'],
      'runbook:1': [1, 'old'],
      'runbook:2': [4, 'it\'s "quoted" ✅'],
    });
    expect(await shown(other)).toEqual({
      overview: [1, 'old'],
      'runbook:1': [1, 'old'],
      'runbook:2': [1, 'old'],
    });
    expect(
      await test.database.db.select().from(slackMessages).where(eq(slackMessages.slot, 'not-posted')),
    ).toEqual([]);
  });
});
