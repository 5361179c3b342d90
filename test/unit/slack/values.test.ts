import { describe, expect, it } from 'vitest';
import { stepKeyFromBlockId } from '../../../src/slack/action-ids.js';
import { decode, encode, snoozeButtonValue, stepButtonValue } from '../../../src/slack/values.js';

describe('button values', () => {
  const upgradeId = '0b6e4d1e-2f5c-4a55-9a0e-5b8f0e6d2c11';

  it('round-trip through encode and decode', () => {
    expect(decode(stepButtonValue, encode({ upgradeId, check: 'keys' }))).toEqual({
      upgradeId,
      check: 'keys',
    });
    const snooze = {
      upgradeId,
      duration: 'PT1H' as const,
      reminder: {
        rule: 'FAILOVER_GAP' as const,
        scope: 'failover',
        anchor: '2026-11-28T10:00:00.000Z',
        occurrence: 2,
      },
    };
    expect(decode(snoozeButtonValue, encode(snooze))).toEqual(snooze);
  });

  it('decode anything forged or broken to null instead of throwing', () => {
    expect(decode(stepButtonValue, undefined)).toBeNull();
    expect(decode(stepButtonValue, '{not json')).toBeNull();
    expect(decode(stepButtonValue, JSON.stringify({ upgradeId: 'DROP TABLE upgrades' }))).toBeNull();
    expect(
      decode(snoozeButtonValue, JSON.stringify({ upgradeId, duration: 'P1Y', reminder: {} })),
    ).toBeNull();
  });

  it('read the step key from a block id, with or without a suffix', () => {
    expect(stepKeyFromBlockId('step:a.update.backup-after-base')).toBe('a.update.backup-after-base');
    expect(stepKeyFromBlockId('step:b.verify:2')).toBe('b.verify');
    expect(stepKeyFromBlockId('step-text:b.verify')).toBeNull();
    expect(stepKeyFromBlockId('overview')).toBeNull();
  });
});
