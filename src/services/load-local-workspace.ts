import { type LocalObject, loadLocalObjects } from '../db/repositories/local-workspace.js';
import type { ServiceCall } from './shared/context.js';
import { query } from './shared/transaction.js';

export type { LocalObject };

/** Everything the local workspace saved: its people, channels, messages, views and clock. */
export async function loadLocalWorkspace({
  ctx,
}: ServiceCall<Record<string, never>>): Promise<LocalObject[]> {
  return query(ctx, (db) => loadLocalObjects(db));
}
