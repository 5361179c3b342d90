import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../logging/logger.js';
import { recordFailure } from '../../services/record-failure.js';
import {
  type ServiceContext,
  type ServiceDeps,
  slackActor,
  systemActor,
} from '../../services/shared/context.js';
import { DatabaseUnavailableError } from '../../services/shared/errors.js';
import type { InFlight } from './in-flight.js';

/** What the listeners need: the service dependencies and a few settings. Listeners never touch the database. */
export interface ListenerDeps {
  services: ServiceDeps;
  logger: Logger;
  defaultTimezone: string;
  inFlight: InFlight;
  /** How long a request may wait for its work before it is acknowledged anyway (Slack allows 3 s). */
  ackBudgetMs: number;
}

/** Well inside Slack's 3 seconds, leaving room for the network and a slow event loop. */
export const ACK_BUDGET_MS = 2000;

export function contextFor(deps: ListenerDeps, teamId: string, userId: string): ServiceContext {
  return { ...deps.services, actor: slackActor(teamId, userId) };
}

export const DATABASE_DOWN_TEXT =
  'Nothing was changed: the bot cannot reach its database right now. Please try again in a minute.';
export const MAYBE_SAVED_TEXT =
  'The bot lost its database connection while saving, so the change may or may not have been saved. Check the channel before trying again.';
export const UNEXPECTED_TEXT =
  'Something went wrong on our side and nothing was changed. Please try again; if it keeps failing, tell whoever runs the bot.';

/**
 * Runs a listener's work, then acknowledges: Slack hears "received" only once the change committed,
 * so a crash before the commit leaves the request unacknowledged for Slack to retry (the request key
 * makes a retry change nothing). Work past the budget is acknowledged anyway and goes on, logged.
 * A database outage gets "nothing was changed, try again" straight through the response_url.
 */
export async function acknowledgeAfter(
  deps: ListenerDeps,
  ack: (() => Promise<void>) | undefined,
  respond: RespondFn | undefined,
  work: () => Promise<void>,
): Promise<void> {
  const done = deps.inFlight.track(guarded(deps, respond, work));
  let timer: NodeJS.Timeout | undefined;
  const inTime = await Promise.race([
    done.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), deps.ackBudgetMs);
    }),
  ]);
  clearTimeout(timer);
  if (!inTime) {
    deps.logger.warn(
      { budgetMs: deps.ackBudgetMs },
      'acknowledged a Slack request before its work finished; the work goes on',
    );
  }
  await ack?.();
}

async function guarded(
  deps: ListenerDeps,
  respond: RespondFn | undefined,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (error) {
    const down = error instanceof DatabaseUnavailableError;
    if (down) {
      deps.logger.warn({ err: error }, 'database unavailable while handling a Slack request');
    } else {
      deps.logger.error({ err: error }, 'a Slack listener failed');
      await recordFailure({
        ctx: { ...deps.services, actor: systemActor('slack-listener') },
        input: {
          upgradeId: null,
          action: 'listener-failed',
          error: error instanceof Error ? error.message : String(error),
        },
      }).catch((auditError: unknown) =>
        deps.logger.error({ err: auditError }, 'could not audit the failure'),
      );
    }
    const text = down ? (error.maybeSaved ? MAYBE_SAVED_TEXT : DATABASE_DOWN_TEXT) : UNEXPECTED_TEXT;
    await respond?.({ response_type: 'ephemeral', replace_original: false, text }).catch(
      (respondError: unknown) =>
        deps.logger.warn({ err: respondError }, 'could not tell the person about the failure'),
    );
  }
}

/** The person's own time zone from Slack, for windows typed without a zone; falls back to DEFAULT_TIMEZONE. */
export async function userTimezone(client: WebClient, deps: ListenerDeps, userId: string): Promise<string> {
  try {
    const result = await client.users.info({ user: userId });
    return result.user?.tz ?? deps.defaultTimezone;
  } catch (error) {
    deps.logger.warn({ err: error, userId }, 'users.info failed; using the default time zone');
    await recordFailure({
      ctx: contextFor(deps, 'unknown', userId),
      input: {
        upgradeId: null,
        action: 'slack-call-failed',
        error: error instanceof Error ? error.message : String(error),
        detail: { method: 'users.info', fallback: deps.defaultTimezone },
      },
    }).catch(() => undefined);
    return deps.defaultTimezone;
  }
}
