// The App Home tab: every active upgrade at a glance, and how to start one.
import type { DateTime } from 'luxon';
import type { RenderedView, UpgradeSnapshot } from '../../services/ports/slack.js';
import { failoverText, isOpen, planOfSnapshot, progressBar, statusText, ticketText } from './facts.js';
import { channel, escapeText, user } from './format.js';
import { type Block, context, divider, header, section } from './kit.js';
import { SLACK_LIMITS } from './limits.js';

// Two blocks an upgrade (section + divider) plus header, intro and footer stay under 100.
const MAX_UPGRADES = 40;

function upgradeSection(snapshot: UpgradeSnapshot, userId: string, now: DateTime): Block {
  const plan = planOfSnapshot(snapshot);
  const { state } = snapshot;
  const ticket = ticketText(snapshot, 60);
  const mine =
    state.lead === userId
      ? ' · _you lead this one_'
      : snapshot.participants.includes(userId)
        ? ' · _you take part_'
        : '';
  const failover = failoverText(snapshot, now);
  const lines = [
    `*${escapeText(plan.title)}*${ticket ? ` · ${ticket}` : ''}${mine}`,
    `${snapshot.channelId ? channel(snapshot.channelId) : '_channel being set up_'} · lead ${user(state.lead)} · ${statusText(state)}`,
    `\`${progressBar(plan, state)}\``,
  ];
  if (failover) lines.push(`Failover: ${failover}`);
  return section(lines.join('\n'), { blockId: `home:${snapshot.id}` });
}

export function homeView(userId: string, upgrades: UpgradeSnapshot[], now: DateTime): RenderedView {
  // One entry per upgrade: a repeated id would also repeat a block_id, which Slack refuses.
  const active = [...new Map(upgrades.filter((u) => isOpen(u.state)).map((u) => [u.id, u])).values()];
  const blocks: Block[] = [header('PRA upgrades')];
  if (active.length === 0) {
    blocks.push(section('No active upgrades.'));
  } else {
    for (const [index, snapshot] of active.slice(0, MAX_UPGRADES).entries()) {
      if (index > 0) blocks.push(divider());
      blocks.push(upgradeSection(snapshot, userId, now));
    }
    if (active.length > MAX_UPGRADES) {
      blocks.push(
        context([`…and ${active.length - MAX_UPGRADES} more; \`/pra-upgrade list\` shows them all.`]),
      );
    }
  }
  blocks.push(divider());
  blocks.push(
    section(
      '*How to start*\nType `/pra-upgrade start async` in any channel (or `single`, `manual`, `sync`, `hardware`). The bot opens a channel with the whole runbook. `/pra-upgrade help` lists every option.',
      { blockId: 'home:how-to' },
    ),
  );
  return { type: 'home', blocks: blocks.slice(0, SLACK_LIMITS.viewBlocks) };
}
