import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { precompiled } from '../precompiled.js';
import { participants } from '../schema.js';

export async function addParticipants(db: Executor, upgradeId: string, userIds: string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const added = await db
    .insert(participants)
    .values([...new Set(userIds)].map((userId) => ({ upgradeId, userId })))
    .onConflictDoNothing()
    .returning({ userId: participants.userId });
  return added.map((a) => a.userId);
}

export async function removeParticipant(db: Executor, upgradeId: string, userId: string): Promise<boolean> {
  const removed = await db
    .delete(participants)
    .where(and(eq(participants.upgradeId, upgradeId), eq(participants.userId, userId)))
    .returning({ userId: participants.userId });
  return removed.length > 0;
}

export async function isParticipant(db: Executor, upgradeId: string, userId: string): Promise<boolean> {
  const [row] = await participantRow(db, { upgradeId, userId });
  return row !== undefined;
}

const participantRow = precompiled<{ upgradeId: string; userId: string }, { userId: string }[]>(
  'is_participant',
  (db) =>
    db
      .select({ userId: participants.userId })
      .from(participants)
      .where(
        and(
          eq(participants.upgradeId, sql.placeholder('upgradeId')),
          eq(participants.userId, sql.placeholder('userId')),
        ),
      ),
);

export async function listParticipants(db: Executor, upgradeId: string): Promise<string[]> {
  const rows = await participantsOf(db, { upgradeId });
  return rows.map((r) => r.userId);
}

const participantsOf = precompiled<{ upgradeId: string }, { userId: string }[]>('list_participants', (db) =>
  db
    .select({ userId: participants.userId })
    .from(participants)
    .where(eq(participants.upgradeId, sql.placeholder('upgradeId')))
    .orderBy(participants.joinedAt),
);
