// One runbook step: a section (title, status, checks, instructions) and an actions block whose
// block_id is `step:<key>`, the contract listeners and tests rely on.
import {
  isResolved,
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
import { encode, type StepMenuValue } from '../values.js';
import { escapeText, quoted, slackDate, truncate, users } from './format.js';
import { actions, type Block, button, type ConfirmSpec, overflow, section } from './kit.js';
import { checkButtonLabel } from './labels.js';

/** The status line(s) of a step: what happened, who is on it, or what it waits for. */
function stepStatusLines(plan: Plan, state: UpgradeState, step: StepDefinition): string[] {
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

/**
 * Whether a person can act on the step right now: the upgrade is open and not on hold, the step is
 * not resolved, nothing it needs is missing and no problem is open on it. Only such a step's confirm
 * button is primary, so the green buttons in the channel are exactly the next moves.
 */
export function canActNow(state: UpgradeState, step: StepDefinition): boolean {
  return (
    state.status === 'active' &&
    !isResolved(progressOf(state, step.key)) &&
    missingPrerequisites(state, step).length === 0 &&
    !openProblems(state).some((p) => p.step === step.key)
  );
}

/** Block Kit's confirmation before an undo: a mis-click must never take back a finished step. */
function undoConfirm(step: StepDefinition): ConfirmSpec {
  return {
    title: 'Undo this step?',
    text: `“${step.title}” goes back to not done, and the steps after it wait for it again.`,
    confirm: 'Undo',
    deny: 'Keep it',
  };
}

export function undoButton(upgradeId: string, step: StepDefinition): Block {
  return button({
    actionId: ACTIONS.undoStep,
    text: 'Undo…',
    value: encode({ upgradeId }),
    style: 'danger',
    confirm: undoConfirm(step),
  });
}

/** The buttons of a step that is not resolved yet; every value is built with `encode`. */
export function stepButtons(snapshot: UpgradeSnapshot, step: StepDefinition): Block[] {
  const { state } = snapshot;
  const progress = progressOf(state, step.key);
  const value = encode({ upgradeId: snapshot.id });
  const ready = canActNow(state, step);
  const waiting = missingPrerequisites(state, step).length > 0;
  const buttons: Block[] = [
    // Still clickable when waiting: the refusal explains, to the clicker alone, what it waits for.
    button({
      actionId: ACTIONS.completeStep,
      text: progress.status === 'awaiting-second' ? 'Confirm as second person' : 'Done',
      value,
      ...(ready ? { style: 'primary' as const } : {}),
    }),
  ];
  // A first confirmation of a critical step made by mistake can be taken back (by the lead).
  if (progress.status === 'awaiting-second') buttons.push(undoButton(snapshot.id, step));
  // Claiming and skipping are held to the same order as completing: a waiting step does not offer them.
  if (!waiting && !progress.claimedBy)
    buttons.push(button({ actionId: ACTIONS.claimStep, text: "I'm on it", value }));
  if (!waiting && step.skippable) buttons.push(button({ actionId: ACTIONS.skipStep, text: 'Skip…', value }));
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
  buttons.push(button({ actionId: ACTIONS.reportProblem, text: 'Report problem', value }));
  return buttons;
}

/** A resolved step's menu: its instructions, a problem report, and the lead's undo, out of Done's place. */
export function stepMenu(upgradeId: string): Block {
  const option = (text: string, action: StepMenuValue['action']) => ({
    text,
    value: encode({ upgradeId, action }),
  });
  return overflow(ACTIONS.stepMenu, [
    option('Show instructions', ACTIONS.showInstructions),
    option('Report problem…', ACTIONS.reportProblem),
    option('Undo… (lead)', ACTIONS.undoStep),
  ]);
}

/** `✅ 3. Title · @alice · Tue 1 Dec at 22:14`, or `⏭️ 3. Title · skipped by @alice: reason`. */
function resolvedLine(state: UpgradeState, step: StepDefinition, number: number): string {
  const progress = progressOf(state, step.key);
  const by = users(progress.confirmations.map((c) => c.by));
  const title = `*${number}. ${escapeText(step.title)}*`;
  const line =
    progress.status === 'skipped'
      ? `⏭️ ${title} · skipped by ${by}: ${escapeText(truncate(progress.skipReason ?? 'no reason given', 300))}`
      : `✅ ${title} · ${by}${progress.completedAt ? ` · ${slackDate(progress.completedAt)}` : ''}`;
  const problems = openProblems(state)
    .filter((p) => p.step === step.key)
    .map((p) => `⚠️ Open problem #${p.id}: ${escapeText(truncate(p.description, 300))}`);
  // A done step keeps what the appliance confirmed, or the reason it was confirmed without it.
  const evidence =
    progress.verified &&
    (progress.verified.outcome === 'agreed' || progress.verified.outcome === 'overridden')
      ? [evidenceLine(progress)]
      : [];
  return [line, ...evidence, ...problems].join('\n');
}

/**
 * A step's blocks. An open step is a section (title, status, checks, instructions) and an actions
 * block `step:<key>`; a resolved one collapses to a single line whose `step:<key>` section carries the
 * menu. Never more than two blocks, so the runbook's packing depends on the plan alone. The section of
 * an open step has block_id `step-text:<key>`, which deliberately does not start with `step:`.
 */
export function stepBlocks(
  snapshot: UpgradeSnapshot,
  plan: Plan,
  step: StepDefinition,
  number: number,
): Block[] {
  if (isResolved(progressOf(snapshot.state, step.key))) {
    return [
      section(resolvedLine(snapshot.state, step, number), {
        blockId: stepBlockId(step.key),
        accessory: stepMenu(snapshot.id),
      }),
    ];
  }
  return [
    section(stepSectionText(plan, snapshot.state, step, number), { blockId: `step-text:${step.key}` }),
    actions(stepBlockId(step.key), stepButtons(snapshot, step)),
  ];
}
