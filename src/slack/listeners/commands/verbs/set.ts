import { z } from 'zod';
import { PLAN_OPTION_VALUES, PLAN_OPTIONS, type PlanOptionName } from '../../../../engine/constants.js';
import { applyInUpgradeChannel } from './in-upgrade-channel.js';
import { defineVerb, helpLine } from './verb.js';

/** What changing each option does, in `help`; options with the same words share a line. */
const WHAT_IT_CHANGES = {
  'method-a': 'changes the update method of an appliance.',
  'method-b': 'changes the update method of an appliance.',
  switch: 'changes how B becomes primary.',
  'base-only': 'base software only, or base and site.',
} satisfies Record<PlanOptionName, string>;

/** `set method-a|method-b auto|manual`, … : one form per group of options that take the same words. */
function forms(): { form: string; what: string }[] {
  const groups = new Map<string, { options: string[]; values: readonly string[]; what: string }>();
  for (const option of PLAN_OPTIONS) {
    const values = PLAN_OPTION_VALUES[option];
    const what = WHAT_IT_CHANGES[option];
    const key = `${values.join('|')} ${what}`;
    const group = groups.get(key) ?? { options: [], values, what };
    group.options.push(option);
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => ({
    form: `set ${g.options.join('|')} ${g.values.join('|')}`,
    what: g.what,
  }));
}

const words = z.tuple(
  [
    z.enum(PLAN_OPTIONS, { error: `say which option: ${PLAN_OPTIONS.join(', ')}` }),
    z.string({ error: 'give exactly one value for the option' }),
  ],
  { error: 'give exactly one value for the option' },
);

/** `set <option> <value>` while the steps it changes have not started; the engine checks the value. */
export const set = defineVerb({
  name: 'set',
  usage: `/pra-upgrade ${forms()
    .map((f) => f.form)
    .join('  ·  ')}`,
  help: forms().map((f) => helpLine(f.form, f.what)),
  parser: z
    .object({ words: z.array(z.string()) })
    .transform(({ words: [option, ...rest] }) => [option?.toLowerCase(), ...rest])
    .pipe(words)
    .transform(([option, value]) => ({ option, value })),
  handle: (call) =>
    applyInUpgradeChannel(call, 'set', {
      type: 'set-option',
      option: call.args.option,
      value: call.args.value,
    }),
});
