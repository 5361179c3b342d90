import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const ROOT = join(import.meta.dirname, '../..');

/**
 * The Node flags and script the Docker image's CMD runs (`node <flags> dist/main.js`), so the tests
 * and the benchmark start the bot exactly as production does, flags included. The script's path is
 * absolute, so any working directory will do.
 */
export function productionNodeArgs(): string[] {
  const line = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('CMD '));
  const command = z
    .array(z.string())
    .min(2)
    .parse(JSON.parse(line?.slice(4) ?? 'null'));
  if (command[0] !== 'node') throw new Error(`the Dockerfile's CMD does not start with node: ${line}`);
  const args = command.slice(1);
  return [...args.slice(0, -1), join(ROOT, args.at(-1) ?? '')];
}

/** The CMD as one line, for comparing with `npm start`. */
export function productionCommandLine(): string {
  const args = productionNodeArgs();
  return ['node', ...args.slice(0, -1), 'dist/main.js'].join(' ');
}
