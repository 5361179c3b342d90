import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack, waitFor } from '../../../src/fake-slack/index.js';
import { ChildBot } from '../../support/child-bot.js';
import { createEmptyDatabase, type TestDatabase } from '../../support/database.js';
import { SIGNING_SECRET, USERS } from '../../support/harness.js';

// Someone looking at a stuck delivery finds its owner in delivery_owners and the process's sessions
// in pg_stat_activity: both names carry the same instance id, so they can be matched.
describe("a process's names on PostgreSQL", () => {
  let fake: FakeSlack;
  let test: TestDatabase;
  let admin: postgres.Sql;
  let bot: ChildBot | undefined;

  beforeAll(async () => {
    fake = await FakeSlack.start({ users: Object.values(USERS) });
    test = await createEmptyDatabase({ server: 'postgres' });
    await test.database.close();
    admin = postgres(test.url ?? '', { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await bot?.stop();
    await admin?.end();
    await test?.dispose();
    await fake?.stop();
  });

  it('are one instance id in its connections and in its delivery claims', async () => {
    bot = await ChildBot.start({
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      DATABASE_URL: test.url ?? '',
    });
    const database = new URL(test.url ?? '').pathname.slice(1);
    const names = async () => {
      const sessions = await admin<{ name: string }[]>`
        select distinct application_name as name from pg_stat_activity
        where datname = ${database} and application_name like 'pra-upgrade %'`;
      const owners = await admin<{ id: string }[]>`select id from delivery_owners`;
      return { sessions: sessions.map((s) => s.name), owners: owners.map((o) => o.id) };
    };
    const seen = await waitFor(async () => {
      const found = await names();
      return found.sessions.length > 0 && found.owners.length > 0 ? found : null;
    });
    expect(seen.sessions).toHaveLength(1);
    expect(seen.owners).toHaveLength(1);
    const [, pid, instance] = /^pra-upgrade (\d+) ([0-9a-f]{8})$/.exec(seen.sessions[0] ?? '') ?? [];
    expect(instance).toBeDefined();
    expect(seen.owners[0]).toMatch(new RegExp(`^[^:]+:${pid}:${instance}$`));
  });
});
