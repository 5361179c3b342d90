import type { DateTime } from 'luxon';
import { refuse } from '../refusals.js';
import { stamp } from '../time.js';
import type {
  Effect,
  Plan,
  Readings,
  StepDefinition,
  StepEvidence,
  StepProgress,
  TransitionResult,
  UpgradeState,
} from '../types.js';
import { judge, verificationFor } from '../verification.js';
import { capitalise, quoted } from '../words.js';

/** What the appliances' answer means for a confirmation: go ahead (with evidence and effects) or a refusal. */
export type ApplianceDecision =
  | { ok: true; evidence: StepEvidence | null; effects: Effect[] }
  | { ok: false; result: TransitionResult };

/**
 * Judges the readings that came with a confirmation. Without a verification (no appliances linked, or
 * none for this step) the click alone decides, as it always did. An override (a reason) is accepted
 * only when the appliance could not be asked: a disagreeing appliance is never overruled.
 */
export function decideWithAppliances(args: {
  plan: Plan;
  state: UpgradeState;
  step: StepDefinition;
  check?: string;
  readings: Readings | undefined;
  override: string | undefined;
  by: string;
  now: DateTime;
}): ApplianceDecision {
  const { plan, state, step, check, readings, override, by, now } = args;
  const checked = verificationFor(plan, state, step.key, check);
  if (!checked) return { ok: true, evidence: null, effects: [] };
  const subject = check ? `${quoted(step.title)} (${check})` : quoted(step.title);
  if (!readings) {
    return {
      ok: false,
      result: refuse(
        'APPLIANCE_CHECK_REQUIRED',
        `${subject} is confirmed by the appliances on this upgrade; use the button on the step so the bot can ask them.`,
        { missing: [step.key] },
      ),
    };
  }
  const verdict = judge(plan, state, step, checked, readings);
  const at = stamp(now);
  const base = { verification: checked.verification, at, by, ...(check ? { check } : {}) };
  switch (verdict.verdict) {
    case 'agrees':
      return {
        ok: true,
        evidence: { ...base, outcome: 'agreed', text: verdict.evidence },
        effects: [
          {
            type: 'step-verified',
            step: step.key,
            verification: checked.verification,
            check: check ?? null,
            evidence: verdict.evidence,
          },
        ],
      };
    case 'disagrees':
      return {
        ok: false,
        result: refuse(
          'APPLIANCE_STATE',
          `${subject} is not confirmed: the appliance disagrees. ${capitalise(verdict.fact)}.`,
          { missing: [step.key] },
        ),
      };
    case 'unavailable': {
      const reason = override?.trim() ?? '';
      if (reason.length >= 3) {
        return {
          ok: true,
          evidence: { ...base, outcome: 'overridden', text: verdict.why, reason },
          effects: [
            {
              type: 'verification-overridden',
              step: step.key,
              verification: checked.verification,
              check: check ?? null,
              by,
              reason,
              why: verdict.why,
            },
          ],
        };
      }
      return {
        ok: false,
        result: refuse(
          'APPLIANCE_UNREACHABLE',
          `${subject} could not be checked with the appliance: ${verdict.why}. Try again in a moment, or use “Confirm anyway…” on the step and give a reason.`,
          { missing: [step.key] },
        ),
      };
    }
  }
}

export function recordEvidence(progress: StepProgress, evidence: StepEvidence | null): void {
  if (evidence) progress.verified = evidence;
}
