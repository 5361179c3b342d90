import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../src/local-workspace/clock.js';
import { blocksHtml, type RenderContext } from '../../../src/local-workspace/page/blocks.js';
import { formatSlackDate, mrkdwnToHtml } from '../../../src/local-workspace/page/mrkdwn.js';
import { escapeText } from '../../../src/slack/blocks/format.js';

const NOW = DateTime.fromISO('2026-12-01T21:30:00Z', { zone: 'utc' });
const ctx = (zone: string): RenderContext => ({
  userName: (id) => ({ UALICE: 'alice' })[id],
  channelName: (id) => ({ CGEN: 'general' })[id],
  zone,
  now: NOW,
});

describe('mrkdwn on the page', () => {
  it('shows text a person typed as text: no link, no mention, no @channel', () => {
    for (const typed of [
      '<https://evil.example|click>',
      '<!channel>',
      '<@U123>',
      '<#C1|x>',
      '<b>x</b>',
      '&amp;',
    ]) {
      const html = mrkdwnToHtml(`Reason: ${escapeText(typed)}`, ctx('UTC'));
      expect(html).not.toMatch(/<a |class="mention"|<b>/);
      // The browser shows exactly what was typed.
      const shown = html
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&');
      expect(shown).toBe(`Reason: ${typed}`);
    }
  });

  it('does not turn bare URLs into links, but draws the bot’s own links and mentions', () => {
    const html = mrkdwnToHtml(
      'See https://bare.example and <https://btupdate.com|btupdate> <@UALICE> <#CGEN> <!here>',
      ctx('UTC'),
    );
    expect(html).not.toContain('href="https://bare.example');
    expect(html).toContain(
      '<a rel="noopener noreferrer" href="https://btupdate.com" target="_blank">btupdate</a>',
    );
    expect(html).toContain('<span class="mention">@alice</span>');
    expect(html).toContain('#general</a>');
    expect(html).toContain('<span class="mention">@here</span>');
  });

  it('draws bold, italics, strike, code and quotes', () => {
    const html = mrkdwnToHtml('*b* _i_ ~s~ `c`\n> q', ctx('UTC'));
    expect(html).toContain('<strong>b</strong>');
    expect(html).toContain('<em>i</em>');
    expect(html).toContain('<del>s</del>');
    expect(html).toContain('<code>c</code>');
    expect(html).toContain('<blockquote>q</blockquote>');
  });

  it('shows <!date^…> in the reader’s own zone', () => {
    const seconds = DateTime.fromISO('2026-12-01T22:00:00Z').toSeconds();
    const token = `<!date^${seconds}^{date_short_pretty} at {time}|1 Dec 22:00 UTC>`;
    expect(mrkdwnToHtml(token, ctx('Europe/Amsterdam'))).toContain('Today at 23:00');
    expect(mrkdwnToHtml(token, ctx('America/New_York'))).toContain('Today at 17:00');
    expect(formatSlackDate(seconds + 86_400, '{date_pretty}', ctx('UTC'))).toBe('Tomorrow');
    expect(formatSlackDate(seconds, '{date_num} {date_long}', ctx('UTC'))).toBe(
      '2026-12-01 Tuesday, December 1st, 2026',
    );
  });
});

describe('Block Kit on the page', () => {
  const surface = { kind: 'message', channel: 'C1', ts: '1.1' } as const;

  it('draws every button style and an overflow menu with its confirm dialog', () => {
    const html = blocksHtml(
      [
        {
          type: 'actions',
          block_id: 'step:a.backup',
          elements: [
            {
              type: 'button',
              action_id: 'a',
              text: { type: 'plain_text', text: 'Done' },
              style: 'primary',
              value: 'v',
            },
            {
              type: 'button',
              action_id: 'b',
              text: { type: 'plain_text', text: 'Abort' },
              style: 'danger',
              value: 'v',
            },
            { type: 'button', action_id: 'c', text: { type: 'plain_text', text: 'Plain' }, value: 'v' },
            {
              type: 'overflow',
              action_id: 'd',
              options: [
                { text: { type: 'plain_text', text: 'Undo' }, value: 'undo' },
                { text: { type: 'plain_text', text: 'Report <problem>' }, value: 'report' },
              ],
              confirm: {
                title: { type: 'plain_text', text: 'Sure?' },
                text: { type: 'mrkdwn', text: 'Undo *this*' },
                confirm: { type: 'plain_text', text: 'Undo it' },
                deny: { type: 'plain_text', text: 'Keep' },
                style: 'danger',
              },
            },
          ],
        },
      ],
      surface,
      ctx('UTC'),
    );
    expect(html).toContain('class="btn btn-primary"');
    expect(html).toContain('class="btn btn-danger"');
    expect(html).toContain('class="btn"');
    expect(html).toContain('<details class="overflow">');
    expect(html).toContain('data-option="1"');
    expect(html).toContain('Report &lt;problem&gt;');
    expect(html).toContain('data-confirm=');
    expect(html).toContain('Undo it');
    // Values stay on the server: the page only names the element.
    expect(html).not.toContain('"v"');
  });

  it('draws sections with fields and an accessory, and inputs with their errors', () => {
    const html = blocksHtml(
      [
        {
          type: 'section',
          block_id: 's',
          text: { type: 'mrkdwn', text: '*Step*' },
          fields: [
            { type: 'mrkdwn', text: 'A' },
            { type: 'plain_text', text: 'B <x>' },
          ],
          accessory: { type: 'button', action_id: 'x', text: { type: 'plain_text', text: 'Go' } },
        },
        {
          type: 'input',
          block_id: 'reason',
          label: { type: 'plain_text', text: 'Why?' },
          element: {
            type: 'plain_text_input',
            action_id: 'value',
            multiline: false,
            min_length: 3,
            max_length: 500,
          },
        },
      ],
      { kind: 'view', viewId: 'V1' },
      { ...ctx('UTC'), errors: { reason: 'Please write more.' } },
    );
    expect(html).toContain(
      '<div class="fields"><div class="field">A</div><div class="field">B &lt;x&gt;</div></div>',
    );
    expect(html).toContain('<div class="accessory"><button');
    expect(html).toContain('name="reason/value"');
    expect(html).toContain('maxlength="500"');
    expect(html).toContain('Please write more.');
  });

  it('says so when it meets a block it cannot draw', () => {
    expect(blocksHtml([{ type: 'video' }], surface, ctx('UTC'))).toContain('Unsupported block: video');
  });

  it('follows link buttons and shows images from http(s) addresses only', () => {
    const text = { type: 'plain_text', text: 'Open' };
    const drawn = (url: string) =>
      blocksHtml(
        [
          { type: 'actions', elements: [{ type: 'button', action_id: 'go', text, url }] },
          { type: 'image', image_url: url, alt_text: 'chart' },
        ],
        surface,
        ctx('UTC'),
      );
    for (const url of [
      'javascript:alert(1)',
      'data:text/html,<b>x</b>',
      'JaVaScRiPt:alert(1)',
      'not a url',
    ]) {
      const html = drawn(url);
      expect(html, url).not.toMatch(/javascript|data:/i);
      expect(html, url).not.toContain('href="');
      expect(html, url).toContain('src=""');
    }
    const fine = drawn('https://docs.example/guide');
    expect(fine).toContain('href="https://docs.example/guide"');
    expect(fine).toContain('src="https://docs.example/guide"');
  });
});

describe('the simulated clock', () => {
  it('moves forward only, and to a moment just past a due time', () => {
    const real = Date.parse('2026-12-01T12:00:00Z');
    const clock = new SimulatedClock(0, () => real);
    expect(clock.now().toISO()).toBe('2026-12-01T12:00:00.000Z');
    clock.advance(DateTime.fromMillis(0).plus({ hours: 1 }).diff(DateTime.fromMillis(0)));
    expect(clock.now().toISO()).toBe('2026-12-01T13:00:00.000Z');
    expect(() => clock.advance(DateTime.fromMillis(0).diff(DateTime.fromMillis(0)))).toThrow(/forward/);
    clock.advanceTo(DateTime.fromISO('2026-12-02T09:00:00Z'));
    expect(clock.now() >= DateTime.fromISO('2026-12-02T09:00:00Z')).toBe(true);
    // A time already passed does not move it back.
    const before = clock.nowMs();
    clock.advanceTo(DateTime.fromISO('2026-11-01T00:00:00Z'));
    expect(clock.nowMs()).toBe(before);
  });
});
