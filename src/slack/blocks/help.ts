// The full `/pra-upgrade help` text; the README and the command parser document the same commands.
import type { RenderedMessage } from '../../services/slack-port.js';
import { chunkLines, escapeText, truncate } from './format.js';
import { type Block, header, section } from './kit.js';
import { SLACK_LIMITS } from './limits.js';

export const HELP_TEXT = [
  '*`/pra-upgrade start <single|manual|sync|async|hardware> [options] [@people]`*',
  'Starts an upgrade in a new channel with the whole runbook and invites the people you mention. Plans:',
  '• `single`: one appliance, automatic update',
  '• `manual`: one appliance, manual update (restricted network, Appliance Download Key)',
  '• `sync`: failover pair, A first, A stays primary, short outage',
  '• `async`: failover pair, B first, B becomes primary, minimal outage over two windows',
  '• `hardware`: move to new hardware or a virtual appliance',
  'Options (all optional):',
  '• `--a <host>` `--b <host>`: names of appliance A and B (names from the appliances file link them: the bot then checks steps with the appliances)',
  '• `--old <name>` `--new <name>`: hardware plan, the current and the new appliance from the appliances file',
  '• `--to 24.1.2`: the version the update must reach (checked with linked appliances; without it, any change from the version at start)',
  '• `--method auto|manual`, `--method-a auto|manual`, `--method-b auto|manual`: update method (pairs default to manual)',
  '• `--switch shared-ip|dns|nat`: how B becomes primary (async only; default dns)',
  '• `--base-only`: base software only, no site update and no client follow-up',
  '• `--ticket CHG123`: the change ticket',
  '• `--window-a "2026-12-01 22:00"` `--window-b "2026-12-02 22:00"`: maintenance windows',
  '• `--tz Europe/Amsterdam`: the time zone of the windows',
  '• `--gap-limit 2d` or `--gap-limit PT48H`: how long failover may be off before the channel is reminded',
  'Example: `/pra-upgrade start async --ticket CHG123 --a pra-a.example.com --b pra-b.example.com @alice @bob`',
  '',
  '*`/pra-upgrade status`*: progress of the upgrade in this channel.',
  '*`/pra-upgrade list`*: the active upgrades of this workspace.',
  '*`/pra-upgrade window a|b <YYYY-MM-DD> <HH:MM> [zone] [length e.g. 2h]`*: sets or moves a maintenance window.',
  '*`/pra-upgrade set method-a|method-b auto|manual`*: changes the update method of an appliance.',
  '*`/pra-upgrade set switch shared-ip|dns|nat`*: changes how B becomes primary.',
  '*`/pra-upgrade set base-only on|off`*: base software only, or base and site.',
  '*`/pra-upgrade lead @user`*: hands the lead to someone else (lead only).',
  '*`/pra-upgrade resolve [#n] <how it was resolved>`*: records how a problem was resolved; a base-software problem holds the upgrade until then.',
  '*`/pra-upgrade abort <reason>`*: ends the upgrade early (lead only).',
  '*`/pra-upgrade help`*: this text.',
  '',
  'In the channel every step has its buttons: *Done* (critical steps need two different people), *I’m on it*, *Skip…* (optional steps, with a reason), *Report problem*, and *Undo* (lead only). The bot refuses steps out of order and names the rule.',
].join('\n');

export function helpMessage(): RenderedMessage {
  const blocks: Block[] = [
    header('PRA upgrade commands'),
    // `<plan>`-style placeholders would read as Slack tokens: escape them for mrkdwn.
    ...chunkLines(HELP_TEXT.split('\n').map(escapeText), SLACK_LIMITS.sectionText)
      .filter((text) => text.trim() !== '')
      .map((text) => section(text)),
  ];
  return { text: truncate(escapeText(HELP_TEXT), SLACK_LIMITS.messageText), blocks };
}
