// How tall the runbook part of a half-done async upgrade is, as a tired admin scrolls it: blocks,
// an estimate of rendered lines and pixels, and how far down the first step one can act on sits.
// `BLOCKS_FROM=/path/to/other/checkout/src npx tsx bench/runbook-height.ts` measures another tree's builders
// (for a before/after comparison); the state is always built by this tree's engine.
import { DateTime } from 'luxon';
import {
  planOf,
  startUpgrade,
  topologicalOrder,
  transition,
  type UpgradeState,
} from '../src/engine/index.js';
import type { Renderer, UpgradeSnapshot } from '../src/services/ports/slack.js';

type Json = Record<string, unknown>;

const T0 = DateTime.fromISO('2026-12-01T21:00:00Z');
const LEAD = 'UALICE0001';
const SECOND = 'UBOB000002';

/** Slack's message column at a common desktop width: characters per line at body size. */
const CHARS_PER_LINE = 78;
const CONTEXT_CHARS_PER_LINE = 100;
const LINE_PX = 22;
const BLOCK_GAP_PX = 8;
const BUTTON_ROW_PX = 44;
const ROW_WIDTH_PX = 620;

function act(state: UpgradeState, command: Parameters<typeof transition>[1], at: DateTime): UpgradeState {
  const result = transition(state, command, at);
  if (!result.ok) throw new Error(result.refusal.message);
  return result.next;
}

/** The first fifteen steps of `async` finished (one skipped), the next one claimed: failover is off. */
export function halfDoneAsync(): UpgradeState {
  const started = startUpgrade({ plan: 'async', options: {}, lead: LEAD }, T0);
  if (!started.ok) throw new Error(started.problems.join());
  let state = started.state;
  const order = topologicalOrder(planOf(state)) ?? [];
  let at = T0;
  for (const key of order.slice(0, 15)) {
    at = at.plus({ minutes: 7 });
    const lead = { userId: LEAD, participant: true };
    if (key === 'prep.test-env') {
      state = act(state, { type: 'skip', actor: lead, step: key, reason: 'No test appliance here' }, at);
      continue;
    }
    const step = planOf(state).steps.find((s) => s.key === key);
    for (const check of step?.checks ?? [])
      state = act(state, { type: 'confirm-check', actor: lead, step: key, check: check.id }, at);
    state = act(state, { type: 'complete', actor: lead, step: key }, at);
    if (step?.critical)
      state = act(state, { type: 'complete', actor: { userId: SECOND, participant: true }, step: key }, at);
  }
  const next = order[15];
  if (next)
    state = act(state, { type: 'claim', actor: { userId: SECOND, participant: true }, step: next }, at);
  return state;
}

/** What a reader sees of mrkdwn: date tokens and mentions as their short rendered form. */
function visible(text: string): string {
  return text
    .replace(/<!date\^[^>]*>/g, 'Tue 1 Dec at 22:14')
    .replace(/<@[A-Z0-9]+>/g, '@alice')
    .replace(/<https?:[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<#[A-Z0-9]+>/g, '#channel')
    .replace(/[*_`]/g, '');
}

function wrappedLines(text: string, perLine: number): number {
  return visible(text)
    .split('\n')
    .reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / perLine)), 0);
}

function textOf(value: unknown): string {
  return typeof value === 'object' && value !== null && typeof (value as Json).text === 'string'
    ? String((value as Json).text)
    : '';
}

function buttonRows(elements: Json[]): number {
  let rows = 1;
  let used = 0;
  for (const element of elements) {
    const width = element.type === 'overflow' ? 36 : textOf(element.text).length * 8 + 34;
    if (used > 0 && used + width > ROW_WIDTH_PX) {
      rows++;
      used = 0;
    }
    used += width + 8;
  }
  return rows;
}

/** Estimated height in pixels and in body-text lines of one message's blocks. */
export function estimate(blocks: Json[]): { px: number; lines: number } {
  let px = 0;
  let lines = 0;
  for (const block of blocks) {
    px += BLOCK_GAP_PX;
    switch (block.type) {
      case 'header': {
        const n = wrappedLines(textOf(block.text), 48);
        lines += n * 1.5;
        px += n * 30;
        break;
      }
      case 'section': {
        const accessory = block.accessory as Json | undefined;
        const width = accessory ? CHARS_PER_LINE - 12 : CHARS_PER_LINE;
        const fields = Array.isArray(block.fields) ? (block.fields as Json[]) : [];
        let n = block.text ? wrappedLines(textOf(block.text), width) : 0;
        // Fields sit in two columns: the taller of each pair counts.
        for (let i = 0; i < fields.length; i += 2) {
          const left = wrappedLines(textOf(fields[i]), CHARS_PER_LINE / 2);
          const right = fields[i + 1] ? wrappedLines(textOf(fields[i + 1]), CHARS_PER_LINE / 2) : 0;
          n += Math.max(left, right) + 0.5;
        }
        lines += n;
        px += Math.max(n * LINE_PX, accessory ? 32 : 0);
        break;
      }
      case 'context': {
        const n = ((block.elements as Json[]) ?? []).reduce(
          (sum, e) => sum + wrappedLines(textOf(e), CONTEXT_CHARS_PER_LINE),
          0,
        );
        lines += n * 0.8;
        px += n * 18;
        break;
      }
      case 'actions': {
        const rows = buttonRows((block.elements as Json[]) ?? []);
        lines += rows * 2;
        px += rows * BUTTON_ROW_PX;
        break;
      }
      case 'divider':
        px += 9;
        break;
      default:
        px += LINE_PX;
    }
  }
  return { px: Math.round(px), lines: Math.round(lines) };
}

/** Pixels above the first primary button: how far one scrolls to the step one can act on. */
function pxAboveFirstPrimary(blocks: Json[]): number | null {
  const index = blocks.findIndex((b) =>
    ((b.elements as Json[] | undefined) ?? []).some((e) => e.style === 'primary'),
  );
  return index < 0 ? null : estimate(blocks.slice(0, index)).px;
}

async function rendererFrom(root: string | undefined): Promise<Renderer> {
  const path = root ? `${root}/slack/blocks/renderer.js` : '../src/slack/blocks/renderer.js';
  const module = (await import(path)) as { createRenderer: () => Renderer };
  return module.createRenderer();
}

export async function main(): Promise<void> {
  const renderer = await rendererFrom(process.env.BLOCKS_FROM);
  const state = halfDoneAsync();
  const snapshot: UpgradeSnapshot = {
    id: '3f2a9c1e-8b7d-4e6f-9a1b-2c3d4e5f6a7b',
    teamId: 'T1',
    plan: 'async',
    ticket: 'CHG4711',
    applianceA: 'pra-a.corp',
    applianceB: 'pra-b.corp',
    channelId: 'C1',
    channelName: 'pra-async-20261201-chg4711',
    state,
    version: 40,
    participants: [LEAD, SECOND],
    createdAt: T0.toISO() ?? '',
    permalinks: Object.fromEntries(
      renderer
        .runbookSlots({ state } as UpgradeSnapshot)
        .map((slot, i) => [slot, `https://example.slack.com/archives/C1/p17648${i}0000000000`]),
    ),
    nextFailoverReminderAt: T0.plus({ days: 1, hours: 1 }).toISO(),
  } as UpgradeSnapshot;
  const now = T0.plus({ hours: 2 });
  console.log(`builders: ${process.env.BLOCKS_FROM ?? 'this tree'}`);
  for (const slot of renderer.runbookSlots(snapshot)) {
    const message = renderer.slotMessage(snapshot, slot, now);
    if (!message) continue;
    const blocks = message.blocks as Json[];
    const { px, lines } = estimate(blocks);
    const above = pxAboveFirstPrimary(blocks);
    console.log(
      `${slot.padEnd(10)} ${String(blocks.length).padStart(3)} blocks  ~${String(lines).padStart(4)} lines  ~${String(px).padStart(5)} px  first primary button at ~${above ?? '-'} px`,
    );
  }
}

await main();
