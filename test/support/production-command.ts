import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const ROOT = join(import.meta.dirname, '../..');

/** The Docker image's CMD as written (`node <flags> dist/main.js`). */
function dockerCommand(): string[] {
  const line = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('CMD '));
  const command = z
    .array(z.string())
    .min(2)
    .parse(JSON.parse(line?.slice(4) ?? 'null'));
  if (command[0] !== 'node') throw new Error(`the Dockerfile's CMD does not start with node: ${line}`);
  return command;
}

/** The Node flags production runs with, so the tests and the benchmark start the bot the same way. */
export function productionNodeFlags(): string[] {
  return dockerCommand().slice(1, -1);
}

/** The flags and the script, its path absolute so any working directory will do. */
export function productionNodeArgs(): string[] {
  return [...productionNodeFlags(), join(ROOT, dockerCommand().at(-1) ?? '')];
}

/** The CMD as one line, for comparing with `npm start`. */
export function productionCommandLine(): string {
  return dockerCommand().join(' ');
}
