import type { PlanName } from '../../engine/constants.js';
import type { UpgradeState } from '../../engine/types.js';

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
