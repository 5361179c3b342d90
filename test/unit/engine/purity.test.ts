import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startUpgrade, transition } from '../../../src/engine/index.js';
import { finishThrough, LEAD, person, T0 } from '../../support/engine.js';

const ENGINE = join(import.meta.dirname, '../../../src/engine');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('the engine is pure', () => {
  // Biome refuses Slack, database, cron and process.env imports; luxon's own clock is checked here.
  it.each(sources(ENGINE).map((p) => [p.slice(ENGINE.length + 1), p]))(
    '%s never reads the clock',
    (_name, path) => {
      const text = readFileSync(path, 'utf8');
      expect(text).not.toMatch(/DateTime\.(now|local|utc)\(\s*\)/);
      expect(text).not.toMatch(/\bDate\.now\(|new Date\(|Math\.random\(|process\./);
      expect(text).not.toMatch(/from '(@slack\/|drizzle-orm|postgres|node-cron|@electric-sql)/);
    },
  );

  it('keeps its state as plain data that round-trips through JSON', () => {
    const s = startUpgrade({ plan: 'async', options: {}, lead: LEAD }, T0);
    if (!s.ok) throw new Error('start');
    const deep = finishThrough(s.state, 'b.promote').state;
    const revived = JSON.parse(JSON.stringify(deep));
    expect(revived).toStrictEqual(deep);
    const a = transition(deep, { type: 'claim', actor: person(LEAD), step: 'a.update.download-key' }, T0);
    const b = transition(revived, { type: 'claim', actor: person(LEAD), step: 'a.update.download-key' }, T0);
    expect(b).toStrictEqual(a);
  });
});
