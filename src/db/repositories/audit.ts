import { asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import type { AuditAction } from '../constants.js';
import { precompiledStatement } from '../precompiled.js';
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
  await appended(db, {
    entries: JSON.stringify(
      entries.map((e) => ({
        upgradeId: e.upgradeId,
        actor: e.actor,
        action: e.action,
        stepKey: e.stepKey ?? null,
        detail: e.detail ?? {},
      })),
    ),
  });
}

// One statement for any number of rows (a JSON array, inserted in its order, so ids follow it).
const appended = precompiledStatement<{ entries: string }>(
  'append_audit',
  sql`insert into ${auditEvents} (upgrade_id, actor, action, step_key, detail)
    select (e.value->>'upgradeId')::uuid, e.value->'actor', e.value->>'action', e.value->>'stepKey', e.value->'detail'
    from jsonb_array_elements(${sql.placeholder('entries')}::jsonb) with ordinality as e(value, n)
    order by e.n`,
);

export async function auditTrail(db: Executor, upgradeId: string): Promise<AuditRow[]> {
  return db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.upgradeId, upgradeId))
    .orderBy(asc(auditEvents.id));
}
