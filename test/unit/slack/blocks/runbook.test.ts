import { describe, expect, it } from 'vitest';
import { isResolved, PLAN_NAMES, planOf, progressOf, startUpgrade } from '../../../../src/engine/index.js';
import { ACTIONS } from '../../../../src/slack/action-ids.js';
import { RUNBOOK_BLOCKS_PER_MESSAGE } from '../../../../src/slack/blocks/index.js';
import {
  decode,
  problemButtonValue,
  snoozeButtonValue,
  stepButtonValue,
  upgradeButtonValue,
} from '../../../../src/slack/values.js';
import {
  allText,
  assertWithinSlackLimits,
  blockRecords,
  buttonsOf,
  buttonText,
} from '../../../support/block-kit.js';
import {
  hostileSnapshot,
  LEAD,
  planCases,
  progressStates,
  renderer,
  snapshotOf,
  startWith,
  T0,
  UPGRADE_ID,
} from '../../../support/blocks.js';

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

function stepActionBlocks(blocks: unknown[]) {
  return blockRecords(blocks).filter((b) => b.type === 'actions' && String(b.block_id).startsWith('step:'));
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
      }
    }
  });

  it.each(scenarios.map((s) => [s.name, s] as const))(
    '%s: every step appears exactly once, with a primary confirm button while not resolved',
    (_, scenario) => {
      const snapshot = snapshotOf(scenario.state);
      const stepPlan = planOf(scenario.state);
      const seen: string[] = [];
      for (const slot of renderer.runbookSlots(snapshot).slice(1)) {
        const message = renderer.slotMessage(snapshot, slot, NOW);
        if (!message) throw new Error(`slot ${slot} rendered nothing`);
        expect(message.blocks[0]?.type, 'each part starts with a phase header').toBe('header');
        expect(message.blocks.length).toBeLessThanOrEqual(RUNBOOK_BLOCKS_PER_MESSAGE);
        for (const block of stepActionBlocks(message.blocks)) {
          const key = String(block.block_id).slice('step:'.length);
          seen.push(key);
          const buttons = buttonsOf([block]);
          const primary = buttons.filter((b) => b.style === 'primary');
          const resolved = isResolved(progressOf(scenario.state, key));
          if (resolved) {
            expect(primary, key).toHaveLength(0);
            expect(buttons.map((b) => b.action_id)).toContain(ACTIONS.undoStep);
          } else {
            expect(
              primary.map((b) => b.action_id),
              key,
            ).toEqual([ACTIONS.completeStep]);
          }
        }
      }
      expect(seen).toEqual(stepPlan.steps.map((s) => s.key));
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
      for (const block of stepActionBlocks(message?.blocks ?? [])) {
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
      const actions = blocks[index];
      const section = blocks[index - 1];
      if (actions && section)
        return { section: allText({ blocks: [section] }), buttons: buttonsOf([actions]) };
    }
    throw new Error(`no step ${key}`);
  }

  it('offers Done, I’m on it, Skip… and Report problem on a fresh optional step', () => {
    const { section, buttons } = stepBlock(startWith('async', async), 'prep.test-env');
    expect(buttons.map((b) => [b.action_id, buttonText(b)])).toEqual([
      [ACTIONS.completeStep, 'Done'],
      [ACTIONS.claimStep, "I'm on it"],
      [ACTIONS.skipStep, 'Skip…'],
      [ACTIONS.reportProblem, 'Report problem'],
    ]);
    expect(section).toContain('(optional)');
    expect(section).toContain('▶️ Ready now');
  });

  it('locks a step behind its missing prerequisites, by title', () => {
    const { section, buttons } = stepBlock(startWith('async', async), 'a.break');
    expect(section).toContain('needs two people');
    expect(section).toMatch(/🔒 Waiting for .*“Download Backup on A”.*“Sync Now on A”/);
    expect(buttons.map((b) => b.action_id)).not.toContain(ACTIONS.skipStep);
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

  it('shows who did a step, with a date token, and offers Undo', () => {
    const completed = progressStates('async', async).find((s) => s.name === 'completed')?.state;
    if (!completed) throw new Error('no completed scenario');
    const { section, buttons } = stepBlock(completed, 'a.break');
    expect(section).toMatch(
      /✅ Done by <@ULEAD> and <@USECOND> at <!date\^\d+\^\{date_short_pretty\} at \{time\}\|2026-11-28 13:00 UTC>/,
    );
    expect(buttons.map((b) => b.action_id)).toEqual([ACTIONS.undoStep, ACTIONS.reportProblem]);
  });

  it('shows a skip with its reason escaped, and a claim', () => {
    const mid = progressStates('async', async).find((s) => s.name === 'mid-way')?.state;
    if (!mid) throw new Error('no mid-way scenario');
    const { section } = stepBlock(mid, 'prep.test-env');
    expect(section).toContain('⏭️ Skipped by <@ULEAD>: Ticket &lt;b&gt;bold&lt;/b&gt; &amp;');
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
    expect(message.blocks[0]).toMatchObject({
      type: 'header',
      text: { text: 'PRA upgrade: Failover pair, asynchronous (B first, B becomes primary)' },
    });
    const fields = (message.blocks[1]?.fields as unknown[]) ?? [];
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
