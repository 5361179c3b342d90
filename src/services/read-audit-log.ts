import { auditTrail } from '../db/repositories/audit.js';
import { findUpgradeByChannel } from '../db/repositories/upgrades.js';
import type { ServiceCall } from './shared/context.js';
import { query } from './shared/transaction.js';

export interface AuditLogLine {
  id: number;
  occurredAt: Date;
  /** The Slack user who acted, or the bot's job (`system:<job>`). */
  actor: string;
  action: string;
  stepKey: string | null;
  /** The rule a refusal or reminder names, when it names one. */
  rule: string | null;
}

export interface AuditLog {
  upgradeId: string;
  lines: AuditLogLine[];
}

/** The audit trail of the upgrade run in a channel, oldest first; null when the channel runs none. */
export async function readAuditLog({
  ctx,
  input,
}: ServiceCall<{ channelId: string }>): Promise<AuditLog | null> {
  const upgrade = await query(ctx, (db) => findUpgradeByChannel(db, input.channelId));
  if (!upgrade) return null;
  const rows = await query(ctx, (db) => auditTrail(db, upgrade.id));
  return {
    upgradeId: upgrade.id,
    lines: rows.map((row) => {
      const detail = (row.detail ?? {}) as Record<string, unknown>;
      return {
        id: row.id,
        occurredAt: row.occurredAt,
        actor: row.actor.type === 'slack' ? row.actor.userId : `system:${row.actor.job}`,
        action: row.action,
        stepKey: row.stepKey,
        rule: typeof detail.rule === 'string' ? detail.rule : null,
      };
    }),
  };
}
