import { and, eq, isNotNull } from 'drizzle-orm';
import type { Executor } from '../client.js';
import { slackMessages } from '../schema.js';

export type SlackMessageRow = typeof slackMessages.$inferSelect;

export async function postedMessages(db: Executor, upgradeId: string): Promise<SlackMessageRow[]> {
  return db.select().from(slackMessages).where(eq(slackMessages.upgradeId, upgradeId));
}

export async function recordPostedMessage(
  db: Executor,
  row: Omit<SlackMessageRow, 'createdAt' | 'pinned' | 'permalink'> & { pinned?: boolean },
): Promise<void> {
  await db.insert(slackMessages).values(row).onConflictDoNothing();
}

export async function recordRendered(
  db: Executor,
  upgradeId: string,
  slot: string,
  renderedVersion: number,
  contentHash: string,
): Promise<void> {
  await db
    .update(slackMessages)
    .set({ renderedVersion, contentHash })
    .where(and(eq(slackMessages.upgradeId, upgradeId), eq(slackMessages.slot, slot)));
}

export async function recordPinned(db: Executor, upgradeId: string, slot: string): Promise<void> {
  await db
    .update(slackMessages)
    .set({ pinned: true })
    .where(and(eq(slackMessages.upgradeId, upgradeId), eq(slackMessages.slot, slot)));
}

export async function recordPermalink(
  db: Executor,
  upgradeId: string,
  slot: string,
  permalink: string,
): Promise<void> {
  await db
    .update(slackMessages)
    .set({ permalink })
    .where(and(eq(slackMessages.upgradeId, upgradeId), eq(slackMessages.slot, slot)));
}

/** The permalinks known for an upgrade's messages, by slot. */
export async function permalinksOf(db: Executor, upgradeId: string): Promise<Record<string, string>> {
  const rows = await db
    .select({ slot: slackMessages.slot, permalink: slackMessages.permalink })
    .from(slackMessages)
    .where(and(eq(slackMessages.upgradeId, upgradeId), isNotNull(slackMessages.permalink)));
  return permalinksFrom(rows);
}

/** The permalinks of posted messages by slot, those that have one. */
export function permalinksFrom(rows: Pick<SlackMessageRow, 'slot' | 'permalink'>[]): Record<string, string> {
  return Object.fromEntries(rows.flatMap((r) => (r.permalink ? [[r.slot, r.permalink]] : [])));
}
