import { and, eq, isNotNull, sql } from 'drizzle-orm';
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

/** What a render left a message showing. */
export interface RenderedSlot {
  slot: string;
  renderedVersion: number;
  contentHash: string;
}

/**
 * The messages of one render recorded together, in one UPDATE: a render touches most of its messages,
 * and one statement for each cost a round trip apiece.
 */
export async function recordRendered(
  db: Executor,
  upgradeId: string,
  rendered: RenderedSlot[],
): Promise<void> {
  if (rendered.length === 0) return;
  await db.execute(sql`
    update ${slackMessages} set
      rendered_version = r.rendered_version,
      content_hash = r.content_hash
    from jsonb_to_recordset(${JSON.stringify(rendered.map((r) => ({ slot: r.slot, rendered_version: r.renderedVersion, content_hash: r.contentHash })))}::jsonb)
      as r(slot text, rendered_version integer, content_hash text)
    where ${slackMessages.upgradeId} = ${upgradeId} and ${slackMessages.slot} = r.slot`);
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
