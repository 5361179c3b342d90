import type { DateTime } from 'luxon';
import type { Executor } from '../../db/client.js';
import type { AuditActor } from '../../db/schema.js';
import type { Logger } from '../../logging/logger.js';
import type { AppliancePort } from '../ports/appliances.js';

/** What every service verb can use; built once in bootstrap.ts (the composition root). */
export interface ServiceDeps {
  db: Executor;
  /** The only clock: tests pass a fake one. */
  now: () => DateTime;
  logger: Logger;
  settings: {
    /** ISO-8601 duration, FAILOVER_GAP_LIMIT unless the upgrade sets its own. */
    failoverGapLimit: string;
  };
  /** Called after a commit that queued Slack deliveries, so they go out at once. */
  outboxChanged: () => void;
  /** BeyondTrust's APIs for the appliances of PRA_APPLIANCES_FILE; absent without the file. */
  appliances?: AppliancePort;
}

export type ServiceContext = ServiceDeps & { actor: AuditActor };

/** The shape of every service verb: `{ ctx, input }`. */
export interface ServiceCall<I> {
  ctx: ServiceContext;
  input: I;
}

export function slackActor(teamId: string, userId: string): AuditActor {
  return { type: 'slack', teamId, userId };
}

export function systemActor(job: string): AuditActor {
  return { type: 'system', job };
}
