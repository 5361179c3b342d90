import type { UpgradeStatus } from '../../engine/constants.js';
import type { UpgradeSnapshot } from '../../services/snapshot.js';
import type { Executor } from '../client.js';
import { listParticipants } from './participants.js';
import { nextPendingDue } from './reminders.js';
import { permalinksOf } from './slack-messages.js';
import { findUpgrade, listUpgrades, type UpgradeRow } from './upgrades.js';

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
    permalinks: await permalinksOf(db, row.id),
    // Only a broken failover shows it (the banner): no query otherwise.
    nextFailoverReminderAt:
      row.state.failover.brokenAt !== null && row.state.failover.restoredAt === null
        ? ((await nextPendingDue(db, row.id, 'FAILOVER_GAP'))?.toISOString() ?? null)
        : null,
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
