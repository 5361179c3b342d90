// The first, pinned message of an upgrade channel: what is being upgraded, by whom, how far along,
// what can be done now and which problems are open.
import type { DateTime } from 'luxon';
import { openProblems, type Plan, type Problem, planOf } from '../../engine/index.js';
import { stepOf } from '../../engine/state-queries.js';
import type { RenderedMessage, UpgradeSnapshot } from '../../services/ports/slack.js';
import { ACTIONS } from '../action-ids.js';
import { encode } from '../values.js';
import {
  applianceText,
  failoverBanner,
  failoverText,
  isOpen,
  methodsText,
  progressText,
  readyText,
  statusText,
  ticketText,
  windowsText,
} from './facts.js';
import { escapeKeepingTokens, escapeText, fitLines, quoted, slackDate, truncate, user } from './format.js';
import { type Block, button, context, fieldsSection, header, section } from './kit.js';
import { SLACK_LIMITS } from './limits.js';
import { stepLink } from './runbook.js';

const MAX_PROBLEMS = 10;
const MAX_PARTICIPANTS = 40;

/** A "Resolved…" button that opens the resolution modal for one problem. */
export function resolveButton(upgradeId: string, problemId: number): Block {
  return button({
    actionId: ACTIONS.resolveProblem,
    text: 'Resolved…',
    value: encode({ upgradeId, problemId }),
  });
}

export function problemLine(plan: Plan, problem: Problem): string {
  const step = stepOf(plan, problem.step);
  const where = quoted(step?.title ?? problem.step);
  const hold = problem.base ? ' · base software: the upgrade is on hold' : '';
  return `⚠️ *Problem #${problem.id}* on ${where}, reported by ${user(problem.by)} ${slackDate(problem.at)}${hold}\n${escapeText(truncate(problem.description, 1500))}`;
}

function fields(snapshot: UpgradeSnapshot, plan: Plan, now: DateTime): string[] {
  const { state } = snapshot;
  const list = [
    `*Plan*\n${escapeText(plan.title)} (\`${plan.name}\`)`,
    `*Ticket*\n${ticketText(snapshot) ?? '_none_'}`,
    `*${plan.windows.length > 1 ? 'Appliances' : 'Appliance'}*\n${applianceText(snapshot)}`,
    `*Update method*\n${methodsText(plan)}`,
    `*Lead*\n${user(state.lead)}`,
    `*Status*\n${statusText(state)}`,
    `*Progress*\n${progressText(plan, state)}`,
  ];
  const failover = failoverText(snapshot, now);
  if (failover) list.push(`*Failover*\n${failover}`);
  list.push(`*Maintenance ${plan.windows.length > 1 ? 'windows' : 'window'}*\n${windowsText(snapshot)}`);
  list.push(`*Started*\n${slackDate(state.startedAt)}`);
  return list;
}

export function overviewMessage(snapshot: UpgradeSnapshot, now: DateTime): RenderedMessage {
  const plan = planOf(snapshot.state);
  const { state } = snapshot;
  const blocks: Block[] = [];
  const banner = failoverBanner(snapshot);
  if (banner) blocks.push(section(banner, { blockId: 'banner:failover' }));
  blocks.push(header(`PRA upgrade: ${plan.title}`), fieldsSection(fields(snapshot, plan, now)));
  if (plan.warnings.length > 0) {
    blocks.push(context(plan.warnings.map((w) => `⚠️ ${escapeKeepingTokens(w.message)}`)));
  }
  if (isOpen(state)) {
    blocks.push(
      section(
        `*Ready now:*\n${readyText(plan, state, SLACK_LIMITS.sectionText - 20, 8, stepLink(snapshot, plan))}`,
        {
          blockId: 'overview:ready',
        },
      ),
    );
  }
  const problems = openProblems(state);
  if (problems.length > 0) {
    blocks.push(section(`*Open problems (${problems.length})*`, { blockId: 'overview:problems' }));
    for (const problem of problems.slice(0, MAX_PROBLEMS)) {
      blocks.push(
        section(problemLine(plan, problem), {
          blockId: `problem:${problem.id}`,
          accessory: resolveButton(snapshot.id, problem.id),
        }),
      );
    }
    if (problems.length > MAX_PROBLEMS) {
      blocks.push(context([`…and ${problems.length - MAX_PROBLEMS} more open problems`]));
    }
  }
  const people = snapshot.participants.slice(0, MAX_PARTICIPANTS).map(user);
  const more = snapshot.participants.length - people.length;
  blocks.push(
    context([
      fitLines(
        [
          `Participants: ${people.length > 0 ? people.join(', ') : '_none yet_'}${more > 0 ? ` and ${more} more` : ''}`,
        ],
        SLACK_LIMITS.contextText,
      ),
    ]),
  );
  const ticketName = ticketText(snapshot);
  const ticket = ticketName ? ` · ${ticketName}` : '';
  return {
    text: truncate(
      `PRA upgrade: ${escapeText(plan.title)}${ticket} · ${progressText(plan, state)} · ${state.status === 'blocked' ? 'on hold' : state.status}`,
      SLACK_LIMITS.messageText,
    ),
    blocks,
  };
}
