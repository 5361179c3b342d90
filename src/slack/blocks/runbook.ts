// The runbook messages: the plan's steps in catalogue order, phases packed greedily into messages.
// Packing depends on the plan alone (at most two blocks a step), so the same state always gives the same
// slots. Each part opens with the failover banner (while it is off) and a header counting its steps.
import {
  isResolved,
  type Phase,
  type Plan,
  planOf,
  progressOf,
  type StepDefinition,
  type UpgradeState,
} from '../../engine/index.js';
import type { RenderedMessage, UpgradeSnapshot } from '../../services/ports/slack.js';
import { failoverBanner } from './facts.js';
import { escapeText, truncate } from './format.js';
import { type Block, header, section } from './kit.js';
import { phaseTitle } from './labels.js';
import { RUNBOOK_BLOCKS_PER_MESSAGE, SLACK_LIMITS } from './limits.js';
import { canActNow, stepBlocks } from './step-block.js';

export const OVERVIEW_SLOT = 'overview';
const RUNBOOK_SLOT = /^runbook:([1-9][0-9]*)$/;

export function runbookSlotName(part: number): string {
  return `runbook:${part}`;
}

export interface NumberedStep {
  step: StepDefinition;
  /** 1-based position in the whole runbook. */
  number: number;
}

export interface PhaseGroup {
  phase: Phase;
  title: string;
  steps: NumberedStep[];
}

/** Consecutive steps of one phase, in catalogue order. */
export function phaseGroups(plan: Plan): PhaseGroup[] {
  const groups: PhaseGroup[] = [];
  for (const [index, step] of plan.steps.entries()) {
    const last = groups.at(-1);
    const numbered = { step, number: index + 1 };
    if (last && last.phase === step.phase) last.steps.push(numbered);
    else groups.push({ phase: step.phase, title: phaseTitle(plan, step.phase), steps: [numbered] });
  }
  return groups;
}

const blocksOf = (group: PhaseGroup) => 1 + 2 * group.steps.length;

/** A phase too big for one message on its own (none is today) is split as a last resort. */
function fitting(group: PhaseGroup): PhaseGroup[] {
  const perMessage = Math.floor((RUNBOOK_BLOCKS_PER_MESSAGE - 1) / 2);
  if (group.steps.length <= perMessage) return [group];
  const pieces: PhaseGroup[] = [];
  for (let i = 0; i < group.steps.length; i += perMessage) {
    pieces.push({
      ...group,
      title: i === 0 ? group.title : `${group.title} (continued)`,
      steps: group.steps.slice(i, i + perMessage),
    });
  }
  return pieces;
}

/** Greedy packing: a phase goes into the current message if it fits whole, else starts the next. */
export function runbookParts(plan: Plan): PhaseGroup[][] {
  const parts: PhaseGroup[][] = [];
  let current: PhaseGroup[] = [];
  let used = 0;
  for (const group of phaseGroups(plan).flatMap(fitting)) {
    const cost = blocksOf(group);
    if (current.length > 0 && used + cost > RUNBOOK_BLOCKS_PER_MESSAGE) {
      parts.push(current);
      current = [];
      used = 0;
    }
    current.push(group);
    used += cost;
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

export function runbookSlots(snapshot: UpgradeSnapshot): string[] {
  return [OVERVIEW_SLOT, ...runbookParts(planOf(snapshot.state)).map((_, i) => runbookSlotName(i + 1))];
}

/** The 1-based part number of a `runbook:<n>` slot, or null for anything else. */
export function runbookPartNumber(slot: string): number | null {
  const match = RUNBOOK_SLOT.exec(slot);
  return match?.[1] ? Number(match[1]) : null;
}

function resolvedCount(state: UpgradeState, group: PhaseGroup): number {
  return group.steps.filter(({ step }) => isResolved(progressOf(state, step.key))).length;
}

interface PartCounts {
  ready: number;
  waiting: number;
  done: number;
}

/** Ready (someone can act now), waiting (for others, a problem or a hold) and done (or skipped). */
function partCounts(state: UpgradeState, groups: PhaseGroup[]): PartCounts {
  const counts: PartCounts = { ready: 0, waiting: 0, done: 0 };
  for (const { step } of groups.flatMap((g) => g.steps)) {
    if (isResolved(progressOf(state, step.key))) counts.done++;
    else if (canActNow(state, step)) counts.ready++;
    else counts.waiting++;
  }
  return counts;
}

/** The slot of the runbook message that shows a step, for links to it. */
function slotOfStep(plan: Plan, key: string): string | null {
  const index = runbookParts(plan).findIndex((groups) =>
    groups.some((g) => g.steps.some(({ step }) => step.key === key)),
  );
  return index < 0 ? null : runbookSlotName(index + 1);
}

/** The permalink of the runbook message that shows a step, when it is known and safe to embed. */
export function stepLink(snapshot: UpgradeSnapshot, plan: Plan): (key: string) => string | null {
  return (key) => {
    const slot = slotOfStep(plan, key);
    const url = slot ? snapshot.permalinks?.[slot] : undefined;
    // Slack's own https links only: anything else could break out of the <url|text> token.
    return url && /^https:\/\/[^\s<>|]+$/.test(url) ? url : null;
  };
}

/** One runbook message, or null when the slot does not exist (an option change removed steps). */
export function runbookMessage(snapshot: UpgradeSnapshot, slot: string): RenderedMessage | null {
  const number = runbookPartNumber(slot);
  if (number === null) return null;
  const plan = planOf(snapshot.state);
  const parts = runbookParts(plan);
  const groups = parts[number - 1];
  if (!groups) return null;
  const blocks: Block[] = [];
  const banner = failoverBanner(snapshot);
  if (banner) blocks.push(section(banner, { blockId: 'banner:failover' }));
  const counts = partCounts(snapshot.state, groups);
  blocks.push(
    header(
      `Runbook ${number}/${parts.length} · ▶️ ${counts.ready} ready · 🔒 ${counts.waiting} waiting · ✅ ${counts.done} done`,
    ),
  );
  for (const group of groups) {
    blocks.push(
      section(
        `*${escapeText(group.title)}* · ${resolvedCount(snapshot.state, group)}/${group.steps.length} done`,
        {
          blockId: `phase:${number}:${blocks.length}`,
        },
      ),
    );
    for (const { step, number: n } of group.steps) blocks.push(...stepBlocks(snapshot, plan, step, n));
  }
  const titles = [...new Set(groups.map((g) => g.title))].join(', ');
  return {
    text: truncate(`Runbook part ${number} of ${parts.length}: ${titles}`, SLACK_LIMITS.messageText),
    blocks,
  };
}
