import { describe, expect, it } from 'vitest';
import { parseLength } from '../../../../src/slack/parse/durations.js';
import { parseWindow } from '../../../../src/slack/parse/window.js';

describe('windows and lengths', () => {
  it('turns a local time in a zone into a window with the right offset', () => {
    expect(parseWindow('2026-12-01 22:00', 'Europe/Amsterdam', '2h')).toEqual({
      ok: true,
      window: { startsAt: '2026-12-01T22:00:00.000+01:00', zone: 'Europe/Amsterdam', length: 'PT2H' },
    });
    expect(parseWindow('2027-07-01T22:00', 'America/New_York', 'PT90M')).toMatchObject({
      ok: true,
      window: { startsAt: '2027-07-01T22:00:00.000-04:00' },
    });
  });

  it('refuses a time that does not exist because the clocks go forward', () => {
    const parsed = parseWindow('2027-03-28 02:30', 'Europe/Amsterdam', '2h');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toContain('does not exist in Europe/Amsterdam');
    expect(parseWindow('2027-03-14 02:30', 'America/New_York', '2h').ok).toBe(false);
  });

  it('refuses bad dates, zones and lengths', () => {
    expect(parseWindow('2026-02-30 10:00', 'UTC', '2h').ok).toBe(false);
    expect(parseWindow('2026-12-01 10:00', 'Mars/Base', '2h').ok).toBe(false);
    expect(parseWindow('2026-12-01 10:00', 'UTC', 'forever').ok).toBe(false);
  });

  it('reads short and ISO lengths', () => {
    expect(parseLength('2h')).toBe('PT2H');
    expect(parseLength('90m')).toBe('PT90M');
    expect(parseLength('3d')).toBe('P3D');
    expect(parseLength('P2D')).toBe('P2D');
    expect(parseLength('pt36h')).toBe('PT36H');
    expect(parseLength('0h')).toBeNull();
    expect(parseLength('soon')).toBeNull();
  });
});
