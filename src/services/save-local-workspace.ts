import { type LocalObject, saveLocalObjects } from '../db/repositories/local-workspace.js';
import type { ServiceCall } from './shared/context.js';
import { inTransaction } from './shared/transaction.js';

export interface LocalWorkspaceChanges {
  upserts: LocalObject[];
  deletes: Array<Pick<LocalObject, 'kind' | 'id'>>;
}

/**
 * Writes what changed in the local workspace since its last save, in one transaction. Not audited:
 * this is the simulated Slack's own state, not the bot's.
 */
export async function saveLocalWorkspace({ ctx, input }: ServiceCall<LocalWorkspaceChanges>): Promise<void> {
  // One transaction: a crash leaves the old or the new copy.
  if (input.upserts.length === 0 && input.deletes.length === 0) return;
  await inTransaction(ctx, (tx) => saveLocalObjects(tx, input));
}
