import { and, eq } from 'drizzle-orm';
import type { Executor } from '../client.js';
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
  const [row] = await db
    .select({ userId: participants.userId })
    .from(participants)
    .where(and(eq(participants.upgradeId, upgradeId), eq(participants.userId, userId)));
  return row !== undefined;
}

export async function listParticipants(db: Executor, upgradeId: string): Promise<string[]> {
  const rows = await db
    .select({ userId: participants.userId })
    .from(participants)
    .where(eq(participants.upgradeId, upgradeId))
    .orderBy(participants.joinedAt);
  return rows.map((r) => r.userId);
}
