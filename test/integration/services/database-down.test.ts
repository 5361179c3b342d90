import { describe, expect, it } from 'vitest';
import { createDatabase } from '../../../src/db/client.js';
import { applyCommand } from '../../../src/services/apply-command.js';
import { DatabaseUnavailableError } from '../../../src/services/shared/errors.js';
import { startUpgrade } from '../../../src/services/start-upgrade.js';
import { createTestDatabase } from '../../support/database.js';
import { asUser, startInput, testDeps } from '../../support/services.js';

describe('when the database is down', () => {
  it('services fail with DatabaseUnavailableError (nothing was changed, try again)', async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    const down = createDatabase({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/nothing' });
    try {
      const deps = testDeps(down);
      const error = await startUpgrade({ ctx: asUser(deps, 'UALICE'), input: startInput() }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect((error as Error).message).toBe('The database is unreachable; nothing was changed.');
      const click = await applyCommand({
        ctx: asUser(deps, 'UALICE'),
        input: {
          target: { upgradeId: '00000000-0000-0000-0000-000000000000' },
          command: { type: 'complete', step: 'prep.window' },
          requestKey: null,
          responseUrl: null,
        },
      }).catch((e: unknown) => e);
      expect(click).toBeInstanceOf(DatabaseUnavailableError);
    } finally {
      await down.close();
    }
  });

  it('a closed embedded database reports the same way', async () => {
    const test = await createTestDatabase();
    await test.database.close();
    const error = await startUpgrade({
      ctx: asUser(testDeps(test.database), 'UALICE'),
      input: startInput(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    await test.dispose().catch(() => undefined);
  });
});
