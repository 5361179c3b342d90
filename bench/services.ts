// Database-bound speed: a click through the service layer (one transaction) on the configured database.
import { DateTime } from 'luxon';
import pino from 'pino';
import { createDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { applyCommand } from '../src/services/apply-command.js';
import { type ServiceDeps, slackActor } from '../src/services/shared/context.js';
import { startUpgrade } from '../src/services/start-upgrade.js';
import { measureAsync, report } from './measure.js';

const url = process.env.DATABASE_URL;
const database = createDatabase(url ? { kind: 'postgres', url } : { kind: 'pglite', dataDir: null });
await runMigrations(database);
const deps: ServiceDeps = {
  db: database.db,
  now: () => DateTime.utc(),
  logger: pino({ level: 'silent' }),
  settings: { failoverGapLimit: 'P1D', defaultTimezone: 'UTC' },
  outboxChanged: () => {},
};
const ctx = (userId: string) => ({ ...deps, actor: slackActor('TBENCH', userId) });
const input = (i: number) => ({
  teamId: 'TBENCH',
  plan: 'single' as const,
  options: {},
  ticket: null,
  applianceA: `bench-${i}-${Date.now()}`,
  applianceB: null,
  invite: [],
  windows: {},
  gapLimit: null,
  requestKey: null,
  responseUrl: null,
});

const ids: string[] = [];
report(
  await measureAsync(`start an upgrade (${database.kind})`, 100, async (i) => {
    const r = await startUpgrade({ ctx: ctx('UA'), input: input(i) });
    if (r.outcome === 'started') ids.push(r.upgradeId);
  }),
);
report(
  await measureAsync(`complete a step (${database.kind})`, 100, (i) =>
    applyCommand({
      ctx: ctx('UA'),
      input: {
        target: { upgradeId: ids[i] ?? '' },
        command: { type: 'complete', step: 'prep.window' },
        requestKey: null,
        responseUrl: null,
      },
    }),
  ),
);
report(
  await measureAsync(`refuse an out-of-order click (${database.kind})`, 100, (i) =>
    applyCommand({
      ctx: ctx('UA'),
      input: {
        target: { upgradeId: ids[i] ?? '' },
        command: { type: 'complete', step: 'a.verify' },
        requestKey: null,
        responseUrl: null,
      },
    }),
  ),
);
await database.close();
