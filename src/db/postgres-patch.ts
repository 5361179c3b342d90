import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The marks `patches/postgres+3.4.9.patch` leaves in postgres.js's ES module sources. */
const MARK = 'pra-upgrade patch';
const MARKS_PER_FILE = { 'connection.js': 1, 'index.js': 2 } as const;

export class PostgresUnpatchedError extends Error {
  constructor(detail: string) {
    super(
      `postgres.js is installed without this project's patch (patches/postgres+3.4.9.patch): ${detail}. ` +
        'Without it a transaction can hang when PostgreSQL ends a session. Install with `npm ci` ' +
        '(its postinstall script applies the patch; `--ignore-scripts` skips it), or run `npx patch-package`.',
    );
    this.name = 'PostgresUnpatchedError';
  }
}

/** Where the postgres.js this process imports keeps its ES module sources. */
export function installedPostgresDir(): string {
  return dirname(fileURLToPath(import.meta.resolve('postgres')));
}

let installedChecked = false;

/**
 * Refuses a postgres.js without the patch: an install with scripts off (`npm ci --ignore-scripts`)
 * runs, and only hangs on the day PostgreSQL restarts. The installed copy is checked once.
 */
export function assertPostgresPatched(dir?: string): void {
  if (dir === undefined && installedChecked) return;
  const sources = dir ?? installedPostgresDir();
  for (const [file, wanted] of Object.entries(MARKS_PER_FILE)) {
    const path = join(sources, file);
    let source: string;
    try {
      source = readFileSync(path, 'utf8');
    } catch {
      throw new PostgresUnpatchedError(`${path} cannot be read`);
    }
    if (source.split(MARK).length - 1 < wanted) throw new PostgresUnpatchedError(`${path} lacks its changes`);
  }
  if (dir === undefined) installedChecked = true;
}
