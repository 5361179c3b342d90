import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import type { LocalObjectKind } from '../constants.js';
import { localWorkspaceObjects } from '../schema.js';

export interface LocalObject {
  kind: LocalObjectKind;
  id: string;
  data: unknown;
}

export async function loadLocalObjects(db: Executor): Promise<LocalObject[]> {
  return db
    .select({
      kind: localWorkspaceObjects.kind,
      id: localWorkspaceObjects.id,
      data: localWorkspaceObjects.data,
    })
    .from(localWorkspaceObjects);
}

/** Writes what changed since the last save, inside the caller's transaction. */
export async function saveLocalObjects(
  db: Executor,
  changes: { upserts: LocalObject[]; deletes: Array<Pick<LocalObject, 'kind' | 'id'>> },
): Promise<void> {
  for (const removed of changes.deletes) {
    await db
      .delete(localWorkspaceObjects)
      .where(and(eq(localWorkspaceObjects.kind, removed.kind), eq(localWorkspaceObjects.id, removed.id)));
  }
  // Batches keep one statement's parameters well under PostgreSQL's limit.
  for (let from = 0; from < changes.upserts.length; from += 200) {
    await db
      .insert(localWorkspaceObjects)
      .values(changes.upserts.slice(from, from + 200))
      .onConflictDoUpdate({
        target: [localWorkspaceObjects.kind, localWorkspaceObjects.id],
        set: { data: sql`excluded.data`, updatedAt: sql`now()` },
      });
  }
}
