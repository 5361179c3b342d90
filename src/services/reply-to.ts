import { enqueue } from '../db/repositories/outbox.js';
import type { ServiceCall } from './shared/context.js';
import type { Reply } from './shared/outbox-messages.js';
import { outboxEntry } from './shared/record-effects.js';
import { inTransaction } from './shared/transaction.js';

/** Queues an answer to one person (help, list, status); it is rendered from the database when sent. */
export async function replyTo({
  ctx,
  input,
}: ServiceCall<{ responseUrl: string; reply: Reply; upgradeId: string | null }>): Promise<void> {
  await inTransaction(ctx, (tx) =>
    enqueue(tx, ctx.now(), [
      outboxEntry({
        kind: 'respond',
        upgradeId: input.upgradeId,
        responseUrl: input.responseUrl,
        reply: input.reply,
      }),
    ]),
  );
  ctx.outboxChanged();
}
