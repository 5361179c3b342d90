import { z } from 'zod';

/** The parser of a verb that takes nothing after it. */
export function noArguments(verb: string) {
  return z.object({ words: z.tuple([], { error: `${verb} takes nothing after it` }) }).transform(() => ({}));
}
