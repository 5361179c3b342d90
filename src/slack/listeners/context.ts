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
}

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
 * Runs a listener's work after the ack. A database outage gets "nothing was changed, try again"
 * straight through the response_url, since nothing can be queued without the database.
 */
export function afterAck(
  deps: ListenerDeps,
  respond: RespondFn | undefined,
  work: () => Promise<void>,
): Promise<void> {
  return deps.inFlight.track(guarded(deps, respond, work));
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
