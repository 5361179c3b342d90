// Ephemeral answers to one person: refusals in plain words, help, status and the list of upgrades.
import type { DateTime } from 'luxon';
import {
  isResolved,
  NAMED_IN_SENTENCE,
  ORDERING_RULES,
  type OrderingRule,
  openProblems,
  type Plan,
  planOf,
  progressOf,
  type Refusal,
} from '../../engine/index.js';
import { stepOf } from '../../engine/state-queries.js';
import { joinWords } from '../../engine/words.js';
import type { RenderedMessage, ReplyData, UpgradeSnapshot } from '../../services/ports/slack.js';
import type { Reply } from '../../services/shared/outbox-messages.js';
import { stepBlockId } from '../action-ids.js';
import {
  failoverText,
  isOpen,
  planOfSnapshot,
  progressText,
  readyText,
  statusText,
  ticketText,
} from './facts.js';
import {
  channel,
  chunkLines,
  escapeKeepingTokens,
  escapeText,
  fitLines,
  quoted,
  slackDate,
  truncate,
  user,
  users,
} from './format.js';
import { helpMessage } from './help.js';
import { actions, type Block, context, fieldsSection, section } from './kit.js';
import { SLACK_LIMITS } from './limits.js';
import { stepLink } from './runbook.js';
import { stepSectionText, undoButton } from './step-block.js';

const MAX_LIST_SECTIONS = 45;

function isOrderingRule(rule: string): rule is OrderingRule {
  return (ORDERING_RULES as readonly string[]).includes(rule);
}

/** A missing entry is a step key, or `step:check` for a check on a step. */
function describeMissing(plan: Plan, key: string): string | null {
  const step = stepOf(plan, key);
  if (step) return quoted(step.title);
  const [stepKey, checkId] = key.split(':');
  const owner = stepOf(plan, stepKey);
  const check = owner?.checks.find((c) => c.id === checkId);
  return owner && check ? `${quoted(check.title)} on ${quoted(owner.title)}` : null;
}

function missingList(refusal: Refusal, snapshot: UpgradeSnapshot | null): string | null {
  const ordering = isOrderingRule(refusal.rule);
  if (!snapshot || refusal.missing.length === 0 || (!ordering && refusal.rule !== 'HAS_DEPENDANTS'))
    return null;
  const plan = planOfSnapshot(snapshot);
  const lines = refusal.missing
    .map((key) => describeMissing(plan, key))
    .filter((line): line is string => line !== null)
    .map((line) => `• ${line}`);
  // The sentence already names up to three; the list is for the longer cases.
  if (lines.length === 0 || (ordering && refusal.missing.length <= NAMED_IN_SENTENCE)) return null;
  const title = ordering ? '*Still to do first:*' : '*Undo these first:*';
  return `${title}\n${fitLines(lines, SLACK_LIMITS.sectionText - title.length - 1)}`;
}

export function refusalMessage(refusal: Refusal, snapshot: UpgradeSnapshot | null): RenderedMessage {
  const ordering = isOrderingRule(refusal.rule);
  const opening = refusal.duplicate
    ? '👌 *Already done:*'
    : ordering
      ? '✋ *Not yet:*'
      : refusal.rule === 'UPGRADE_BLOCKED'
        ? '⏸️ *On hold:*'
        : '✋ *Can’t do that:*';
  const main = `${opening} ${escapeKeepingTokens(refusal.message)}`;
  const blocks: Block[] = [section(main)];
  const missing = missingList(refusal, snapshot);
  if (missing) blocks.push(section(missing));
  // The code is for the record and for whoever reads the audit log: once, small, at the end.
  blocks.push(context([`Rule \`${refusal.rule}\``]));
  return { text: truncate(main, SLACK_LIMITS.messageText), blocks };
}

function participantsAddedMessage(added: string[], already: string[]): RenderedMessage {
  const lines = [
    added.length > 0 ? `✅ ${users(added)} can now act on this upgrade.` : null,
    already.length > 0 ? `${users(already)} already could.` : null,
  ];
  return textMessage(lines.filter((line) => line !== null).join(' '));
}

/** An upgrade's channel: linked once Slack made it, else the name asked for, else null. */
function channelShown(snapshot: UpgradeSnapshot | null): string | null {
  if (snapshot?.channelId) return channel(snapshot.channelId);
  return snapshot?.channelName ? `#${escapeText(snapshot.channelName)}` : null;
}

function forTicket(ticket: string | null): string {
  return ticket ? ` for ${escapeText(ticket)}` : '';
}

/** Where the first `start` is being set up: its channel once Slack made it, else the name asked for. */
function alreadyStartingMessage(
  reply: Extract<Reply, { kind: 'already-starting' }>,
  snapshot: UpgradeSnapshot | null,
): RenderedMessage {
  const where = channelShown(snapshot) ?? 'its own channel';
  return textMessage(
    `Your \`${reply.plan}\` upgrade${forTicket(reply.ticket)} is already being set up in ${where}; its runbook appears there in a moment. Nothing new was started.`,
  );
}

/** Where the open upgrade of the same change is, who leads it, and how to go on from there. */
function alreadyOpenMessage(
  reply: Extract<Reply, { kind: 'already-open' }>,
  snapshot: UpgradeSnapshot | null,
): RenderedMessage {
  const opening = `An upgrade of the same change is already open: \`${reply.plan}\`${forTicket(reply.ticket)}`;
  if (!snapshot) return textMessage(`${opening}. Nothing new was started.`);
  const where = snapshot.channelId
    ? `in ${channelShown(snapshot)}`
    : `in ${channelShown(snapshot) ?? 'its own channel'}, being set up`;
  const { lead } = snapshot.state;
  const yours =
    reply.askedBy === lead
      ? 'You lead it: carry on there'
      : snapshot.participants.includes(reply.askedBy)
        ? 'You are a participant there: carry on there'
        : 'Carry on there (a participant can make you one with `/pra-upgrade add`)';
  return textMessage(
    `${opening} ${where}, led by ${user(lead)}. Nothing new was started. ${yours}; to start over, the lead ends it there first with \`/pra-upgrade abort &lt;reason&gt;\`.`,
  );
}

/** Why nothing was started, one line a problem; upgrades still settling are linked to their channels. */
function startRefusedMessage(reply: Extract<Reply, { kind: 'start-refused' }>): RenderedMessage {
  const lines = reply.problems.map((problem) => `• ${escapeKeepingTokens(problem)}`);
  if (reply.settling.length > 0) {
    const where = reply.settling.map((upgrade) => {
      const counted = upgrade.jumpClients;
      const reported = counted
        ? ` (${counted.pending} of ${counted.total} Jump Clients still waiting to upgrade, as the appliance reported ${slackDate(counted.at)})`
        : '';
      return `${upgrade.channelId ? channel(upgrade.channelId) : `upgrade ${escapeText(upgrade.upgradeId)}`}${reported}`;
    });
    lines.push(
      `• Jump Clients are still coming back after ${joinWords(where)}. Hold other upgrade work until they are all online and “Wait until all Jump Clients are back online” is done there so the clients of both upgrades do not get in each other's way.`,
    );
  }
  return textMessage(['Nothing was started.', ...lines].join('\n'));
}

function textMessage(text: string): RenderedMessage {
  const chunks = chunkLines(text.split('\n'), SLACK_LIMITS.sectionText)
    .filter((chunk) => chunk.trim() !== '')
    .slice(0, SLACK_LIMITS.messageBlocks);
  return {
    text: truncate(text.trim() !== '' ? text : '(no text)', SLACK_LIMITS.messageText),
    blocks: (chunks.length > 0 ? chunks : ['_(no text)_']).map((chunk) => section(chunk)),
  };
}

function startedMessage(snapshot: UpgradeSnapshot | null): RenderedMessage {
  if (!snapshot) return textMessage('⏳ Your upgrade is being set up.');
  const plan = planOfSnapshot(snapshot);
  const where = snapshot.channelId
    ? `is set up in ${channel(snapshot.channelId)}`
    : 'is being set up: the channel follows in a moment';
  return textMessage(
    `✅ Your \`${snapshot.plan}\` upgrade (${escapeText(plan.title)}) ${where}. Every step of the runbook is there with its buttons.`,
  );
}

function channelOf(snapshot: UpgradeSnapshot): string {
  return snapshot.channelId ? channel(snapshot.channelId) : '_channel being set up_';
}

function statusMessage(snapshot: UpgradeSnapshot | null, now: DateTime): RenderedMessage {
  if (!snapshot) {
    return textMessage(
      'No upgrade found here. Start one with `/pra-upgrade start async` (or another plan), or see `/pra-upgrade list`.',
    );
  }
  const plan = planOf(snapshot.state);
  const { state } = snapshot;
  const fields = [
    `*Status*\n${statusText(state)}`,
    `*Progress*\n${progressText(plan, state)}`,
    `*Channel*\n${channelOf(snapshot)}`,
    `*Lead*\n${user(state.lead)}`,
    `*Ticket*\n${ticketText(snapshot) ?? '_none_'}`,
  ];
  const failover = failoverText(snapshot, now);
  if (failover) fields.push(`*Failover*\n${failover}`);
  const blocks: Block[] = [section(`*PRA upgrade: ${escapeText(plan.title)}*`), fieldsSection(fields)];
  if (isOpen(state))
    blocks.push(
      section(
        `*Ready now:*\n${readyText(plan, state, SLACK_LIMITS.sectionText - 20, 8, stepLink(snapshot, plan))}`,
      ),
    );
  const problems = openProblems(state);
  if (problems.length > 0) {
    const lines = problems.map((p) => {
      const step = stepOf(plan, p.step);
      return `• #${p.id} on ${quoted(step?.title ?? p.step)}: ${escapeText(truncate(p.description, 300))}`;
    });
    blocks.push(section(`*Open problems:*\n${fitLines(lines, SLACK_LIMITS.sectionText - 20)}`));
  }
  return {
    text: truncate(
      `PRA upgrade ${plan.title}: ${progressText(plan, state)}, ${state.status}`,
      SLACK_LIMITS.messageText,
    ),
    blocks,
  };
}

function listLine(snapshot: UpgradeSnapshot): string {
  const plan = planOfSnapshot(snapshot);
  const ticket = ticketText(snapshot, 40);
  return `*${escapeText(plan.title)}*${ticket ? ` · ${ticket}` : ''}\n${channelOf(snapshot)} · ${progressText(plan, snapshot.state)} · lead ${user(snapshot.state.lead)} · ${statusText(snapshot.state)}`;
}

function listMessage(upgrades: UpgradeSnapshot[]): RenderedMessage {
  const active = upgrades.filter((u) => isOpen(u.state));
  if (active.length === 0) return textMessage('No active upgrades.');
  const sections = chunkLines(active.map(listLine), SLACK_LIMITS.sectionText);
  const blocks: Block[] = [section(`*Active upgrades (${active.length})*`)];
  blocks.push(...sections.slice(0, MAX_LIST_SECTIONS).map((text) => section(text)));
  if (sections.length > MAX_LIST_SECTIONS)
    blocks.push(context(['…and more; narrow it down with `status` in a channel']));
  return { text: `${active.length} active upgrade${active.length === 1 ? '' : 's'}`, blocks };
}

function stepOfSnapshot(snapshot: UpgradeSnapshot | null, key: string) {
  if (!snapshot) return null;
  const plan = planOf(snapshot.state);
  const index = plan.steps.findIndex((s) => s.key === key);
  const step = plan.steps[index];
  return step ? { plan, step, number: index + 1, state: snapshot.state } : null;
}

const GONE = 'That step is not part of this runbook any more (the upgrade or its options changed).';

/** A step's full text (status, checks, instructions), for someone who opened a done step's menu. */
function instructionsMessage(snapshot: UpgradeSnapshot | null, key: string): RenderedMessage {
  const found = stepOfSnapshot(snapshot, key);
  if (!found) return textMessage(GONE);
  const { plan, step, number, state } = found;
  return {
    text: truncate(`${number}. ${escapeText(step.title)}`, SLACK_LIMITS.messageText),
    blocks: [
      section(stepSectionText(plan, state, step, number), { blockId: `step-text:${step.key}` }),
      context(['Only you can see this.']),
    ],
  };
}

/** The Undo button (with Slack's confirmation dialog) for a resolved step, to the one who asked. */
function undoOfferMessage(snapshot: UpgradeSnapshot | null, key: string): RenderedMessage {
  const found = stepOfSnapshot(snapshot, key);
  if (!found || !snapshot) return textMessage(GONE);
  const { step, number, state } = found;
  const title = `*${number}. ${escapeText(step.title)}*`;
  if (!isResolved(progressOf(state, step.key))) {
    return textMessage(`${title} is not done, so there is nothing to undo.`);
  }
  const text = `↩️ Undo ${title}? It goes back to not done, and the steps after it wait for it again. Only the lead (${user(state.lead)}) can undo.`;
  return {
    text: truncate(text, SLACK_LIMITS.messageText),
    // `step:<key>:undo`: the step's block id with a suffix, as the contract allows.
    blocks: [section(text), actions(`${stepBlockId(step.key)}:undo`, [undoButton(snapshot.id, step)])],
  };
}

export function replyMessage(reply: Reply, data: ReplyData, now: DateTime): RenderedMessage {
  switch (reply.kind) {
    case 'refusal':
      return refusalMessage(reply.refusal, data.snapshot);
    case 'text':
      // Services write these; stray `<`/`&` (say, echoed user input) are escaped, their mentions kept.
      return textMessage(escapeKeepingTokens(reply.text));
    case 'participants-added':
      return participantsAddedMessage(reply.added, reply.already);
    case 'already-starting':
      return alreadyStartingMessage(reply, data.snapshot);
    case 'already-open':
      return alreadyOpenMessage(reply, data.snapshot);
    case 'start-refused':
      return startRefusedMessage(reply);
    case 'help':
      return helpMessage();
    case 'started':
      return startedMessage(data.snapshot);
    case 'status':
      return statusMessage(data.snapshot, now);
    case 'list':
      return listMessage(data.upgrades);
    case 'step-instructions':
      return instructionsMessage(data.snapshot, reply.step);
    case 'undo-offer':
      return undoOfferMessage(data.snapshot, reply.step);
  }
}
