import { abort } from './abort.js';
import { help } from './help.js';
import { lead } from './lead.js';
import { list } from './list.js';
import { resolve } from './resolve.js';
import { set } from './set.js';
import { start } from './start.js';
import { status } from './status.js';
import type { DefinedVerb } from './verb.js';
import { window } from './window.js';

/** Every `/pra-upgrade` verb, in the order `help` lists them; a new verb is a file here and a line below. */
export const VERBS = [start, status, list, window, set, lead, resolve, abort, help] as const;

export type VerbName = (typeof VERBS)[number]['name'];

/** What `/pra-upgrade <text>` asks for, once parsed and checked: the verb's name and its arguments. */
export type ParsedCommand = {
  [I in keyof typeof VERBS]: (typeof VERBS)[I] extends DefinedVerb<infer N, infer A>
    ? { verb: N } & A
    : never;
}[number];

/** The usage of each verb, shown when it was written wrong. */
export const USAGE = Object.fromEntries(VERBS.map((verb) => [verb.name, verb.usage])) as Record<
  VerbName,
  string
>;

export function verbNamed(name: string): DefinedVerb | undefined {
  return VERBS.find((verb) => verb.name === name);
}
