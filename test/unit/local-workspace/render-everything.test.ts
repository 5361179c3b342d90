// Every message and modal the bot can produce, drawn by the local workspace's page: no block or
// element is left unsupported, every button and field is usable, and typed text stays text.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { type Effect, evaluateReminder, PLAN_NAMES, type UpgradeState } from '../../../src/engine/index.js';
import { blocksHtml, messageBodyHtml, type RenderContext } from '../../../src/local-workspace/page/blocks.js';
import type { UpgradeSnapshot } from '../../../src/services/ports/slack.js';
import { createRenderer } from '../../../src/slack/blocks/index.js';
import {
  problemReportModal,
  problemResolutionModal,
  skipReasonModal,
} from '../../../src/slack/blocks/modals.js';
import {
  hostileSnapshot,
  LEAD,
  LONG_HOSTILE,
  orderOf,
  planCases,
  progressStates,
  snapshotOf,
  startWith,
  T0,
  UPGRADE_ID,
} from '../../support/blocks.js';
import { effectsOfType, finishSteps, person, refusalOf } from '../../support/engine.js';

const renderer = createRenderer();
const NOW = T0.plus({ hours: 6 });
const ctx: RenderContext = {
  userName: (id) => (id === LEAD ? 'lead' : undefined),
  channelName: () => 'pra-upgrade-channel',
  zone: 'America/New_York',
  now: NOW,
};

type Json = Record<string, unknown>;
interface Drawn {
  name: string;
  blocks: unknown[];
  html: string;
}

function walkJson(value: unknown, visit: (node: Json) => void): void {
  if (Array.isArray(value)) for (const item of value) walkJson(item, visit);
  else if (value && typeof value === 'object') {
    visit(value as Json);
    for (const child of Object.values(value)) walkJson(child, visit);
  }
}

function message(name: string, rendered: { text: string; blocks: unknown[] }): Drawn {
  return {
    name,
    blocks: rendered.blocks,
    html: messageBodyHtml(rendered, { kind: 'message', channel: 'C0UPGRADE', ts: '1.000001' }, ctx),
  };
}

function view(name: string, blocks: unknown[]): Drawn {
  return { name, blocks, html: blocksHtml(blocks, { kind: 'view', viewId: 'V1' }, ctx) };
}

/** What the bot posts over an upgrade's life, for every plan and option combination. */
function everything(): Drawn[] {
  const drawn: Drawn[] = [];
  const snapshots: UpgradeSnapshot[] = [];
  for (const { plan, options, label } of planCases(PLAN_NAMES)) {
    for (const scenario of progressStates(plan, options)) {
      for (const snapshot of [snapshotOf(scenario.state), hostileSnapshot(scenario.state)]) {
        snapshots.push(snapshot);
        for (const slot of renderer.runbookSlots(snapshot)) {
          const rendered = renderer.slotMessage(snapshot, slot, NOW);
          if (rendered) drawn.push(message(`${label} ${scenario.name} ${slot}`, rendered));
        }
      }
    }
    // Every notice and reminder a whole walk produces.
    const fresh = startWith(plan, options);
    const walk = finishSteps(fresh, orderOf(fresh), T0.plus({ hours: 1 }));
    const effects: Array<{ effect: Effect; state: UpgradeState }> = walk.effects.map((effect) => ({
      effect,
      state: walk.state,
    }));
    for (const { effect, state } of effects) {
      drawn.push(
        message(
          `${label} notice ${effect.type}`,
          renderer.notice(snapshotOf(state), { kind: 'effect', effect, actorUserId: LEAD }, NOW),
        ),
      );
    }
    for (const scheduled of effectsOfType(walk.effects, 'reminder-scheduled')) {
      const due = DateTime.fromISO(scheduled.reminder.dueAt, { zone: 'utc' });
      const decision = evaluateReminder(fresh, scheduled.reminder, due.isValid ? due : NOW);
      if (!decision.send) continue;
      drawn.push(
        message(
          `${label} reminder ${scheduled.reminder.rule}`,
          renderer.notice(
            snapshotOf(fresh),
            { kind: 'reminder', notice: decision.notice, reminder: scheduled.reminder },
            NOW,
          ),
        ),
      );
    }
  }
  const snapshot = hostileSnapshot(
    startWith('async', { methodA: 'manual', methodB: 'manual', switchMethod: 'dns', baseOnly: false }),
  );
  const data = { snapshot, upgrades: snapshots.slice(0, 12) };
  const refusal = refusalOf(snapshot.state, { type: 'complete', actor: person(LEAD), step: 'a.break' });
  drawn.push(message('reply refusal', renderer.reply({ kind: 'refusal', refusal }, data, NOW)));
  // A text reply is the bot's own words, which may carry mentions and links on purpose.
  const own = 'Zone “<x>” & <@ULEAD>, see <https://example.com/a|the docs>';
  drawn.push(message('reply text', renderer.reply({ kind: 'text', text: own }, data, NOW)));
  drawn.push(
    message('reply started', renderer.reply({ kind: 'started', upgradeId: snapshot.id }, data, NOW)),
  );
  drawn.push(message('reply status', renderer.reply({ kind: 'status', upgradeId: snapshot.id }, data, NOW)));
  drawn.push(message('reply list', renderer.reply({ kind: 'list', teamId: 'T1' }, data, NOW)));
  drawn.push(message('reply help', renderer.reply({ kind: 'help' }, data, NOW)));
  drawn.push(view('home', renderer.home(LEAD, snapshots.slice(0, 20), NOW).blocks));
  drawn.push(view('home empty', renderer.home(LEAD, [], NOW).blocks));
  const meta = { upgradeId: UPGRADE_ID, step: 'a.break', problemId: null, responseUrl: null };
  drawn.push(view('skip modal', skipReasonModal(meta, LONG_HOSTILE).blocks));
  drawn.push(view('problem modal', problemReportModal(meta, LONG_HOSTILE, false).blocks));
  drawn.push(view('base problem modal', problemReportModal(meta, LONG_HOSTILE, true).blocks));
  drawn.push(
    view('resolution modal', problemResolutionModal({ ...meta, problemId: 1 }, LONG_HOSTILE).blocks),
  );
  return drawn;
}

const ALL = everything();

describe('the page draws everything the bot produces', () => {
  it('walks a good number of messages and every kind of surface', () => {
    expect(ALL.length).toBeGreaterThan(200);
    const types = new Set<string>();
    for (const drawn of ALL)
      walkJson(drawn.blocks, (node) => typeof node.type === 'string' && types.add(node.type));
    // The block and element types the bot emits today; a new one must be drawn too (next test).
    for (const type of [
      'header',
      'section',
      'context',
      'divider',
      'actions',
      'button',
      'mrkdwn',
      'input',
      'plain_text_input',
    ]) {
      expect(types, type).toContain(type);
    }
  });

  it('leaves no block or element unsupported', () => {
    const unsupported = ALL.filter((drawn) => drawn.html.includes('class="unsupported"')).map((d) => d.name);
    expect(unsupported).toEqual([]);
  });

  it('makes every button clickable, carrying its block and action id, and every input a named field', () => {
    for (const drawn of ALL) {
      const clickables: Array<{ block: string; action: string }> = [];
      const inputs: string[] = [];
      walkJson(drawn.blocks, (block) => {
        const blockId = typeof block.block_id === 'string' ? block.block_id : '';
        const elements = [
          ...(Array.isArray(block.elements) ? block.elements : []),
          ...(block.accessory ? [block.accessory] : []),
        ];
        for (const element of elements as Json[]) {
          if (element.type === 'button' || element.type === 'overflow') {
            clickables.push({ block: blockId, action: String(element.action_id) });
          }
        }
        if (block.type === 'input' && block.element && typeof block.element === 'object') {
          inputs.push(`${blockId}/${String((block.element as Json).action_id)}`);
        }
      });
      const clicks = [...drawn.html.matchAll(/data-click="([^"]*)"/g)].map(
        (m) =>
          JSON.parse((m[1] ?? '').replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as {
            blockId: string;
            actionId: string;
          },
      );
      for (const clickable of clickables) {
        expect(clicks, `${drawn.name}: ${clickable.block} ${clickable.action}`).toContainEqual(
          expect.objectContaining({ blockId: clickable.block, actionId: clickable.action }),
        );
      }
      for (const name of inputs) expect(drawn.html, drawn.name).toContain(`name="${name}"`);
    }
  });

  it('keeps every button style, and the primary one exactly where the bot asked for it', () => {
    const primary = ALL.flatMap((d) => [...d.html.matchAll(/class="btn btn-primary"/g)]).length;
    let asked = 0;
    for (const drawn of ALL)
      walkJson(drawn.blocks, (node) => node.type === 'button' && node.style === 'primary' && asked++);
    expect(primary).toBe(asked);
    expect(asked).toBeGreaterThan(0);
  });

  it('shows what people typed as text: no link, no mention, no markup from a ticket, reason or report', () => {
    for (const drawn of ALL) {
      // HOSTILE text carries <b>, <!channel> and <@U999>; the bot escapes it, the page keeps it text.
      expect(drawn.html, drawn.name).not.toMatch(/<b>|@U999<|mention">@U999/);
      expect(drawn.html, drawn.name).not.toContain('href="https://evil');
    }
    const typed = ALL.filter((d) => d.html.includes('&lt;@U999&gt;'));
    expect(typed.length).toBeGreaterThan(0);
    expect(typed.some((d) => d.html.includes('&lt;!channel&gt;'))).toBe(true);
  });
});
