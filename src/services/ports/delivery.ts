import type { ReleaseLock } from '../../db/upgrade-lock.js';
import type { Renderer, SlackGateway } from './slack.js';

/** What delivering needs besides the database: Slack, the Block Kit renderer, and the per-upgrade lock. */
export interface DeliveryPorts {
  gateway: SlackGateway;
  renderer: Renderer;
  lockUpgrade: (upgradeId: string) => Promise<ReleaseLock | null>;
}
