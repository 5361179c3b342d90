import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase, DataDirInUseError } from '../../../src/db/client.js';

// Each PGlite start compiles PostgreSQL's WebAssembly: seconds alone, tens of seconds on a loaded machine.
const PGLITE_STARTS_MS = 120_000;

describe('the embedded database serves one process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pra-lock-'));
  const lockFile = join(dataDir, 'pglite.lock');
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it(
    'refuses a second opener of the same DATA_DIR, and lets the next one in once the first closed',
    async () => {
      const first = createDatabase({ kind: 'pglite', dataDir });
      expect(() => createDatabase({ kind: 'pglite', dataDir })).toThrow(DataDirInUseError);
      await first.close();
      const next = createDatabase({ kind: 'pglite', dataDir });
      expect(readFileSync(lockFile, 'utf8')).toBe(String(process.pid));
      await next.close();
      expect(existsSync(lockFile)).toBe(false);
    },
    PGLITE_STARTS_MS,
  );

  it(
    'takes over the lock of a process that is gone',
    async () => {
      // A pid far above Linux's maximum stands for a process that died without cleaning up.
      writeFileSync(lockFile, '99999999');
      const database = createDatabase({ kind: 'pglite', dataDir });
      // The lock is ours now: it names this process, and it holds against the next opener.
      expect(readFileSync(lockFile, 'utf8')).toBe(String(process.pid));
      expect(() => createDatabase({ kind: 'pglite', dataDir })).toThrow(DataDirInUseError);
      const answer = await database.db.execute(sql`select 1 as one`);
      const rows = Array.isArray(answer) ? answer : (answer as unknown as { rows: unknown[] }).rows;
      expect(rows).toEqual([{ one: 1 }]);
      await database.close();
      expect(existsSync(lockFile)).toBe(false);
    },
    PGLITE_STARTS_MS,
  );
});
