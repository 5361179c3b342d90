import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase, DataDirInUseError } from '../../../src/db/client.js';

describe('the embedded database serves one process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pra-lock-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a second opener of the same DATA_DIR, and lets the next one in once the first closed', async () => {
    const first = createDatabase({ kind: 'pglite', dataDir });
    expect(() => createDatabase({ kind: 'pglite', dataDir })).toThrow(DataDirInUseError);
    await first.close();
    const next = createDatabase({ kind: 'pglite', dataDir });
    await next.close();
  });

  it('takes over the lock of a process that is gone', async () => {
    // A pid far above Linux's maximum stands for a process that died without cleaning up.
    writeFileSync(join(dataDir, 'pglite.lock'), '99999999');
    const database = createDatabase({ kind: 'pglite', dataDir });
    await database.close();
  });
});
