import { DateTime } from 'luxon';
import type { Database } from '../src/db/client.js';
import type { ServiceDeps } from '../src/services/shared/context.js';
import type { StartUpgradeInput } from '../src/services/start-upgrade.js';
import { startInput, testDeps } from '../test/support/services.js';

/** The tests' service dependencies, on the real clock: a benchmark's time is the machine's. */
export function benchServiceDeps(database: Database): ServiceDeps {
  return testDeps(database, undefined, { now: () => DateTime.utc() });
}

/** A start as a benchmark asks for it: a single-appliance plan of team TBENCH, nobody invited, no ticket. */
export function benchStartInput(overrides: Partial<StartUpgradeInput> = {}): StartUpgradeInput {
  return startInput({
    teamId: 'TBENCH',
    plan: 'single',
    ticket: null,
    applianceA: null,
    applianceB: null,
    invite: [],
    ...overrides,
  });
}
