import { z } from 'zod';
import { SNOOZE_DURATIONS, TIME_RULES } from '../engine/constants.js';
import { ACTIONS } from './action-ids.js';

// Button values and modal metadata: JSON the bot writes into messages and parses back, never trusts.

export const stepButtonValue = z.object({
  upgradeId: z.uuid(),
  check: z.string().max(40).optional(),
});
export type StepButtonValue = z.infer<typeof stepButtonValue>;

/** A step menu option: the upgrade and the button it stands for (Slack allows 150 characters). */
const STEP_MENU_ACTIONS = [ACTIONS.showInstructions, ACTIONS.reportProblem, ACTIONS.undoStep] as const;
export const stepMenuValue = z.object({ upgradeId: z.uuid(), action: z.enum(STEP_MENU_ACTIONS) });
export type StepMenuValue = z.infer<typeof stepMenuValue>;

export const problemButtonValue = z.object({ upgradeId: z.uuid(), problemId: z.number().int().positive() });
export type ProblemButtonValue = z.infer<typeof problemButtonValue>;

export const upgradeButtonValue = z.object({ upgradeId: z.uuid() });
export type UpgradeButtonValue = z.infer<typeof upgradeButtonValue>;

export const snoozeButtonValue = z.object({
  upgradeId: z.uuid(),
  duration: z.enum(SNOOZE_DURATIONS),
  reminder: z.object({
    rule: z.enum(TIME_RULES),
    scope: z.string().max(80).nullable(),
    anchor: z.string().max(40),
    occurrence: z.number().int().positive(),
  }),
});
export type SnoozeButtonValue = z.infer<typeof snoozeButtonValue>;

/** What a modal remembers between opening and submission. */
export const modalMetadata = z.object({
  upgradeId: z.uuid(),
  step: z.string().max(80).nullable(),
  problemId: z.number().int().positive().nullable(),
  /** A step's check, when the modal confirms the check rather than the step. */
  check: z.string().max(40).optional(),
  /** The response_url of the click that opened the modal, to answer the person afterwards. */
  responseUrl: z.url().nullable(),
});
export type ModalMetadata = z.infer<typeof modalMetadata>;

export function encode(
  value:
    | StepButtonValue
    | StepMenuValue
    | ProblemButtonValue
    | UpgradeButtonValue
    | SnoozeButtonValue
    | ModalMetadata,
): string {
  return JSON.stringify(value);
}

/** Parses a JSON string with a schema; any failure (bad JSON, wrong shape) is a null, never a throw. */
export function decode<T>(schema: z.ZodType<T>, raw: string | undefined): T | null {
  if (raw === undefined) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
