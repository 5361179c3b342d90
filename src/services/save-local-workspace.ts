import { type LocalObject, saveLocalObjects } from '../db/repositories/local-workspace.js';
import type { ServiceCall } from './shared/context.js';

export interface LocalWorkspaceChanges {
  upserts: LocalObject[];
  deletes: Array<Pick<LocalObject, 'kind' | 'id'>>;
}

/**
 * Writes what changed in the local workspace since its last save, in one transaction. Not audited:
 * this is the simulated Slack's own state, not the bot's.
 */
export async function saveLocalWorkspace({ ctx, input }: ServiceCall<LocalWorkspaceChanges>): Promise<void> {
  await saveLocalObjects(ctx.db, input);
}
