// The channel topic: the upgrade in one line. Slack posts a line in the channel whenever a topic
// changes, so it holds only what changes rarely (lead, failover, status), never step progress.
import type { UpgradeSnapshot } from '../../services/ports/slack.js';
import { failoverShort } from './facts.js';
import { escapeText, truncate, user } from './format.js';
import { statusLabel } from './labels.js';
import { SLACK_LIMITS } from './limits.js';

export function topic(snapshot: UpgradeSnapshot): string {
  const { state } = snapshot;
  const parts = ['PRA upgrade', snapshot.plan];
  if (snapshot.ticket) parts.push(escapeText(truncate(snapshot.ticket.trim(), 40)));
  parts.push(`lead ${user(state.lead)}`);
  const failover = failoverShort(state);
  if (failover) parts.push(failover);
  if (state.status !== 'active') parts.push(statusLabel(state.status));
  return truncate(parts.join(' · '), SLACK_LIMITS.topic);
}
