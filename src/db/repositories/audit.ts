import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../client.js';
import type { AuditAction } from '../constants.js';
import { type AuditActor, auditEvents } from '../schema.js';

export interface AuditEntry {
  upgradeId: string | null;
  actor: AuditActor;
  action: AuditAction;
  stepKey?: string | null;
  detail?: Record<string, unknown>;
}

export type AuditRow = typeof auditEvents.$inferSelect;

export async function appendAudit(db: Executor, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.insert(auditEvents).values(
    entries.map((e) => ({
      upgradeId: e.upgradeId,
      actor: e.actor,
      action: e.action,
      stepKey: e.stepKey ?? null,
      detail: e.detail ?? {},
    })),
  );
}

export async function auditTrail(db: Executor, upgradeId: string): Promise<AuditRow[]> {
  return db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.upgradeId, upgradeId))
    .orderBy(asc(auditEvents.id));
}
