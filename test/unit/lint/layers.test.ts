import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../../..');
const BIOME = join(ROOT, 'node_modules/.bin/biome');

/**
 * Lints a small tree of fixtures with the project's own biome.json (only the VCS integration is off,
 * since the copy is not a git checkout) and returns `file rule` for every diagnostic.
 */
async function lint(files: Record<string, string>): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'pra-lint-'));
  try {
    const config = JSON.parse(await readFile(join(ROOT, 'biome.json'), 'utf8'));
    delete config.$schema;
    config.vcs = { enabled: false };
    await writeFile(join(dir, 'biome.json'), JSON.stringify(config));
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    const output = await run(BIOME, ['lint', '--max-diagnostics=100', '.'], { cwd: dir }).then(
      ({ stdout, stderr }) => stdout + stderr,
      (error: { stdout: string; stderr: string }) => error.stdout + error.stderr,
    );
    return [...output.matchAll(/^(\S+\.ts):\d+:\d+ lint\/(\S+)/gm)].map((m) => `${m[1]} ${m[2]}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('the layers Biome enforces', () => {
  let diagnostics: string[];
  beforeAll(async () => {
    diagnostics = await lint({
      'src/db/repositories/reaches-services.ts':
        "import { applyCommand } from '../../services/apply-command.js';\nexport const run = applyCommand;\n",
      'src/db/repositories/reaches-slack.ts':
        "import type { App } from '../../slack/app.js';\nexport type Bolt = App;\n",
      'src/db/reaches-scheduler.ts':
        "import { JOBS } from '../scheduler/jobs/index.js';\nexport const jobs = JOBS;\n",
      'src/scheduler/jobs/reaches-db.ts':
        "import { listUpgrades } from '../../db/repositories/upgrades.js';\nexport const list = listUpgrades;\n",
      'src/scheduler/reaches-slack.ts':
        "import type { App } from '../slack/app.js';\nexport type Bolt = App;\n",
      'src/appliances/reaches-db.ts':
        "import { findUpgrade } from '../db/repositories/upgrades.js';\nexport const find = findUpgrade;\n",
      'src/appliances/reaches-verb.ts':
        "import { applyCommand } from '../services/apply-command.js';\nexport const run = applyCommand;\n",
      'src/engine/reaches-appliances.ts':
        "import { createApplianceClient } from '../appliances/client.js';\nexport const make = createApplianceClient;\n",
      'src/engine/reaches-logging.ts':
        "import type { Logger } from '../logging/logger.js';\nexport type L = Logger;\n",
      'src/scheduler/reaches-drizzle.ts': "import { sql } from 'drizzle-orm';\nexport const q = sql;\n",
      'src/scheduler/reaches-postgres.ts': "import postgres from 'postgres';\nexport const p = postgres;\n",
      'src/appliances/reaches-drizzle-core.ts':
        "import { pgTable } from 'drizzle-orm/pg-core';\nexport const t = pgTable;\n",
      'src/appliances/reaches-postgres.ts': "import postgres from 'postgres';\nexport const p = postgres;\n",
      'src/services/reaches-drizzle-core.ts':
        "import { pgTable } from 'drizzle-orm/pg-core';\nexport const t = pgTable;\n",
      'src/slack/reaches-drizzle-core.ts':
        "import { pgTable } from 'drizzle-orm/pg-core';\nexport const t = pgTable;\n",
      // Allowed: the appliance adapter implementing the services' port, a job calling a verb.
      'src/appliances/implements-port.ts':
        "import type { AppliancePort } from '../services/ports/appliances.js';\nexport type P = AppliancePort;\n",
      'src/scheduler/jobs/calls-verb.ts':
        "import { deliverDueReminders } from '../../services/deliver-due-reminders.js';\nexport const run = deliverDueReminders;\n",
      // Allowed: a service reaching down into the database layer.
      'src/services/reaches-db.ts':
        "import { loadSnapshot } from '../db/repositories/snapshots.js';\nexport const load = loadSnapshot;\n",
      'src/services/cycle/a.ts': "import { b } from './b.js';\nexport const a = (): number => b() + 1;\n",
      'src/services/cycle/b.ts': "import { a } from './a.js';\nexport const b = (): number => a() - 1;\n",
      // A cycle of type imports only, like the one fake-slack had, is refused too.
      'src/fake-slack/types-cycle/x.ts':
        "import type { Y } from './y.js';\nexport interface X {\n  y: Y;\n}\n",
      'src/fake-slack/types-cycle/y.ts':
        "import type { X } from './x.js';\nexport interface Y {\n  x: X;\n}\n",
    });
  }, 30_000);

  it('refuses db importing from services, slack or scheduler', () => {
    expect(diagnostics).toContain('src/db/repositories/reaches-services.ts style/noRestrictedImports');
    expect(diagnostics).toContain('src/db/repositories/reaches-slack.ts style/noRestrictedImports');
    expect(diagnostics).toContain('src/db/reaches-scheduler.ts style/noRestrictedImports');
  });

  it('refuses a job reaching the database or Slack, the appliance adapter reaching past its port', () => {
    for (const file of [
      'src/scheduler/jobs/reaches-db.ts',
      'src/scheduler/reaches-slack.ts',
      'src/appliances/reaches-db.ts',
      'src/appliances/reaches-verb.ts',
    ]) {
      expect(diagnostics).toContain(`${file} style/noRestrictedImports`);
    }
    expect(diagnostics.filter((d) => d.startsWith('src/appliances/implements-port.ts'))).toEqual([]);
    expect(diagnostics.filter((d) => d.startsWith('src/scheduler/jobs/calls-verb.ts'))).toEqual([]);
  });

  it('refuses drizzle (any of its entry points) and postgres outside the database layer', () => {
    for (const file of [
      'src/scheduler/reaches-drizzle.ts',
      'src/scheduler/reaches-postgres.ts',
      'src/appliances/reaches-drizzle-core.ts',
      'src/appliances/reaches-postgres.ts',
      'src/services/reaches-drizzle-core.ts',
      'src/slack/reaches-drizzle-core.ts',
    ]) {
      expect(diagnostics).toContain(`${file} style/noRestrictedImports`);
    }
  });

  it('refuses the engine reaching any other layer, the appliance adapter and logging included', () => {
    expect(diagnostics).toContain('src/engine/reaches-appliances.ts style/noRestrictedImports');
    expect(diagnostics).toContain('src/engine/reaches-logging.ts style/noRestrictedImports');
  });

  it('lets a service import the database layer', () => {
    expect(diagnostics.filter((d) => d.startsWith('src/services/reaches-db.ts'))).toEqual([]);
  });

  it('refuses an import cycle, of values or of types only', () => {
    expect(diagnostics).toContain('src/services/cycle/a.ts suspicious/noImportCycles');
    expect(diagnostics).toContain('src/services/cycle/b.ts suspicious/noImportCycles');
    expect(diagnostics).toContain('src/fake-slack/types-cycle/x.ts suspicious/noImportCycles');
  });
});
