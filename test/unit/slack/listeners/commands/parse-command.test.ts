import { describe, expect, it } from 'vitest';
import { HELP_TEXT } from '../../../../../src/slack/blocks/help.js';
import { parseCommandText } from '../../../../../src/slack/listeners/commands/parse-command.js';
import { VERBS } from '../../../../../src/slack/listeners/commands/verbs/index.js';

describe('parseCommandText', () => {
  it('starts any plan with no further arguments', () => {
    for (const plan of ['single', 'manual', 'sync', 'async', 'hardware']) {
      expect(parseCommandText(`start ${plan}`)).toEqual({
        ok: true,
        command: { verb: 'start', plan, options: {}, invite: [] },
      });
    }
  });

  it('reads every start option, quoted values and escaped mentions', () => {
    const parsed = parseCommandText(
      'start async --a pra-a.corp --b pra-b.corp --method-b auto --switch shared-ip --base-only --ticket CHG-42 --window-a “2026-12-01 22:00” --tz Europe/Amsterdam --gap-limit 2d <@U123|bob> <@W456>',
    );
    expect(parsed).toEqual({
      ok: true,
      command: {
        verb: 'start',
        plan: 'async',
        invite: ['U123', 'W456'],
        options: {
          a: 'pra-a.corp',
          b: 'pra-b.corp',
          'method-b': 'auto',
          switch: 'shared-ip',
          'base-only': true,
          ticket: 'CHG-42',
          'window-a': '2026-12-01 22:00',
          tz: 'Europe/Amsterdam',
          'gap-limit': '2d',
        },
      },
    });
  });

  it('names every problem at once and gives the right form', () => {
    const parsed = parseCommandText(
      'start asynk --switch fast --tz Mars/Base --gap-limit soon --ticket "a b" --bogus',
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toEqual(
      expect.arrayContaining([
        '“asynk” is not a plan; use one of single, manual, sync, async, hardware',
        '--switch must be one of shared-ip, dns, nat',
        '--tz must be a time zone such as Europe/Amsterdam',
        '--gap-limit must be a length such as 2d, 36h or P2D',
        'unknown option --bogus',
      ]),
    );
    expect(parsed.problems.some((p) => p.startsWith('--ticket'))).toBe(true);
    expect(parsed.usage).toContain('/pra-upgrade start <single|manual|sync|async|hardware>');
  });

  it('refuses stray words and a missing plan', () => {
    expect(parseCommandText('start').ok).toBe(false);
    const stray = parseCommandText('start sync now please');
    expect(!stray.ok && stray.problems[0]).toContain('unexpected words: now please');
  });

  it('parses the channel verbs', () => {
    expect(parseCommandText('')).toEqual({ ok: true, command: { verb: 'help' } });
    expect(parseCommandText('STATUS')).toEqual({ ok: true, command: { verb: 'status' } });
    expect(parseCommandText('abort vendor recall')).toEqual({
      ok: true,
      command: { verb: 'abort', reason: 'vendor recall' },
    });
    expect(parseCommandText('set method-b auto')).toEqual({
      ok: true,
      command: { verb: 'set', option: 'method-b', value: 'auto' },
    });
    expect(parseCommandText('lead <@U42|eve>')).toEqual({
      ok: true,
      command: { verb: 'lead', userId: 'U42' },
    });
    expect(parseCommandText('window b 2026-12-01 22:00 Europe/Amsterdam 3h')).toEqual({
      ok: true,
      command: {
        verb: 'window',
        appliance: 'b',
        dateTime: '2026-12-01 22:00',
        zone: 'Europe/Amsterdam',
        length: '3h',
      },
    });
    expect(parseCommandText('resolve #2 support replaced the package')).toEqual({
      ok: true,
      command: { verb: 'resolve', problemId: 2, resolution: 'support replaced the package' },
    });
    expect(parseCommandText('resolve 2 packages reinstalled')).toEqual({
      ok: true,
      command: { verb: 'resolve', problemId: null, resolution: '2 packages reinstalled' },
    });
  });

  it('says what is wrong with malformed channel verbs', () => {
    const cases: [string, string][] = [
      ['abort', 'give a reason'],
      ['status now', 'takes nothing after it'],
      ['set speed fast', 'say which option'],
      ['set switch', 'exactly one value'],
      ['lead bob', 'mention exactly one person'],
      ['window c 2026-12-01 22:00', 'a or b'],
      ['window a tomorrow', 'give the start as'],
      ['window a 2026-12-01 22:00 Narnia', 'neither a time zone'],
      ['fly away', 'is not a pra-upgrade command'],
    ];
    for (const [text, problem] of cases) {
      const parsed = parseCommandText(text);
      expect(parsed.ok, text).toBe(false);
      if (!parsed.ok) expect(parsed.problems.join(' '), text).toContain(problem);
    }
  });
});

describe('the verb table', () => {
  it('gives every verb a usage of its own name and a line in help, and parses its name', () => {
    for (const verb of VERBS) {
      expect(verb.usage.startsWith(`/pra-upgrade ${verb.name}`), verb.name).toBe(true);
      expect(HELP_TEXT, verb.name).toContain(`/pra-upgrade ${verb.name}`);
      const parsed = parseCommandText(verb.name.toUpperCase());
      expect(parsed.ok ? parsed.command.verb : parsed.usage, verb.name).toBe(
        parsed.ok ? verb.name : verb.usage,
      );
    }
  });
});
