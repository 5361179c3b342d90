import { z } from 'zod';
import { applyInUpgradeChannel } from './in-upgrade-channel.js';
import { defineVerb, helpLine } from './verb.js';

const resolution = z.object({
  problemId: z.number().int().positive().nullable(),
  resolution: z.string().trim().min(3, 'say how the problem was resolved'),
});

/** `resolve [#n] <how>`: records how a problem was resolved. */
export const resolve = defineVerb({
  name: 'resolve',
  usage: '/pra-upgrade resolve [#problem] <how it was resolved>',
  help: [
    helpLine(
      'resolve [#n] <how it was resolved>',
      'records how a problem was resolved; a base-software problem holds the upgrade until then.',
    ),
  ],
  parser: z
    .object({ rest: z.string() })
    .transform(({ rest }) => {
      // Only `#12` names a problem: "resolve 2 packages reinstalled" is a sentence, not problem 2.
      const numbered = /^#(\d+)\s+(.*)$/s.exec(rest);
      return {
        problemId: numbered ? Number(numbered[1]) : null,
        resolution: numbered ? (numbered[2] ?? '') : rest,
      };
    })
    .pipe(resolution),
  handle: (call) =>
    applyInUpgradeChannel(call, 'resolve', {
      type: 'resolve-problem',
      problemId: call.args.problemId,
      resolution: call.args.resolution,
    }),
});
