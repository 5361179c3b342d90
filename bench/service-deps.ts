import { DateTime } from 'luxon';
import pino from 'pino';
import type { Executor } from '../src/db/client.js';
import type { ServiceDeps } from '../src/services/shared/context.js';
import type { StartUpgradeInput } from '../src/services/start-upgrade.js';

/** The services' dependencies as a benchmark calls them: the real clock, no logs, no outbox wake-ups. */
export function benchServiceDeps(db: Executor): ServiceDeps {
  return {
    db,
    now: () => DateTime.utc(),
    logger: pino({ level: 'silent' }),
    settings: { failoverGapLimit: 'P1D' },
    outboxChanged: () => {},
  };
}

/** A start as a benchmark asks for it: a single-appliance plan of team TBENCH unless told otherwise. */
export function benchStartInput(overrides: Partial<StartUpgradeInput> = {}): StartUpgradeInput {
  return {
    teamId: 'TBENCH',
    plan: 'single',
    options: {},
    ticket: null,
    applianceA: null,
    applianceB: null,
    invite: [],
    windows: {},
    gapLimit: null,
    requestKey: null,
    responseUrl: null,
    ...overrides,
  };
}
