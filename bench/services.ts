// Database-bound speed: a click through the service layer (one transaction) on the configured database.
import { DateTime } from 'luxon';
import pino from 'pino';
import { createDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { applyCommand } from '../src/services/apply-command.js';
import { type ServiceDeps, slackActor } from '../src/services/shared/context.js';
import { startUpgrade } from '../src/services/start-upgrade.js';
import { freshDatabase } from './fresh-database.js';
import { measureAsync, report } from './measure.js';

// On PostgreSQL a database of the run's own, so that "open in the team" counts this run's upgrades only.
const fresh = process.env.DATABASE_URL ? await freshDatabase(process.env.DATABASE_URL) : null;
const database = createDatabase(
  fresh ? { kind: 'postgres', url: fresh.url } : { kind: 'pglite', dataDir: null },
);
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
  await measureAsync(`start an upgrade, the team's first 100 (${database.kind})`, 100, async (i) => {
    const r = await startUpgrade({ ctx: ctx('UA'), input: input(i) });
    if (r.outcome === 'started') ids.push(r.upgradeId);
  }),
);
const firstStarts = await measureAsync(
  `start an upgrade, 100 others open in the team (${database.kind})`,
  100,
  (i) => startUpgrade({ ctx: ctx('UA'), input: input(500 + i) }),
);
report(firstStarts);
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
// A start reads the team's open upgrades of the same appliances: its cost should not grow with the
// team's other open upgrades. Filled up to 1,000 open (other appliances), then measured again.
const fill = 800;
for (let i = 0; i < fill; i++) await startUpgrade({ ctx: ctx('UA'), input: input(1000 + i) });
const crowded = await measureAsync(
  `start an upgrade, 1,000 others open in the team (${database.kind})`,
  100,
  (i) => startUpgrade({ ctx: ctx('UA'), input: input(5000 + i) }),
);
report(crowded);
console.log(
  `  start with 1,000 others open against 100: mean ${(crowded.meanMs / firstStarts.meanMs).toFixed(2)}×`,
);
await database.close();
await fresh?.drop();
