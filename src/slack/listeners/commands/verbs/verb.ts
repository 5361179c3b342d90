import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { z } from 'zod';
import type { ServiceContext } from '../../../../services/shared/context.js';
import type { ListenerDeps } from '../../context.js';
import type { SlashCommandPayload } from '../../payloads.js';

/** The text after the verb, as words and as it was typed. */
export interface VerbInput {
  words: string[];
  rest: string;
}

/** What every verb's handler gets once the command was acked and parsed. */
export interface CommandCall {
  payload: SlashCommandPayload;
  ctx: ServiceContext;
  deps: ListenerDeps;
  client: WebClient;
  respond: RespondFn;
}

export interface VerbCall<A> extends CommandCall {
  args: A;
  /** The verb's own usage, for the messages that say how to write it. */
  usage: string;
}

/**
 * One `/pra-upgrade` verb: the parser, the dispatcher, `help` and the usage shown on errors are all
 * derived from these definitions (verbs/index.ts lists them).
 */
export interface Verb<N extends string = string, A extends object = object> {
  name: N;
  /** The correct form, shown when the verb was written wrong. */
  usage: string;
  /** Its lines in `/pra-upgrade help`. */
  help: readonly string[];
  /** Checks the words after the verb; its issue messages are shown to the person as they are. */
  parser: z.ZodType<A, Partial<VerbInput>>;
  handle(call: VerbCall<A>): Promise<void>;
}

export type VerbRead =
  | { ok: true; args: object; run: (call: CommandCall) => Promise<void> }
  | { ok: false; problems: string[] };

/** A verb the dispatcher can run without knowing its argument type. */
export interface DefinedVerb<N extends string = string, A extends object = object> extends Verb<N, A> {
  read(input: VerbInput): VerbRead;
}

function problemsOf(error: z.ZodError): string[] {
  return [...new Set(error.issues.map((issue) => issue.message))];
}

export function defineVerb<const N extends string, A extends object>(verb: Verb<N, A>): DefinedVerb<N, A> {
  return {
    ...verb,
    read(input) {
      const parsed = verb.parser.safeParse(input);
      if (!parsed.success) return { ok: false, problems: problemsOf(parsed.error) };
      const args = parsed.data;
      return { ok: true, args, run: (call) => verb.handle({ ...call, args, usage: verb.usage }) };
    },
  };
}

/** A line of `help`: the form in bold code, then what it does. */
export function helpLine(form: string, what: string): string {
  return `*\`/pra-upgrade ${form}\`*: ${what}`;
}
