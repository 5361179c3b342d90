import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  escapeKeepingTokens,
  escapeText,
  humanDuration,
  slackDate,
  truncate,
  user,
} from '../../../../src/slack/blocks/index.js';

describe('format', () => {
  it('writes durations in the largest two units', () => {
    expect(humanDuration('PT26H5M')).toBe('1 day 2 hours');
    expect(humanDuration('PT45M')).toBe('45 minutes');
    expect(humanDuration('PT5S')).toBe('5 seconds');
    expect(humanDuration('P1D')).toBe('1 day');
    expect(humanDuration('PT1H30M')).toBe('1 hour 30 minutes');
    expect(humanDuration('PT1H0M30S')).toBe('1 hour');
    expect(humanDuration('PT0S')).toBe('0 seconds');
    expect(humanDuration('PT48H')).toBe('2 days');
  });

  it('writes dates as Slack date tokens with a UTC fallback', () => {
    const at = '2026-11-28T11:00:00.000+01:00';
    const unix = DateTime.fromISO(at).toUnixInteger();
    expect(slackDate(at)).toBe(`<!date^${unix}^{date_short_pretty} at {time}|2026-11-28 10:00 UTC>`);
    expect(slackDate(DateTime.fromISO('2026-11-28T10:00:00Z'))).toBe(slackDate(at));
  });

  it('escapes the three mrkdwn control characters', () => {
    expect(escapeText('a & b <c> d')).toBe('a &amp; b &lt;c&gt; d');
    expect(escapeKeepingTokens('<@U1> said <x> & <!channel> <#C1> <!date^1^{time}|x>')).toBe(
      '<@U1> said &lt;x&gt; &amp; <!channel> <#C1> <!date^1^{time}|x>',
    );
  });

  it('truncates without breaking tokens, entities or surrogate pairs', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('abcdefghijk', 5)).toBe('abcd…');
    expect(truncate('hello <@U123456> there', 12)).toBe('hello …');
    expect(truncate('fish &amp; chips', 8)).toBe('fish …');
    const emoji = truncate('ab😀cd', 4);
    expect(emoji).toBe('ab…');
    for (const max of [1, 10, 75, 150]) expect(truncate('x'.repeat(500), max).length).toBe(max);
  });

  it('mentions users safely', () => {
    expect(user('U123')).toBe('<@U123>');
    expect(user('U1>evil<')).toBe('<@U1evil>');
  });
});
