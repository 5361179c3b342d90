import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase } from '../../../src/db/client.js';
import {
  assertPostgresPatched,
  installedPostgresDir,
  PostgresUnpatchedError,
} from '../../../src/db/postgres-patch.js';

const copies: string[] = [];
afterEach(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the installed postgres.js sources, to unpatch without touching node_modules. */
function copyOfInstalled(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pra-postgres-src-'));
  copies.push(dir);
  cpSync(installedPostgresDir(), dir, { recursive: true });
  return dir;
}

describe('the postgres.js patch', () => {
  it('is applied to the postgres.js this project installs, so a database can be made', async () => {
    expect(() => assertPostgresPatched(installedPostgresDir())).not.toThrow();
    // No connection is opened until a query: the check is what would have refused.
    const database = createDatabase({ kind: 'postgres', url: 'postgres://127.0.0.1:1/none' });
    expect(database.kind).toBe('postgres');
    await database.close();
  });

  it.each(['connection.js', 'index.js'])(
    'is refused when %s lacks its changes, saying how to install',
    (file) => {
      const dir = copyOfInstalled();
      const path = join(dir, file);
      writeFileSync(path, readFileSync(path, 'utf8').replaceAll('pra-upgrade patch', 'upstream'));
      expect(() => assertPostgresPatched(dir)).toThrow(PostgresUnpatchedError);
      expect(() => assertPostgresPatched(dir)).toThrow(/npm ci.*--ignore-scripts.*patch-package/);
    },
  );

  it("is refused when one of index.js's two changes is missing", () => {
    const dir = copyOfInstalled();
    const path = join(dir, 'index.js');
    writeFileSync(path, readFileSync(path, 'utf8').replace('pra-upgrade patch', 'upstream'));
    expect(() => assertPostgresPatched(dir)).toThrow(/index\.js lacks its changes/);
  });

  it('is refused when the sources cannot be read', () => {
    const dir = copyOfInstalled();
    rmSync(join(dir, 'connection.js'));
    expect(() => assertPostgresPatched(dir)).toThrow(/connection\.js cannot be read/);
  });
});
