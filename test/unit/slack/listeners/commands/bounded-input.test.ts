import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../../src/config/env.js';
import { parseCommandText } from '../../../../../src/slack/listeners/commands/parse-command.js';

const startOptions = (text: string) => {
  const parsed = parseCommandText(text);
  if (!parsed.ok) return { problems: parsed.problems };
  const command = parsed.command as { verb: string; options?: unknown };
  return command.verb === 'start' ? { options: command.options } : { problems: ['not start'] };
};

describe('start --base-only takes a yes/no word or nothing', () => {
  it.each([
    ['--base-only', true],
    ['--base-only=yes', true],
    ['--base-only=1', true],
    ['--base-only=on', true],
    ['--base-only=TRUE', true],
    ['--base-only yes', true],
    ['--base-only=no', false],
    ['--base-only=0', false],
    ['--base-only=off', false],
    ['--base-only=false', false],
    ['--no-base-only', false],
  ])('%s → %s', (option, meaning) => {
    expect(startOptions(`start single ${option}`)).toEqual({ options: { 'base-only': meaning } });
  });

  it.each(['--base-only=maybe', '--base-only=2', '--base-only=y'])(
    '%s is refused with the words it takes',
    (option) => {
      const { problems } = startOptions(`start single ${option}`);
      expect(problems?.join()).toContain('--base-only takes one of on, off, true, false, yes, no, 1, 0');
    },
  );
});

describe('start --gap-limit is between 15 minutes and 30 days', () => {
  it.each(['15m', 'PT15M', '2d', '36h', 'P30D', '30d'])('%s is accepted', (limit) => {
    expect(startOptions(`start sync --gap-limit ${limit}`)).toEqual({ options: { 'gap-limit': limit } });
  });

  it.each(['P300000Y', 'PT1S', 'P100Y', '14m', '31d', 'PT1M'])('%s is refused, naming the range', (limit) => {
    expect(startOptions(`start sync --gap-limit ${limit}`).problems).toEqual([
      '--gap-limit must be between 15 minutes and 30 days, such as 2d, 36h or P2D',
    ]);
  });
});

describe('mentions per command', () => {
  it('start invites at most 20 people at once', () => {
    const people = (n: number) => Array.from({ length: n }, (_, i) => `<@U${100 + i}>`).join(' ');
    expect(startOptions(`start single ${people(20)}`)).toEqual({ options: {} });
    expect(startOptions(`start single ${people(21)}`).problems?.join()).toContain('invite at most 20 people');
  });
});

describe('FAILOVER_GAP_LIMIT is bounded like --gap-limit', () => {
  it.each(['PT15M', 'P1D', 'P30D'])('%s is accepted', (value) => {
    expect(loadConfig({ FAILOVER_GAP_LIMIT: value }).failoverGapLimit.iso).toBe(value);
  });

  it.each(['PT1S', 'P300000Y', 'P31D'])('%s is refused with the range', (value) => {
    expect(() => loadConfig({ FAILOVER_GAP_LIMIT: value })).toThrow(/between 15 minutes and 30 days/);
  });
});
