import { describe, expect, it } from 'vitest';
import {
  isResolved,
  PLAN_NAMES,
  planOf,
  progressOf,
  readySteps,
  startUpgrade,
} from '../../../../src/engine/index.js';
import { ACTIONS } from '../../../../src/slack/action-ids.js';
import { RUNBOOK_BLOCKS_PER_MESSAGE } from '../../../../src/slack/blocks/index.js';
import { canActNow } from '../../../../src/slack/blocks/step-block.js';
import {
  decode,
  problemButtonValue,
  snoozeButtonValue,
  stepButtonValue,
  stepMenuValue,
  upgradeButtonValue,
} from '../../../../src/slack/values.js';
import {
  allText,
  assertWithinSlackLimits,
  blockRecords,
  buttonsOf,
  buttonText,
  overflowsOf,
} from '../../../support/block-kit.js';
import {
  hostileSnapshot,
  LEAD,
  planCases,
  progressStates,
  renderer,
  SECOND,
  snapshotOf,
  startWith,
  T0,
  UPGRADE_ID,
} from '../../../support/blocks.js';
import { apply, finishThrough, person } from '../../../support/engine.js';

const NOW = T0.plus({ hours: 5 });

/** Decodes a button's value with the schema its action id implies; null when it does not parse. */
function decodeButton(button: Record<string, unknown>): { upgradeId: string } | null {
  const actionId = String(button.action_id);
  const value = typeof button.value === 'string' ? button.value : undefined;
  if (actionId.startsWith(`${ACTIONS.snoozeReminder}.`)) return decode(snoozeButtonValue, value);
  if (actionId === ACTIONS.resolveProblem) return decode(problemButtonValue, value);
  if (actionId === ACTIONS.confirmSync) return decode(upgradeButtonValue, value);
  return decode(stepButtonValue, value);
}

/** The blocks that carry a step's controls: `step:<key>` (an actions block, or a done step's line). */
function stepBlocksOf(blocks: unknown[]) {
  return blockRecords(blocks).filter((b) => /^step:[^:]+$/.test(String(b.block_id)));
}

describe.each(planCases(PLAN_NAMES))('runbook of $label', ({ plan, options }) => {
  const scenarios = progressStates(plan, options);

  it.each(scenarios.map((s) => [s.name, s] as const))('%s: every slot is valid Block Kit', (_, scenario) => {
    for (const snapshot of [snapshotOf(scenario.state), hostileSnapshot(scenario.state)]) {
      const slots = renderer.runbookSlots(snapshot);
      expect(slots[0]).toBe('overview');
      for (const slot of slots) {
        const message = renderer.slotMessage(snapshot, slot, NOW);
        if (!message) throw new Error(`slot ${slot} rendered nothing`);
        assertWithinSlackLimits(message);
        for (const button of buttonsOf(message.blocks)) {
          expect(decodeButton(button)?.upgradeId, JSON.stringify(button)).toBe(UPGRADE_ID);
        }
        for (const menu of overflowsOf(message.blocks)) {
          for (const option of menu.options as { value: string }[]) {
            expect(decode(stepMenuValue, option.value)?.upgradeId, option.value).toBe(UPGRADE_ID);
          }
        }
      }
    }
  });

  it.each(scenarios.map((s) => [s.name, s] as const))(
    '%s: every step appears exactly once; primary exactly where someone can act, no confirm once resolved',
    (_, scenario) => {
      const snapshot = snapshotOf(scenario.state);
      const stepPlan = planOf(scenario.state);
      const seen: string[] = [];
      let primaries = 0;
      for (const slot of renderer.runbookSlots(snapshot).slice(1)) {
        const message = renderer.slotMessage(snapshot, slot, NOW);
        if (!message) throw new Error(`slot ${slot} rendered nothing`);
        expect(message.blocks.length).toBeLessThanOrEqual(RUNBOOK_BLOCKS_PER_MESSAGE + 2);
        for (const block of stepBlocksOf(message.blocks)) {
          const key = String(block.block_id).slice('step:'.length);
          seen.push(key);
          const step = stepPlan.steps.find((st) => st.key === key);
          if (!step) throw new Error(key);
          const buttons = buttonsOf([block]);
          const primary = buttons.filter((b) => b.style === 'primary');
          primaries += primary.length;
          if (isResolved(progressOf(scenario.state, key))) {
            expect(block.type, key).toBe('section');
            expect(buttons, key).toEqual([]);
            expect(overflowsOf([block]), key).toHaveLength(1);
          } else {
            expect(buttons.filter((b) => b.action_id === ACTIONS.completeStep)).toHaveLength(1);
            expect(
              primary.map((b) => b.action_id),
              key,
            ).toEqual(canActNow(scenario.state, step) ? [ACTIONS.completeStep] : []);
          }
        }
      }
      expect(seen).toEqual(stepPlan.steps.map((s) => s.key));
      if (scenario.name === 'fresh') expect(primaries).toBe(readySteps(stepPlan, scenario.state).length);
      if (scenario.name === 'blocked' || scenario.name === 'aborted' || scenario.name === 'completed')
        expect(primaries).toBe(0);
    },
  );

  it('gives the same slots for every progress state and the same messages for the same state', () => {
    const slots = scenarios.map((s) => renderer.runbookSlots(snapshotOf(s.state)));
    for (const other of slots) expect(other).toEqual(slots[0]);
    for (const scenario of scenarios) {
      const snapshot = snapshotOf(scenario.state);
      for (const slot of renderer.runbookSlots(snapshot)) {
        expect(renderer.slotMessage(snapshot, slot, NOW)).toEqual(renderer.slotMessage(snapshot, slot, NOW));
      }
    }
  });
});

describe('runbook packing', () => {
  it('never splits a phase: each phase header appears once and its steps follow it in one message', () => {
    const state = startWith('async', {
      methodA: 'manual',
      methodB: 'manual',
      switchMethod: 'dns',
      baseOnly: false,
    });
    const snapshot = snapshotOf(state);
    const phasesPerStep = new Map(planOf(state).steps.map((s) => [s.key, s.phase]));
    const messagesOfPhase = new Map<string, Set<string>>();
    for (const slot of renderer.runbookSlots(snapshot).slice(1)) {
      const message = renderer.slotMessage(snapshot, slot, NOW);
      for (const block of stepBlocksOf(message?.blocks ?? [])) {
        const phase = phasesPerStep.get(String(block.block_id).slice(5)) ?? '?';
        messagesOfPhase.set(phase, (messagesOfPhase.get(phase) ?? new Set()).add(slot));
      }
    }
    for (const [phase, slots] of messagesOfPhase) expect(slots.size, phase).toBe(1);
    expect(renderer.runbookSlots(snapshot)).toEqual(['overview', 'runbook:1', 'runbook:2']);
  });

  it('summarises each part in its fallback text', () => {
    const snapshot = snapshotOf(
      startWith('async', { methodA: 'manual', methodB: 'manual', switchMethod: 'dns', baseOnly: false }),
    );
    expect(renderer.slotMessage(snapshot, 'runbook:1', NOW)?.text).toBe(
      'Runbook part 1 of 2: Preparation, Backup and break failover, Appliance B, Make B primary',
    );
    expect(renderer.slotMessage(snapshot, 'runbook:2', NOW)?.text).toBe(
      'Runbook part 2 of 2: Appliance A, Re-establish failover, Clients after the site upgrade',
    );
  });

  it('returns null for a slot that an option change removed, and for unknown slots', () => {
    const full = snapshotOf(
      startWith('hardware', { methodA: 'auto', methodB: null, switchMethod: null, baseOnly: false }),
    );
    const baseOnly = snapshotOf(
      startWith('hardware', { methodA: 'auto', methodB: null, switchMethod: null, baseOnly: true }),
    );
    expect(renderer.runbookSlots(full)).toEqual(['overview', 'runbook:1', 'runbook:2']);
    expect(renderer.runbookSlots(baseOnly)).toEqual(['overview', 'runbook:1']);
    expect(renderer.slotMessage(full, 'runbook:2', NOW)).not.toBeNull();
    expect(renderer.slotMessage(baseOnly, 'runbook:2', NOW)).toBeNull();
    expect(renderer.slotMessage(full, 'runbook:0', NOW)).toBeNull();
    expect(renderer.slotMessage(full, 'elsewhere', NOW)).toBeNull();
  });
});

describe('step blocks', () => {
  const async = { methodA: 'manual', methodB: 'manual', switchMethod: 'dns', baseOnly: false } as const;

  function stepBlock(state: ReturnType<typeof startWith>, key: string) {
    const snapshot = snapshotOf(state);
    for (const slot of renderer.runbookSlots(snapshot).slice(1)) {
      const blocks = renderer.slotMessage(snapshot, slot, NOW)?.blocks ?? [];
      const index = blocks.findIndex((b) => b.block_id === `step:${key}`);
      const controls = blocks[index];
      if (!controls) continue;
      // An open step: its text section, then its actions; a resolved one: a single section.
      const text = controls.type === 'section' ? controls : blocks[index - 1];
      return {
        blocks: controls.type === 'section' ? [controls] : [blocks[index - 1], controls],
        section:
          controls.type === 'section'
            ? String((text?.text as { text?: string })?.text)
            : allText({ blocks: [text] }),
        buttons: buttonsOf([controls]),
        menus: overflowsOf([controls]),
      };
    }
    throw new Error(`no step ${key}`);
  }

  it('offers a primary Done, I’m on it, Skip… and Report problem on a fresh optional step', () => {
    const { section, buttons } = stepBlock(startWith('async', async), 'prep.test-env');
    expect(buttons.map((b) => [b.action_id, buttonText(b), b.style])).toEqual([
      [ACTIONS.completeStep, 'Done', 'primary'],
      [ACTIONS.claimStep, "I'm on it", undefined],
      [ACTIONS.skipStep, 'Skip…', undefined],
      [ACTIONS.reportProblem, 'Report problem', undefined],
    ]);
    expect(section).toContain('(optional)');
    expect(section).toContain('▶️ Ready now');
  });

  it('shows a waiting step a plain Done (refused with the reason if clicked) and what it waits for', () => {
    const { section, buttons } = stepBlock(startWith('async', async), 'a.break');
    expect(section).toContain('needs two people');
    expect(section).toMatch(/🔒 Waiting for .*“Download Backup on A”.*“Sync Now on A”/);
    const done = buttons.find((b) => b.action_id === ACTIONS.completeStep);
    expect(buttonText(done)).toBe('Done');
    expect(done?.style).toBeUndefined();
    expect(buttons.filter((b) => b.style === 'primary')).toEqual([]);
    // Claiming and skipping are held to the same order: a waiting step does not offer them.
    expect(buttons.map((b) => b.action_id)).toEqual([ACTIONS.completeStep, ACTIONS.reportProblem]);
  });

  it('shows the check buttons with unique action ids, and drops a check once confirmed', () => {
    const { fresh, checked, awaiting } = (() => {
      const scenarios = progressStates('async', async);
      const find = (name: string) => {
        const s = scenarios.find((x) => x.name === name);
        if (!s) throw new Error(name);
        return s.state;
      };
      return { fresh: find('fresh'), checked: find('check-confirmed'), awaiting: find('awaiting-second') };
    })();
    const freshButtons = stepBlock(fresh, 'b.establish').buttons;
    const check = freshButtons.find((b) => b.action_id === `${ACTIONS.confirmCheck}:keys`);
    expect(check).toBeDefined();
    expect(decode(stepButtonValue, String(check?.value))).toEqual({ upgradeId: UPGRADE_ID, check: 'keys' });

    const afterCheck = stepBlock(checked, 'b.establish');
    expect(afterCheck.buttons.map((b) => b.action_id)).not.toContain(`${ACTIONS.confirmCheck}:keys`);
    expect(afterCheck.section).toMatch(/☑️ Inter-appliance keys.*confirmed by <@USECOND>/);

    const second = stepBlock(awaiting, 'b.establish');
    const confirm = second.buttons.find((b) => b.style === 'primary');
    expect(buttonText(confirm)).toBe('Confirm as second person');
    expect(second.section).toContain(`⏳ Waiting for a second person (confirmed by <@${LEAD}>`);
  });

  it('collapses a done step to one line with a menu, and no button where Done was', () => {
    const completed = progressStates('async', async).find((s) => s.name === 'completed')?.state;
    if (!completed) throw new Error('no completed scenario');
    const { blocks, section, buttons, menus } = stepBlock(completed, 'a.break');
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatchObject({ type: 'section', block_id: 'step:a.break' });
    expect(section.split('\n')).toHaveLength(1);
    expect(section).toMatch(
      /^✅ \*10\. Break Failover Relationship\* · <@ULEAD> and <@USECOND> · <!date\^\d+\^\{date_short_pretty\} at \{time\}\|2026-11-28 13:00 UTC>/,
    );
    expect(section).not.toContain('Download Backup');
    expect(buttons).toEqual([]);
    expect(menus).toHaveLength(1);
    const options = (menus[0]?.options ?? []) as { text: { text: string }; value: string }[];
    expect(options.map((o) => [o.text.text, decode(stepMenuValue, o.value)?.action])).toEqual([
      ['Show instructions', ACTIONS.showInstructions],
      ['Report problem…', ACTIONS.reportProblem],
      ['Undo… (lead)', ACTIONS.undoStep],
    ]);
  });

  it('asks for confirmation before Undo', () => {
    const awaiting = progressStates('async', async).find((s) => s.name === 'awaiting-second')?.state;
    if (!awaiting) throw new Error('no awaiting-second scenario');
    const undo = stepBlock(awaiting, 'b.establish').buttons.find((b) => b.action_id === ACTIONS.undoStep);
    expect(undo?.style).toBe('danger');
    expect(undo?.confirm).toMatchObject({
      title: { type: 'plain_text', text: 'Undo this step?' },
      confirm: { type: 'plain_text', text: 'Undo' },
      deny: { type: 'plain_text', text: 'Keep it' },
    });
    expect(JSON.stringify(undo?.confirm)).toContain('Re-establish failover from B');
  });

  it('gives a step with an open problem no primary button, and the whole runbook none while on hold', () => {
    const fresh = startWith('async', async);
    const reported = apply(fresh, {
      type: 'report-problem',
      actor: person(SECOND),
      step: 'prep.certs',
      description: 'The SSL certificate expires tomorrow',
    }).state;
    const held = stepBlock(reported, 'prep.certs');
    expect(held.section).toContain('⚠️ Open problem #1');
    expect(held.buttons.filter((b) => b.style === 'primary')).toEqual([]);
    expect(stepBlock(reported, 'prep.window').buttons[0]?.style).toBe('primary');
    const blocked = progressStates('async', async).find((s) => s.name === 'blocked')?.state;
    if (!blocked) throw new Error('no blocked scenario');
    const snapshot = snapshotOf(blocked);
    for (const slot of renderer.runbookSlots(snapshot)) {
      const message = renderer.slotMessage(snapshot, slot, NOW);
      expect(buttonsOf(message?.blocks ?? []).filter((b) => b.style === 'primary')).toEqual([]);
    }
  });

  it('shows a skip with its reason escaped, and a claim', () => {
    const mid = progressStates('async', async).find((s) => s.name === 'mid-way')?.state;
    if (!mid) throw new Error('no mid-way scenario');
    const { section, blocks } = stepBlock(mid, 'prep.test-env');
    expect(blocks).toHaveLength(1);
    expect(section).toContain('⏭️ *3. Test the update in a controlled environment* · skipped');
    expect(section).toContain('· skipped by <@ULEAD>: Ticket &lt;b&gt;bold&lt;/b&gt; &amp;');
    const claimed = Object.entries(mid.steps).find(([, p]) => p.claimedBy !== null && p.status === 'pending');
    if (!claimed) throw new Error('no claimed step');
    const block = stepBlock(mid, claimed[0]);
    expect(block.section).toContain('🙋 <@USECOND> is on it since <!date^');
    expect(block.buttons.map((b) => b.action_id)).not.toContain(ACTIONS.claimStep);
  });

  it('flags an open problem on its step', () => {
    const blocked = progressStates('async', async).find((s) => s.name === 'blocked')?.state;
    if (!blocked) throw new Error('no blocked scenario');
    expect(blocked.status).toBe('blocked');
    expect(stepBlock(blocked, 'b.update.base').section).toContain('⚠️ Open problem #1');
  });
});

describe('overview', () => {
  it('names the plan, appliances, lead, status, progress, failover and windows', () => {
    const scenarios = progressStates('async', {
      methodA: 'manual',
      methodB: 'auto',
      switchMethod: 'shared-ip',
      baseOnly: false,
    });
    const mid = scenarios.find((s) => s.name === 'mid-way');
    if (!mid) throw new Error('no mid-way');
    const message = renderer.slotMessage(snapshotOf(mid.state), 'overview', NOW);
    if (!message) throw new Error('no overview');
    const text = allText(message);
    const head = message.blocks.findIndex((b) => b.type === 'header');
    expect(message.blocks[head]).toMatchObject({
      type: 'header',
      text: { text: 'PRA upgrade: Failover pair, asynchronous (B first, B becomes primary)' },
    });
    const fields = (message.blocks[head + 1]?.fields as unknown[]) ?? [];
    expect(fields.length).toBeLessThanOrEqual(10);
    expect(text).toContain('CHG123');
    expect(text).toContain('A: pra-a.example.com');
    expect(text).toContain('B: automatic');
    expect(text).toContain('shared IP');
    expect(text).toContain('<@ULEAD>');
    expect(text).toMatch(/\*Failover\*\n\*OFF\* since <!date\^/);
    expect(text).toContain('limit 1 day');
    expect(text).toContain('(2026-12-01 22:00 Europe/Amsterdam), 2 hours');
    expect(text).toContain('Ready now:');
    expect(text).toContain('Participants: <@ULEAD>, <@USECOND>');
    // The shared-IP and automatic-update warnings of the plan.
    expect(text).toContain('not supported on AWS');
  });

  it('lists open problems with a Resolved… button each', () => {
    const blocked = progressStates('single', {
      methodA: 'auto',
      methodB: null,
      switchMethod: null,
      baseOnly: false,
    }).find((s) => s.name === 'blocked');
    if (!blocked) throw new Error('no blocked');
    const message = renderer.slotMessage(snapshotOf(blocked.state), 'overview', NOW);
    const resolve = buttonsOf(message?.blocks ?? []).filter((b) => b.action_id === ACTIONS.resolveProblem);
    expect(resolve.map((b) => decode(problemButtonValue, String(b.value)))).toEqual([
      { upgradeId: UPGRADE_ID, problemId: 1 },
      { upgradeId: UPGRADE_ID, problemId: 2 },
    ]);
    expect(allText({ blocks: message?.blocks ?? [] })).toContain('⏸️ on hold (problem #1)');
  });

  it('shows no failover field for a single appliance', () => {
    const result = startUpgrade({ plan: 'single', options: {}, lead: LEAD }, T0);
    if (!result.ok) throw new Error('start');
    const message = renderer.slotMessage(snapshotOf(result.state), 'overview', NOW);
    expect(allText({ blocks: message?.blocks ?? [] })).not.toContain('*Failover*');
  });
});

describe('failover banner', () => {
  const async = { methodA: 'manual', methodB: 'manual', switchMethod: 'dns', baseOnly: false } as const;
  const bannerOf = (snapshot: ReturnType<typeof snapshotOf>) =>
    renderer.runbookSlots(snapshot).map((slot) => {
      const first = renderer.slotMessage(snapshot, slot, NOW)?.blocks[0];
      return first?.block_id === 'banner:failover' ? allText({ blocks: [first] }) : null;
    });

  it('opens the overview and every runbook part from the break until failover is re-established', () => {
    const fresh = startWith('async', async);
    expect(bannerOf(snapshotOf(fresh))).toEqual([null, null, null]);

    const broken = finishThrough(fresh, 'a.break', T0.plus({ hours: 1 })).state;
    const banners = bannerOf(snapshotOf(broken));
    expect(banners).toHaveLength(3);
    for (const banner of banners) {
      expect(banner).toMatch(/🚨 \*Failover is OFF\* since <!date\^\d+\^[^>]*\|2026-11-28 11:00 UTC>/);
      expect(banner).toContain('limit 1 day');
      // Before the reminder table says otherwise, the first reminder is due at the limit.
      expect(banner).toContain('next reminder <!date^');
      expect(banner).toContain('|2026-11-29 11:00 UTC>');
    }
    const snoozed = bannerOf(snapshotOf(broken, { nextFailoverReminderAt: '2026-11-29T15:30:00.000Z' }));
    expect(snoozed[1]).toMatch(/next reminder <!date\^\d+\^[^>]*\|2026-11-29 15:30 UTC>/);

    const restored = finishThrough(broken, 'b.establish', T0.plus({ hours: 9 })).state;
    expect(restored.failover.restoredAt).not.toBeNull();
    expect(bannerOf(snapshotOf(restored))).toEqual([null, null, null]);
  });

  it('never shows for a single appliance', () => {
    const single = startWith('single', {
      methodA: 'auto',
      methodB: null,
      switchMethod: null,
      baseOnly: false,
    });
    const done = finishThrough(single, 'a.verify').state;
    expect(bannerOf(snapshotOf(done)).every((b) => b === null)).toBe(true);
  });
});

describe('finding the next step', () => {
  const async = { methodA: 'manual', methodB: 'manual', switchMethod: 'dns', baseOnly: false } as const;
  const PERMALINKS = {
    overview: 'https://team.slack.com/archives/C0UPGRADE/p1000',
    'runbook:1': 'https://team.slack.com/archives/C0UPGRADE/p1001',
    'runbook:2': 'https://team.slack.com/archives/C0UPGRADE/p1002',
  };

  it('heads each runbook part with how many of its steps are ready, waiting and done', () => {
    const state = finishThrough(startWith('async', async), 'a.break').state;
    const snapshot = snapshotOf(state);
    const heads = ['runbook:1', 'runbook:2'].map((slot) => {
      const blocks = renderer.slotMessage(snapshot, slot, NOW)?.blocks ?? [];
      return allText({ blocks: [blocks.find((b) => b.type === 'header') ?? {}] }).trim();
    });
    // Part 1: 17 steps; the break and the 7 it needs done, 3 ready (B's download key and two
    // preparation steps the break does not need), the rest of B and the switch waiting.
    expect(heads).toEqual([
      'Runbook 1/2 · ▶️ 3 ready · 🔒 6 waiting · ✅ 8 done',
      'Runbook 2/2 · ▶️ 0 ready · 🔒 14 waiting · ✅ 0 done',
    ]);
  });

  it('links every step of "Ready now" to the runbook message that shows it', () => {
    const fresh = startWith('async', async);
    const linked = renderer.slotMessage(snapshotOf(fresh, { permalinks: PERMALINKS }), 'overview', NOW);
    const ready = allText({
      blocks: blockRecords(linked?.blocks ?? []).filter((b) => b.block_id === 'overview:ready'),
    });
    const lines = ready.split('\n').filter((l) => l.startsWith('• '));
    // Eight at most; the rest are counted.
    expect(readySteps(planOf(fresh), fresh).length).toBe(9);
    expect(lines).toHaveLength(8);
    expect(ready).toContain('…and 1 more');
    expect(lines.every((l) => l.startsWith(`• <${PERMALINKS['runbook:1']}|`))).toBe(true);
    expect(lines[0]).toBe(`• <${PERMALINKS['runbook:1']}|1. Schedule two maintenance windows>`);
    // Not posted yet (no permalink): the title alone, never a broken link.
    const plain = renderer.slotMessage(snapshotOf(fresh), 'overview', NOW);
    expect(allText({ blocks: plain?.blocks ?? [] })).toContain('• 1. Schedule two maintenance windows');
  });

  it('embeds nothing but https links', () => {
    const fresh = startWith('async', async);
    const hostile = snapshotOf(fresh, {
      permalinks: { 'runbook:1': 'javascript:alert(1)', 'runbook:2': 'https://x.test/a|<!channel>' },
    });
    const message = renderer.slotMessage(hostile, 'overview', NOW);
    if (!message) throw new Error('no overview');
    assertWithinSlackLimits(message);
    expect(allText(message)).not.toContain('javascript:');
    expect(allText(message)).not.toContain('x.test');
  });
});
