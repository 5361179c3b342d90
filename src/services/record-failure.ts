import type { AuditAction } from '../db/constants.js';
import { appendAudit } from '../db/repositories/audit.js';
import type { ServiceCall } from './shared/context.js';
import { inTransaction } from './shared/transaction.js';

export type FailureAction = Extract<
  AuditAction,
  'slack-call-failed' | 'listener-failed' | 'job-failed' | 'notification-failed'
>;

/**
 * Writes a failure that happened outside a state change into audit_events: a Slack call made outside
 * the outbox (a modal needs the click's trigger at once; a time zone lookup), a listener or a job that
 * broke, a notification between the processes that failed. Nothing is lost, even what went wrong.
 */
export async function recordFailure({
  ctx,
  input,
}: ServiceCall<{
  upgradeId: string | null;
  action: FailureAction;
  error: string;
  detail?: Record<string, unknown>;
}>): Promise<void> {
  await inTransaction(ctx, (tx) =>
    appendAudit(tx, [
      {
        upgradeId: input.upgradeId,
        actor: ctx.actor,
        action: input.action,
        detail: { error: input.error, ...input.detail },
      },
    ]),
  );
}
