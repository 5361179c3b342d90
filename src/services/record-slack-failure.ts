import { appendAudit } from '../db/repositories/audit.js';
import type { ServiceCall } from './context.js';
import { inTransaction } from './transaction.js';

/** A Slack call made outside the outbox (opening a modal needs the click's trigger at once) that failed. */
export async function recordSlackFailure({
  ctx,
  input,
}: ServiceCall<{
  upgradeId: string | null;
  method: string;
  error: string;
  detail?: Record<string, unknown>;
}>): Promise<void> {
  await inTransaction(ctx, (tx) =>
    appendAudit(tx, [
      {
        upgradeId: input.upgradeId,
        actor: ctx.actor,
        action: 'slack-call-failed',
        detail: { method: input.method, error: input.error, ...input.detail },
      },
    ]),
  );
}
