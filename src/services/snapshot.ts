import type { PlanName } from '../engine/constants.js';
import type { UpgradeState } from '../engine/types.js';

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
