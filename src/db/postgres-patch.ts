import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** patches/ at the project's root, from src/db or dist/db alike (the Docker image copies it too). */
const PATCHES_DIR = fileURLToPath(new URL('../../patches/', import.meta.url));

export class PostgresUnpatchedError extends Error {
  constructor(detail: string) {
    super(
      `postgres.js is installed without this project's patch (patches/): ${detail}. ` +
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

/** The project's patch for the postgres.js installed: patch-package names it by the version it fits. */
export function installedPostgresPatch(): string {
  const manifest = join(installedPostgresDir(), '..', 'package.json');
  const { version } = z.object({ version: z.string() }).parse(JSON.parse(readFileSync(manifest, 'utf8')));
  return join(PATCHES_DIR, `postgres+${version}.patch`);
}

/**
 * What each hunk of a patch leaves in postgres.js's ES module sources (`src/<file>`, the ones this
 * process imports; the CommonJS copies are left aside): its context and added lines in order, trimmed.
 */
export function patchedHunks(patch: string): Map<string, string[][]> {
  const hunks = new Map<string, string[][]>();
  let file: string | null = null;
  let hunk: string[] | null = null;
  // New-side lines the current hunk has still to give, as its `@@ -a,b +c,d @@` header counts them.
  let left = 0;
  // CRLF or LF; a blank context line saved without its space still counts, as patch-package reads it.
  for (const line of patch.split(/\r?\n/)) {
    if (hunk && left > 0) {
      if (line.startsWith('-') || line.startsWith('\\')) continue;
      hunk.push(line.slice(1).trim());
      left--;
    } else if (line.startsWith('+++ ')) {
      file = /^\+\+\+ b\/node_modules\/postgres\/src\/(.+)$/.exec(line)?.[1] ?? null;
    } else if (file && line.startsWith('@@')) {
      const newSide = /^@@ -\d+(?:,\d+)? \+\d+(?:,(\d+))? @@/.exec(line);
      if (!newSide) continue;
      left = Number(newSide[1] ?? '1');
      hunk = [];
      hunks.set(file, [...(hunks.get(file) ?? []), hunk]);
    }
  }
  return hunks;
}

/** Whether `part` stands in `lines` as one run, line after line. */
function standsIn(lines: string[], part: string[]): boolean {
  for (let start = 0; start + part.length <= lines.length; start++) {
    if (part.every((line, i) => lines[start + i] === line)) return true;
  }
  return false;
}

let installedChecked = false;

/**
 * Refuses a postgres.js without the patch: an install with scripts off (`npm ci --ignore-scripts`)
 * runs, and only hangs on the day PostgreSQL restarts. Each hunk must stand in the sources as the patch
 * leaves it, so an install made with another revision of the patch is refused too.
 */
export function assertPostgresPatched(copy?: { sources: string; patch: string }): void {
  if (copy === undefined && installedChecked) return;
  const sources = copy?.sources ?? installedPostgresDir();
  let patchPath: string;
  let patch: string;
  try {
    patchPath = copy?.patch ?? installedPostgresPatch();
    patch = readFileSync(patchPath, 'utf8');
  } catch {
    throw new PostgresUnpatchedError(
      'there is no patch for the postgres.js version installed (the version in package-lock.json is the one patched)',
    );
  }
  const hunks = patchedHunks(patch);
  if (hunks.size === 0)
    throw new PostgresUnpatchedError(`${patchPath} changes none of postgres.js's sources`);
  for (const [file, fileHunks] of hunks) {
    const path = join(sources, file);
    let lines: string[];
    try {
      lines = readFileSync(path, 'utf8')
        .split('\n')
        .map((line) => line.trim());
    } catch {
      throw new PostgresUnpatchedError(`${path} cannot be read`);
    }
    const missing = fileHunks.findIndex((hunk) => !standsIn(lines, hunk));
    if (missing >= 0) throw new PostgresUnpatchedError(`${path} lacks its changes (hunk ${missing + 1})`);
  }
  if (copy === undefined) installedChecked = true;
}
