import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const SESSION = join(ROOT, 'test/support/pglite-session.ts');

describe('the embedded PGlite database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pra-pglite-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps an upgrade across a restart of the process', async () => {
    const env = { ...process.env, DATABASE_URL: '' };
    const written = await run(TSX, [SESSION, 'write', dataDir], { cwd: ROOT, env });
    const upgradeId = written.stdout.trim();
    expect(upgradeId).toMatch(/^[0-9a-f-]{36}$/);
    const read = await run(TSX, [SESSION, 'read', dataDir, upgradeId], { cwd: ROOT, env });
    expect(JSON.parse(read.stdout)).toEqual({ version: 2, window: 'done' });
  }, 60_000);
});
