// One runbook step: a section (title, status, checks, instructions) and an actions block whose
// block_id is `step:<key>`, the contract listeners and tests rely on.
import {
  type LinkedAppliances,
  missingPrerequisites,
  openProblems,
  type Plan,
  progressOf,
  type StepDefinition,
  type StepProgress,
  type UpgradeState,
  verificationFor,
  who,
} from '../../engine/index.js';
import { titleOf } from '../../engine/state-queries.js';
import { joinWords } from '../../engine/words.js';
import type { UpgradeSnapshot } from '../../services/ports/slack.js';
import { ACTIONS, stepBlockId } from '../action-ids.js';
import { encode } from '../values.js';
import { escapeText, quoted, slackDate, truncate, users } from './format.js';
import { actions, type Block, button, section } from './kit.js';
import { checkButtonLabel } from './labels.js';

/** The status line(s) of a step: what happened, who is on it, or what it waits for. */
export function stepStatusLines(plan: Plan, state: UpgradeState, step: StepDefinition): string[] {
  const progress = progressOf(state, step.key);
  const by = progress.confirmations.map((c) => c.by);
  const lines: string[] = [];
  switch (progress.status) {
    case 'done':
      lines.push(
        `✅ Done by ${users(by)}${progress.completedAt ? ` at ${slackDate(progress.completedAt)}` : ''}`,
      );
      break;
    case 'skipped':
      lines.push(
        `⏭️ Skipped by ${users(by)}: ${escapeText(truncate(progress.skipReason ?? 'no reason given', 500))}`,
      );
      break;
    case 'awaiting-second': {
      const first = progress.confirmations[0];
      const at = first ? ` at ${slackDate(first.at)}` : '';
      lines.push(`⏳ Waiting for a second person (confirmed by ${users(by)}${at})`);
      break;
    }
    case 'pending':
      lines.push(...pendingLines(plan, state, step, progress));
      break;
  }
  if (progress.verified) lines.push(evidenceLine(progress));
  const counted = state.linked?.jumpClients;
  if (counted && (step.key === 'clients.jump' || step.key === 'clients.settle')) {
    lines.push(jumpClientsLine(state.linked as LinkedAppliances, counted));
  }
  for (const problem of openProblems(state).filter((p) => p.step === step.key)) {
    lines.push(`⚠️ Open problem #${problem.id}: ${escapeText(truncate(problem.description, 300))}`);
  }
  return lines;
}

/** What the appliance said about the step (or why it could not be asked, or the override). */
function evidenceLine(progress: StepProgress): string {
  const evidence = progress.verified;
  if (!evidence) return '';
  const text = escapeText(truncate(evidence.text, 600));
  switch (evidence.outcome) {
    case 'checking':
      return `🔎 Checking with the appliance… (${text})`;
    case 'agreed':
      return `🛰️ Confirmed by the appliance: ${text}`;
    case 'disagreed':
      return `❌ ${text}`;
    case 'unavailable':
      return `⚠️ ${text}`;
    case 'overridden':
      return `⚠️ Confirmed without the appliance by ${users(evidence.by ? [evidence.by] : [])}: “${escapeText(truncate(evidence.reason ?? '', 500))}” (the appliance could not be asked: ${text})`;
  }
}

function jumpClientsLine(
  linked: LinkedAppliances,
  counted: NonNullable<LinkedAppliances['jumpClients']>,
): string {
  const where = who(counted.appliance, linked.names[counted.appliance] ?? counted.appliance);
  return counted.pending === 0
    ? `🛰️ ${escapeText(where)}: no Jump Client waits to upgrade (${counted.total} in all, as of ${slackDate(counted.at)})`
    : `🛰️ ${escapeText(where)}: *${counted.pending}* of ${counted.total} Jump Clients still wait to upgrade (as of ${slackDate(counted.at)}; checked every minute)`;
}

function pendingLines(
  plan: Plan,
  state: UpgradeState,
  step: StepDefinition,
  progress: StepProgress,
): string[] {
  if (state.status === 'aborted') return ['✖️ Not done: the upgrade was aborted'];
  const lines: string[] = [];
  if (progress.claimedBy) {
    const since = progress.claimedAt ? ` since ${slackDate(progress.claimedAt)}` : '';
    lines.push(`🙋 ${users([progress.claimedBy])} is on it${since}`);
  }
  const missing = missingPrerequisites(state, step);
  if (missing.length > 0) {
    const titles = missing.map((p) => quoted(titleOf(plan, p.step)));
    lines.push(`🔒 Waiting for ${joinWords(titles)}`);
  } else if (!progress.claimedBy) {
    lines.push('▶️ Ready now');
  }
  return lines;
}

function checkLines(step: StepDefinition, progress: StepProgress): string[] {
  return step.checks.map((check) => {
    const confirmed = progress.checks[check.id];
    return confirmed
      ? `☑️ ${escapeText(check.title)}: confirmed by ${users([confirmed.by])} at ${slackDate(confirmed.at)}`
      : `◻️ ${escapeText(check.title)}: not confirmed yet`;
  });
}

export function stepSectionText(
  plan: Plan,
  state: UpgradeState,
  step: StepDefinition,
  number: number,
): string {
  const progress = progressOf(state, step.key);
  const verified = verificationFor(plan, state, step.key) !== null;
  const tags = [
    step.skippable ? '_(optional)_' : '',
    step.critical ? '👥 _needs two people_' : '',
    verified ? '🛰️ _checked with the appliance_' : '',
  ]
    .filter((t) => t !== '')
    .join(' · ');
  const title = `*${number}. ${escapeText(step.title)}*${tags ? `  ${tags}` : ''}`;
  return [
    title,
    ...stepStatusLines(plan, state, step),
    ...checkLines(step, progress),
    escapeText(step.instructions),
  ].join('\n');
}

/** The buttons a step offers in its current state; every value is built with `encode`. */
export function stepButtons(snapshot: UpgradeSnapshot, step: StepDefinition): Block[] {
  const progress = progressOf(snapshot.state, step.key);
  const value = encode({ upgradeId: snapshot.id });
  const report = button({ actionId: ACTIONS.reportProblem, text: 'Report problem', value });
  if (progress.status === 'done' || progress.status === 'skipped') {
    return [button({ actionId: ACTIONS.undoStep, text: 'Undo', value }), report];
  }
  const buttons: Block[] = [
    button({
      actionId: ACTIONS.completeStep,
      text: progress.status === 'awaiting-second' ? 'Confirm as second person' : 'Done',
      value,
      style: 'primary',
    }),
  ];
  // A first confirmation of a critical step made by mistake can be taken back (by the lead).
  if (progress.status === 'awaiting-second')
    buttons.push(button({ actionId: ACTIONS.undoStep, text: 'Undo', value }));
  if (!progress.claimedBy) buttons.push(button({ actionId: ACTIONS.claimStep, text: "I'm on it", value }));
  if (step.skippable) buttons.push(button({ actionId: ACTIONS.skipStep, text: 'Skip…', value }));
  // The appliance could not be asked: a person may confirm anyway, giving a reason (audited).
  if (progress.verified?.outcome === 'unavailable') {
    const check = progress.verified.check;
    buttons.push(
      button({
        actionId: ACTIONS.overrideStep,
        text: 'Confirm anyway…',
        value: encode({ upgradeId: snapshot.id, ...(check ? { check } : {}) }),
      }),
    );
  }
  for (const check of step.checks) {
    if (progress.checks[check.id]) continue;
    // Action ids must be unique within a block: listeners match check buttons by the prefix.
    buttons.push(
      button({
        actionId: `${ACTIONS.confirmCheck}:${check.id}`,
        text: checkButtonLabel(check),
        value: encode({ upgradeId: snapshot.id, check: check.id }),
      }),
    );
  }
  buttons.push(report);
  return buttons;
}

/**
 * Exactly two blocks per step, so the runbook's packing never depends on progress. The section's
 * block_id (`step-text:<key>`) deliberately does not start with `step:`: only the buttons do.
 */
export function stepBlocks(
  snapshot: UpgradeSnapshot,
  plan: Plan,
  step: StepDefinition,
  number: number,
): Block[] {
  return [
    section(stepSectionText(plan, snapshot.state, step, number), { blockId: `step-text:${step.key}` }),
    actions(stepBlockId(step.key), stepButtons(snapshot, step)),
  ];
}
