import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase } from '../../../src/db/client.js';
import {
  assertPostgresPatched,
  installedPostgresDir,
  installedPostgresPatch,
  PostgresUnpatchedError,
  patchedHunks,
} from '../../../src/db/postgres-patch.js';

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pra-postgres-src-'));
  scratch.push(dir);
  return dir;
}

/** A copy of the installed postgres.js sources, to unpatch without touching node_modules. */
function copyOfInstalled(): string {
  const dir = scratchDir();
  cpSync(installedPostgresDir(), dir, { recursive: true });
  return dir;
}

const patch = readFileSync(installedPostgresPatch(), 'utf8');
const hunks = patchedHunks(patch);

/** The longest line the patch adds to one ES module source: one that stands once in the file. */
function distinctLineAddedTo(file: string): string {
  const section = patch.split(`+++ b/node_modules/postgres/src/${file}\n`)[1]?.split('\ndiff --git')[0] ?? '';
  const added = section
    .split('\n')
    .filter((line) => line.startsWith('+'))
    .map((line) => line.slice(1).trim());
  return added.reduce((longest, line) => (line.length > longest.length ? line : longest), '');
}

describe('the postgres.js patch', () => {
  it('is applied to the postgres.js this project installs, so a database can be made', async () => {
    expect(() =>
      assertPostgresPatched({ sources: installedPostgresDir(), patch: installedPostgresPatch() }),
    ).not.toThrow();
    // No connection is opened until a query: the check is what would have refused.
    const database = createDatabase({ kind: 'postgres', url: 'postgres://127.0.0.1:1/none' });
    expect(database.kind).toBe('postgres');
    await database.close();
  });

  it('reads each hunk of the ES module sources as the patch leaves it, not those of the CommonJS copies', () => {
    expect([...hunks.keys()].sort()).toEqual(['connection.js', 'index.js', 'queue.js']);
    // queue.js's one hunk: three lines of context on either side of the line added.
    expect(hunks.get('queue.js')).toEqual([
      [
        ': (xs.splice(index, 1), x)',
        '},',
        'push: (x) => (xs.push(x), x),',
        'peek: () => xs[index],',
        'shift: () => {',
        'const out = xs[index++]',
        '',
      ],
    ]);
  });

  it.each(['connection.js', 'index.js', 'queue.js'])(
    'is refused when %s lacks one line of its changes, saying how to install',
    (file) => {
      const dir = copyOfInstalled();
      const path = join(dir, file);
      const line = distinctLineAddedTo(file);
      const source = readFileSync(path, 'utf8');
      expect(source.split(line).length - 1).toBe(1);
      writeFileSync(path, source.replace(line, ''));
      const check = () => assertPostgresPatched({ sources: dir, patch: installedPostgresPatch() });
      expect(check).toThrow(PostgresUnpatchedError);
      expect(check).toThrow(new RegExp(`${file.replace('.', '\\.')} lacks its changes`));
      expect(check).toThrow(/npm ci.*--ignore-scripts.*patch-package/);
    },
  );

  it('refuses an install made with an earlier revision of the patch', () => {
    const later = join(scratchDir(), 'postgres+later.patch');
    // A later revision adds a second line to queue.js's hunk (the last file of the patch).
    const at = patch.lastIndexOf('@@ -15,6 +15,7 @@');
    const revised = patch
      .slice(at)
      .replace('@@ -15,6 +15,7 @@', '@@ -15,6 +15,8 @@')
      .replace(
        '+    peek: () => xs[index],\n',
        '+    peek: () => xs[index],\n+    size: () => xs.length - index,\n',
      );
    writeFileSync(later, patch.slice(0, at) + revised);
    expect(patchedHunks(readFileSync(later, 'utf8')).get('queue.js')?.[0]).toContain(
      'size: () => xs.length - index,',
    );
    expect(() => assertPostgresPatched({ sources: installedPostgresDir(), patch: later })).toThrow(
      /queue\.js lacks its changes/,
    );
  });

  it('reads the patch as patch-package does: CRLF line ends, blank context lines without their space', () => {
    const check = (text: string) => {
      const path = join(scratchDir(), 'postgres+copy.patch');
      writeFileSync(path, text);
      expect(patchedHunks(text)).toEqual(hunks);
      expect(() => assertPostgresPatched({ sources: installedPostgresDir(), patch: path })).not.toThrow();
    };
    expect(patch).toMatch(/\n \n/);
    check(patch.replaceAll('\n', '\r\n'));
    check(patch.replaceAll(/^ $/gm, ''));
  });

  it('is refused when there is no patch for the version installed, or it changes no source', () => {
    const none = join(scratchDir(), 'postgres+0.0.0.patch');
    expect(() => assertPostgresPatched({ sources: installedPostgresDir(), patch: none })).toThrow(
      /no patch for the postgres\.js version installed/,
    );
    const cjsOnly = join(scratchDir(), 'postgres+cjs.patch');
    writeFileSync(cjsOnly, '+++ b/node_modules/postgres/cjs/src/queue.js\n+    peek: () => xs[index],\n');
    expect(() => assertPostgresPatched({ sources: installedPostgresDir(), patch: cjsOnly })).toThrow(
      /changes none of postgres\.js's sources/,
    );
  });

  it('is refused when the sources cannot be read', () => {
    const dir = copyOfInstalled();
    rmSync(join(dir, 'connection.js'));
    expect(() => assertPostgresPatched({ sources: dir, patch: installedPostgresPatch() })).toThrow(
      /connection\.js cannot be read/,
    );
  });
});
