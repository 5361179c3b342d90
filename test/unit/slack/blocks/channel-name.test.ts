import { describe, expect, it } from 'vitest';
import { PLAN_NAMES } from '../../../../src/engine/index.js';
import {
  LONG_HOSTILE,
  OTHER_ID,
  renderer,
  snapshotOf,
  startWith,
  UPGRADE_ID,
} from '../../../support/blocks.js';
import { allOptionCombinations, started } from '../../../support/engine.js';

const VALID = /^[a-z0-9_-]{1,80}$/;
const TICKETS = [null, 'CHG123', 'CHG-2026/11 Ünïcødé upgrade!!!', '---', LONG_HOSTILE, '💥'.repeat(100)];

describe('channel names', () => {
  it.each(PLAN_NAMES)('%s: valid, and different for every attempt', (plan) => {
    const [options] = allOptionCombinations(plan);
    if (!options) throw new Error('no options');
    for (const ticket of TICKETS) {
      const snapshot = snapshotOf(startWith(plan, options), { ticket });
      const names = Array.from({ length: 10 }, (_, attempt) => renderer.channelName(snapshot, attempt));
      for (const name of names) {
        expect(name).toMatch(VALID);
        expect(name).not.toMatch(/--|^-|-$/);
        expect(name.startsWith(`pra-${plan}-20261128`)).toBe(true);
      }
      expect(new Set(names).size, JSON.stringify(names)).toBe(names.length);
    }
  });

  it('follows the pattern and keeps the suffix when the ticket is cut', () => {
    const snapshot = snapshotOf(started('async'), { ticket: 'CHG 123' });
    expect(renderer.channelName(snapshot, 0)).toBe('pra-async-20261128-chg-123');
    expect(renderer.channelName(snapshot, 1)).toBe('pra-async-20261128-chg-123-2');
    expect(renderer.channelName(snapshot, 4)).toBe('pra-async-20261128-chg-123-5');
    expect(renderer.channelName(snapshot, 5)).toBe('pra-async-20261128-chg-123-3f2a9c');
    expect(renderer.channelName(snapshotOf(started('async'), { ticket: null }), 0)).toBe(
      'pra-async-20261128',
    );
    const long = snapshotOf(started('async'), { ticket: 'x'.repeat(200) });
    expect(renderer.channelName(long, 0)).toHaveLength(80);
    expect(renderer.channelName(long, 3).endsWith('-4')).toBe(true);
    expect(renderer.channelName(long, 5).endsWith('-3f2a9c')).toBe(true);
  });

  it('uses the upgrade id from attempt 5 on, so two upgrades never collide there', () => {
    const state = started('sync');
    const one = renderer.channelName(snapshotOf(state, { id: UPGRADE_ID }), 5);
    const two = renderer.channelName(snapshotOf(state, { id: OTHER_ID }), 5);
    expect(one).not.toBe(two);
    expect(two.endsWith('-b71e04')).toBe(true);
  });

  it('dates the name by the creation day in UTC', () => {
    const snapshot = snapshotOf(started('single'), {
      ticket: null,
      createdAt: '2026-12-01T00:30:00+02:00',
    });
    expect(renderer.channelName(snapshot, 0)).toBe('pra-single-20261130');
  });
});

describe('topic', () => {
  it('sums the upgrade up within 250 characters', () => {
    const snapshot = snapshotOf(started('async'));
    expect(renderer.topic(snapshot)).toBe('PRA upgrade · async · CHG123 · lead <@ULEAD> · failover on');
    const hostile = renderer.topic(snapshotOf(started('async'), { ticket: LONG_HOSTILE }));
    expect(hostile.length).toBeLessThanOrEqual(250);
    expect(hostile).not.toContain('<b>');
    expect(renderer.topic(snapshotOf(started('single'), { ticket: null }))).toBe(
      'PRA upgrade · single · lead <@ULEAD>',
    );
  });
});
