import type { PlanName, UpgradeStatus } from '../../engine/constants.js';
import type { UpgradeState } from '../../engine/types.js';
import type { Executor } from '../client.js';
import { listParticipants } from './participants.js';
import { nextPendingDue } from './reminders.js';
import { permalinksFrom, permalinksOf, postedMessages, type SlackMessageRow } from './slack-messages.js';
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
  /**
   * Permalinks of the posted runbook messages by slot, fetched once when each was posted; the
   * overview links its "Ready now" steps to them. Absent or partial until the messages are posted.
   */
  permalinks?: Readonly<Record<string, string>>;
  /** When the next failover-gap reminder is due (ISO), for the banner; null or absent when none is pending. */
  nextFailoverReminderAt?: string | null;
}

/** Only a broken failover shows the banner with its next reminder: no query otherwise. */
function showsFailoverBanner(row: UpgradeRow): boolean {
  return row.state.failover.brokenAt !== null && row.state.failover.restoredAt === null;
}

function nextFailoverReminder(db: Executor, row: UpgradeRow): Promise<string | null> | null {
  return showsFailoverBanner(row)
    ? nextPendingDue(db, { upgradeId: row.id, rule: 'FAILOVER_GAP' }).then(
        (due) => due?.toISOString() ?? null,
      )
    : null;
}

function snapshotOf(
  row: UpgradeRow,
  participants: string[],
  permalinks: Record<string, string>,
  nextFailoverReminderAt: string | null,
): UpgradeSnapshot {
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
    participants,
    createdAt: row.createdAt.toISOString(),
    permalinks,
    nextFailoverReminderAt,
  };
}

async function toSnapshot(db: Executor, row: UpgradeRow): Promise<UpgradeSnapshot> {
  // Asked side by side: under load each query waits for a connection, so one wait instead of three.
  const [participants, permalinks, nextFailoverReminderAt] = await Promise.all([
    listParticipants(db, row.id),
    permalinksOf(db, row.id),
    nextFailoverReminder(db, row),
  ]);
  return snapshotOf(row, participants, permalinks, nextFailoverReminderAt);
}

/**
 * What a render reads: the upgrade as a snapshot and its posted messages. Every read by the upgrade's
 * id goes out at once, and the permalinks come from the messages read anyway.
 */
export async function loadRenderView(
  db: Executor,
  upgradeId: string,
): Promise<{ snapshot: UpgradeSnapshot; messages: SlackMessageRow[] } | null> {
  const [row, participants, messages] = await Promise.all([
    findUpgrade(db, upgradeId),
    listParticipants(db, upgradeId),
    postedMessages(db, upgradeId),
  ]);
  if (!row) return null;
  const snapshot = snapshotOf(
    row,
    participants,
    permalinksFrom(messages),
    await nextFailoverReminder(db, row),
  );
  return { snapshot, messages };
}

export async function loadSnapshot(db: Executor, upgradeId: string): Promise<UpgradeSnapshot | null> {
  const row = await findUpgrade(db, upgradeId);
  return row ? toSnapshot(db, row) : null;
}

export async function loadSnapshots(
  db: Executor,
  teamId: string,
  statuses: readonly UpgradeStatus[],
): Promise<UpgradeSnapshot[]> {
  const rows = await listUpgrades(db, { teamId, statuses });
  return Promise.all(rows.map((row) => toSnapshot(db, row)));
}
