import type { PlanName, UpgradeStatus } from '../../engine/constants.js';
import type { UpgradeState } from '../../engine/types.js';
import type { Executor } from '../client.js';
import { listParticipants } from './participants.js';
import { findUpgrade, listUpgrades, type UpgradeRow } from './upgrades.js';

/** An upgrade as the Slack layer renders it: read from the database at delivery time, never cached. */
export interface UpgradeSnapshot {
  id: string;
  teamId: string;
  plan: PlanName;
  ticket: string | null;
  applianceA: string | null;
  applianceB: string | null;
  channelId: string | null;
  channelName: string | null;
  state: UpgradeState;
  version: number;
  participants: string[];
  createdAt: string;
}

async function toSnapshot(db: Executor, row: UpgradeRow): Promise<UpgradeSnapshot> {
  return {
    id: row.id,
    teamId: row.teamId,
    plan: row.plan,
    ticket: row.ticket,
    applianceA: row.applianceA,
    applianceB: row.applianceB,
    channelId: row.channelId,
    channelName: row.channelName,
    state: row.state,
    version: row.version,
    participants: await listParticipants(db, row.id),
    createdAt: row.createdAt.toISOString(),
  };
}

export async function loadSnapshot(db: Executor, upgradeId: string): Promise<UpgradeSnapshot | null> {
  const row = await findUpgrade(db, upgradeId);
  return row ? toSnapshot(db, row) : null;
}

export async function loadSnapshots(
  db: Executor,
  teamId: string,
  statuses: UpgradeStatus[],
): Promise<UpgradeSnapshot[]> {
  const rows = await listUpgrades(db, teamId, statuses);
  return Promise.all(rows.map((row) => toSnapshot(db, row)));
}
