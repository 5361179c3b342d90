import { type ParsedCommand, USAGE, verbNamed } from './verbs/index.js';
import type { CommandCall } from './verbs/verb.js';

export type CommandParse =
  | { ok: true; command: ParsedCommand }
  | { ok: false; problems: string[]; usage: string };

export type CommandRead =
  | { ok: true; command: ParsedCommand; run: (call: CommandCall) => Promise<void> }
  | { ok: false; problems: string[]; usage: string };

/** Finds the verb (no verb at all is `help`) and checks its arguments with the verb's own parser. */
export function readCommandText(text: string): CommandRead {
  const trimmed = text.trim();
  const [verbWord = '', ...words] = trimmed.split(/\s+/);
  const verb = verbNamed(verbWord.toLowerCase() || 'help');
  if (!verb) {
    return {
      ok: false,
      problems: [`“${verbWord}” is not a pra-upgrade command`],
      usage: Object.values(USAGE).join('\n'),
    };
  }
  const read = verb.read({ words, rest: trimmed.slice(verbWord.length).trim() });
  if (!read.ok) return { ok: false, problems: read.problems, usage: verb.usage };
  // The verb's parser produced exactly its own arguments, so this is that verb's member of the union.
  const command = { verb: verb.name, ...read.args } as ParsedCommand;
  return { ok: true, command, run: read.run };
}

export function parseCommandText(text: string): CommandParse {
  const read = readCommandText(text);
  return read.ok ? { ok: true, command: read.command } : read;
}
