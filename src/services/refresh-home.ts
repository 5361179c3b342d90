import { enqueue } from '../db/repositories/outbox.js';
import type { ServiceCall } from './shared/context.js';
import { outboxEntry } from './shared/record-effects.js';
import { inTransaction } from './shared/transaction.js';

/** Queues the App Home tab of one person, rendered from the database when it is sent. */
export async function refreshHome({
  ctx,
  input,
}: ServiceCall<{ teamId: string; userId: string }>): Promise<void> {
  await inTransaction(ctx, (tx) =>
    enqueue(tx, ctx.now(), [
      outboxEntry({ kind: 'publish-home', teamId: input.teamId, userId: input.userId }),
    ]),
  );
  ctx.outboxChanged();
}
