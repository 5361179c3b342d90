import type { DateTime } from 'luxon';
import type { Executor } from '../../db/client.js';
import { appendAudit } from '../../db/repositories/audit.js';
import { enqueue } from '../../db/repositories/outbox.js';
import type { AuditActor } from '../../db/schema.js';
import type { Refusal } from '../../engine/types.js';
import { outboxEntry } from './record-effects.js';

export interface RefusedCommand {
  upgradeId: string;
  actor: AuditActor;
  /** What was asked, as the audit names it (`complete`, `add`, `status`, `member-joined`). */
  command: string;
  refusal: Refusal;
  stepKey?: string | null;
  /** What else the audit row keeps beside the command and the rule. */
  detail?: Record<string, unknown>;
  /** Where the person is answered; null when nobody is waiting for an answer (an event). */
  responseUrl: string | null;
  /** The upgrade the answer belongs to, so it keeps that upgrade's order; null for a lane of its own. */
  replyUpgradeId?: string | null;
}

/**
 * A refusal, inside the caller's transaction: audited as `command-refused` (not a repeat of what is
 * already so, which refuses nothing) and answered to the person, both in one round trip.
 */
export async function recordRefusal(tx: Executor, now: DateTime, refused: RefusedCommand): Promise<void> {
  const { refusal } = refused;
  await Promise.all([
    refusal.duplicate
      ? undefined
      : appendAudit(tx, [
          {
            upgradeId: refused.upgradeId,
            actor: refused.actor,
            action: 'command-refused',
            stepKey: refused.stepKey ?? null,
            detail: { command: refused.command, rule: refusal.rule, ...refused.detail },
          },
        ]),
    refused.responseUrl
      ? enqueue(tx, now, [
          outboxEntry({
            kind: 'respond',
            upgradeId: refused.replyUpgradeId ?? null,
            responseUrl: refused.responseUrl,
            reply: { kind: 'refusal', refusal },
          }),
        ])
      : undefined,
  ]);
}
