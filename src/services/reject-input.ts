import { appendAudit } from '../db/repositories/audit.js';
import { enqueue } from '../db/repositories/outbox.js';
import type { ServiceCall } from './shared/context.js';
import { outboxEntry } from './shared/record-effects.js';
import { inTransaction } from './shared/transaction.js';

export interface RejectInput {
  /** Where the input came from: `command`, `action:step.complete`, `view:skip.reason`, `event:…`. */
  source: string;
  problems: string[];
  /** The correct form, shown to the person. */
  usage: string | null;
  /** What was received, cut short; never a token or a whole payload. */
  received: string;
  responseUrl: string | null;
  upgradeId: string | null;
}

/** Bad input changes nothing, but it is audited and the person learns what was wrong and how to write it. */
export async function rejectInput({ ctx, input }: ServiceCall<RejectInput>): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await appendAudit(tx, [
      {
        upgradeId: input.upgradeId,
        actor: ctx.actor,
        action: 'input-rejected',
        detail: { source: input.source, problems: input.problems, received: input.received.slice(0, 500) },
      },
    ]);
    if (input.responseUrl) {
      const text = [
        `That did not work, and nothing was changed:\n• ${input.problems.join('\n• ')}`,
        input.usage ? `Write it like this:\n\`\`\`${input.usage}\`\`\`` : null,
      ]
        .filter(Boolean)
        .join('\n');
      await enqueue(tx, ctx.now(), [
        outboxEntry({
          kind: 'respond',
          upgradeId: input.upgradeId,
          responseUrl: input.responseUrl,
          reply: { kind: 'text', text },
        }),
      ]);
    }
  });
  ctx.outboxChanged();
}
