import { describe, expect, it } from 'vitest';
import { BASE_PROBLEM_GUIDANCE } from '../../../../src/engine/index.js';
import { FIELDS, VIEWS } from '../../../../src/slack/action-ids.js';
import {
  problemReportModal,
  problemResolutionModal,
  skipReasonModal,
} from '../../../../src/slack/blocks/index.js';
import { decode, type ModalMetadata, modalMetadata } from '../../../../src/slack/values.js';
import { allText, assertWithinSlackLimits, blockRecords } from '../../../support/block-kit.js';
import {
  ASYNC,
  hostileSnapshot,
  LEAD,
  LONG_HOSTILE,
  OTHER_ID,
  progressStates,
  renderer,
  snapshotOf,
  startWith,
  T0,
  UPGRADE_ID,
} from '../../../support/blocks.js';
import { finishThrough } from '../../../support/engine.js';

const NOW = T0.plus({ hours: 2 });

describe('App Home', () => {
  it('says there are no active upgrades and how to start one', () => {
    const view = renderer.home(LEAD, [], NOW);
    assertWithinSlackLimits(view);
    expect(view.type).toBe('home');
    const text = allText(view);
    expect(text).toContain('No active upgrades');
    expect(text).toContain('/pra-upgrade start async');
  });

  it('shows each active upgrade with its progress bar and failover state, dividers between', () => {
    const broken = finishThrough(startWith('async', ASYNC), 'a.break').state;
    const completed = progressStates('single', {
      methodA: 'auto',
      methodB: null,
      switchMethod: null,
      baseOnly: false,
    }).find((s) => s.name === 'completed');
    if (!completed) throw new Error('no completed');
    const view = renderer.home(
      LEAD,
      [
        snapshotOf(broken),
        snapshotOf(broken, { id: OTHER_ID, ticket: 'CHG777' }),
        snapshotOf(completed.state, { ticket: 'DONE1' }),
      ],
      NOW,
    );
    assertWithinSlackLimits(view);
    const text = allText(view);
    expect(text).toContain('`▓▓▓░░░░░░░ 8/31`');
    expect(text).toContain('Failover: *OFF* since <!date^');
    expect(text).toContain('CHG777');
    expect(text).not.toContain('DONE1');
    expect(text).toContain('you lead this one');
    const types = blockRecords(view.blocks).map((b) => b.type);
    expect(types.slice(0, 4)).toEqual(['header', 'section', 'divider', 'section']);
  });

  it('stays under 100 blocks with many upgrades', () => {
    const fresh = startWith('async', ASYNC);
    const ids = Array.from(
      { length: 120 },
      (_, i) => `${UPGRADE_ID.slice(0, -3)}${String(i).padStart(3, '0')}`,
    );
    const view = renderer.home(
      LEAD,
      ids.map((id) => ({ ...hostileSnapshot(fresh), id })),
      NOW,
    );
    assertWithinSlackLimits(view);
    expect(allText(view)).toContain('and 80 more');
  });

  it('shows an upgrade once even when it is passed twice', () => {
    const snapshot = snapshotOf(startWith('async', ASYNC));
    const view = renderer.home(LEAD, [snapshot, snapshot], NOW);
    assertWithinSlackLimits(view);
    expect(blockRecords(view.blocks).filter((b) => b.block_id === `home:${UPGRADE_ID}`)).toHaveLength(1);
  });
});

describe('modals', () => {
  const meta: ModalMetadata = {
    upgradeId: UPGRADE_ID,
    step: 'a.update.base',
    problemId: null,
    responseUrl: 'https://hooks.slack.com/actions/T1/1/abc',
  };

  it('asks for a skip reason', () => {
    const view = skipReasonModal(meta, 'Test the update in a controlled environment');
    assertWithinSlackLimits(view);
    expect(view.callback_id).toBe(VIEWS.skipReason);
    expect(decode(modalMetadata, view.private_metadata)).toEqual(meta);
    const input = blockRecords(view.blocks).find((b) => b.type === 'input');
    expect(input).toMatchObject({
      block_id: FIELDS.reason.block,
      element: { action_id: FIELDS.reason.action },
    });
  });

  it('shows the base-problem guidance first on a base step only', () => {
    const base = problemReportModal(meta, 'Install the base software updates on A', true);
    assertWithinSlackLimits(base);
    expect(base.callback_id).toBe(VIEWS.problemReport);
    expect(allText({ blocks: base.blocks.slice(0, 1) })).toContain(BASE_PROBLEM_GUIDANCE);
    const input = blockRecords(base.blocks).find((b) => b.type === 'input');
    expect(input).toMatchObject({
      block_id: FIELDS.description.block,
      element: { action_id: FIELDS.description.action, multiline: true },
    });
    const other = problemReportModal({ ...meta, step: 'a.verify' }, 'Verify and test A', false);
    expect(allText(other)).not.toContain(BASE_PROBLEM_GUIDANCE);
  });

  it('asks how a problem was resolved, escaping what was reported', () => {
    const view = problemResolutionModal({ ...meta, problemId: 4 }, LONG_HOSTILE);
    assertWithinSlackLimits(view);
    expect(view.callback_id).toBe(VIEWS.problemResolution);
    expect(decode(modalMetadata, view.private_metadata)?.problemId).toBe(4);
    expect(allText(view)).toContain('Ticket &lt;b&gt;bold');
    const input = blockRecords(view.blocks).find((b) => b.type === 'input');
    expect(input).toMatchObject({
      block_id: FIELDS.resolution.block,
      element: { action_id: FIELDS.resolution.action },
    });
  });

  it('keeps titles within 24 characters even for long step titles', () => {
    for (const view of [
      skipReasonModal(meta, LONG_HOSTILE),
      problemReportModal(meta, LONG_HOSTILE, true),
      problemResolutionModal(meta, LONG_HOSTILE),
    ]) {
      assertWithinSlackLimits(view);
      expect(view.title.text.length).toBeLessThanOrEqual(24);
      expect(view.submit.text.length).toBeLessThanOrEqual(24);
    }
  });
});
