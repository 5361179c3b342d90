import { DateTime } from 'luxon';
import pino from 'pino';
import type { Database } from '../../src/db/client.js';
import {
  type ServiceContext,
  type ServiceDeps,
  slackActor,
  systemActor,
} from '../../src/services/shared/context.js';
import { type StartUpgradeInput, startUpgrade } from '../../src/services/start-upgrade.js';

export const TEAM = 'T0001';

/** A clock the test moves by hand. */
export class FakeClock {
  constructor(public current: DateTime = DateTime.fromISO('2026-11-28T10:00:00Z', { zone: 'utc' })) {}
  now = (): DateTime => this.current;
  advance(by: Parameters<DateTime['plus']>[0]): DateTime {
    this.current = this.current.plus(by);
    return this.current;
  }
}

export function testDeps(
  database: Database,
  clock = new FakeClock(),
  overrides: Partial<ServiceDeps> = {},
): ServiceDeps {
  return {
    db: database.db,
    now: clock.now,
    logger: pino({ level: 'silent' }),
    settings: { failoverGapLimit: 'P1D' },
    outboxChanged: () => {},
    ...overrides,
  };
}

export function asUser(deps: ServiceDeps, userId: string, teamId: string = TEAM): ServiceContext {
  return { ...deps, actor: slackActor(teamId, userId) };
}

export function asJob(deps: ServiceDeps, job: string): ServiceContext {
  return { ...deps, actor: systemActor(job) };
}

export function startInput(overrides: Partial<StartUpgradeInput> = {}): StartUpgradeInput {
  return {
    teamId: TEAM,
    plan: 'async',
    options: {},
    ticket: 'CHG123',
    applianceA: 'pra-a.example.com',
    applianceB: 'pra-b.example.com',
    invite: ['UBOB'],
    windows: {},
    gapLimit: null,
    requestKey: null,
    responseUrl: null,
    ...overrides,
  };
}

/** An upgrade started by alice through the service, as a test's starting point; its id. */
export async function startedUpgrade(
  deps: ServiceDeps,
  overrides: Partial<StartUpgradeInput> = {},
): Promise<string> {
  const started = await startUpgrade({ ctx: asUser(deps, 'UALICE'), input: startInput(overrides) });
  if (started.outcome !== 'started') throw new Error(`not started: ${started.outcome}`);
  return started.upgradeId;
}
