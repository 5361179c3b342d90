import fc from 'fast-check';
import { DateTime, Duration } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  BOOLEAN_WORD_LIST,
  booleanWord,
  describeDuration,
  durationBoundProblem,
  FAILOVER_GAP_LIMIT_BOUND,
  withinBound,
} from '../../../src/engine/bounds.js';
import { startUpgrade } from '../../../src/engine/start-upgrade.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe('the failover gap limit bound (15 minutes to 30 days)', () => {
  it.each([
    ['PT15M', true],
    ['PT14M59S', false],
    ['PT900S', true],
    ['P30D', true],
    ['P30DT1S', false],
    ['PT720H', true],
    ['P1D', true],
    ['PT1S', false],
    ['PT0S', false],
    ['P100Y', false],
    ['P300000Y', false],
    ['-P1D', false],
    ['soon', false],
    ['', false],
  ])('%s → %s', (iso, allowed) => {
    expect(withinBound(iso, FAILOVER_GAP_LIMIT_BOUND)).toBe(allowed);
  });

  it('is exactly [15 min, 30 d] for every length in milliseconds around it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 * DAY }), (millis) => {
        const iso = Duration.fromMillis(millis)
          .shiftTo('days', 'hours', 'minutes', 'seconds', 'milliseconds')
          .toISO();
        expect(withinBound(iso ?? '', FAILOVER_GAP_LIMIT_BOUND)).toBe(
          millis >= 15 * MINUTE && millis <= 30 * DAY,
        );
      }),
    );
  });

  it('names the allowed range when refusing', () => {
    expect(durationBoundProblem('P300000Y', FAILOVER_GAP_LIMIT_BOUND, 'The gap limit')).toBe(
      'The gap limit must be between 15 minutes and 30 days; “P300000Y” is not.',
    );
    expect(durationBoundProblem('P2D', FAILOVER_GAP_LIMIT_BOUND, 'The gap limit')).toBeNull();
  });

  it('the engine refuses to start an upgrade with a gap limit outside it, so no later step can trip on it', () => {
    const now = DateTime.fromISO('2026-12-01T10:00:00Z');
    for (const failoverGapLimit of ['P300000Y', 'PT1S', 'P100Y']) {
      const started = startUpgrade(
        { plan: 'sync', options: {}, lead: 'U1', timing: { failoverGapLimit } },
        now,
      );
      expect(started).toEqual({
        ok: false,
        problems: [
          `The failover gap limit must be between 15 minutes and 30 days; “${failoverGapLimit}” is not.`,
        ],
      });
    }
    expect(
      startUpgrade({ plan: 'sync', options: {}, lead: 'U1', timing: { failoverGapLimit: 'P30D' } }, now).ok,
    ).toBe(true);
  });

  it('describes durations in words', () => {
    expect(describeDuration('PT15M')).toBe('15 minutes');
    expect(describeDuration('P1DT2H')).toBe('1 day 2 hours');
    expect(describeDuration('P1Y')).toBe('1 year');
  });
});

describe('yes/no words', () => {
  it.each([
    ['on', true],
    ['off', false],
    ['true', true],
    ['false', false],
    ['yes', true],
    ['no', false],
    ['1', true],
    ['0', false],
    ['YES', true],
    [' Off ', false],
  ])('%s → %s', (word, meaning) => {
    expect(booleanWord(word)).toBe(meaning);
  });

  it('anything else is refused (null), never a silent false', () => {
    const words = new Set(BOOLEAN_WORD_LIST.split(', '));
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), (text) => {
        fc.pre(!words.has(text.trim().toLowerCase()));
        expect(booleanWord(text)).toBeNull();
      }),
    );
    for (const word of ['2', 'y', 'n', 'enabled', '', 'maybe', '01']) expect(booleanWord(word)).toBeNull();
  });
});
