// The full `/pra-upgrade help` text, from the verbs' own definitions; the README documents the same commands.
import type { RenderedMessage } from '../../services/ports/slack.js';
import { VERBS } from '../listeners/commands/verbs/index.js';
import { chunkLines, escapeText, truncate } from './format.js';
import { type Block, header, section } from './kit.js';
import { SLACK_LIMITS } from './limits.js';

export const HELP_TEXT = [
  ...VERBS.flatMap((verb) => verb.help),
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
