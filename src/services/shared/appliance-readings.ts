// Plumbing shared by the verbs that ask the appliances: gather readings as engine data, and the
// audit row that records every call's outcome (never a credential).
import type { DateTime } from 'luxon';
import type { AuditEntry } from '../../db/repositories/audit.js';
import type { AuditActor } from '../../db/schema.js';
import { stamp } from '../../engine/time.js';
import type { ApplianceReading, Readings } from '../../engine/types.js';
import type { ApplianceQuestion } from '../../engine/verification.js';
import type { ApplianceAnswer, ApplianceCall, AppliancePort } from '../ports/appliances.js';

async function ask(port: AppliancePort, question: ApplianceQuestion) {
  const calls: ApplianceCall[] = [];
  const reading: Extract<ApplianceReading, { ok: true }> = {
    appliance: question.appliance,
    name: question.name,
    ok: true,
  };
  // One kind after another on the same appliance: the first needs the token, the rest reuse it.
  for (const kind of question.what) {
    const answer: ApplianceAnswer<unknown> =
      kind === 'health'
        ? await port.health(question.name)
        : kind === 'jump-clients'
          ? await port.jumpClients(question.name)
          : await port.jumpoints(question.name);
    calls.push(...answer.calls);
    if (!answer.ok) {
      const failed: ApplianceReading = {
        appliance: question.appliance,
        name: question.name,
        ok: false,
        reason: answer.reason,
        message: answer.message,
      };
      return { reading: failed, calls };
    }
    if (kind === 'health') reading.health = answer.value as NonNullable<typeof reading.health>;
    else if (kind === 'jump-clients')
      reading.jumpClients = answer.value as NonNullable<typeof reading.jumpClients>;
    else reading.jumpoints = answer.value as NonNullable<typeof reading.jumpoints>;
  }
  return { reading, calls };
}

/** Asks every appliance in parallel; an appliance that cannot be asked becomes a failed reading, never a throw. */
export async function gatherReadings(
  port: AppliancePort,
  questions: ApplianceQuestion[],
  now: () => DateTime,
): Promise<{ readings: Readings; calls: ApplianceCall[] }> {
  const answers = await Promise.all(questions.map((q) => ask(port, q)));
  return {
    readings: { at: stamp(now()), appliances: answers.map((a) => a.reading) },
    calls: answers.flatMap((a) => a.calls),
  };
}

/** `appliance-queried`: which calls were made and how each went, and what every appliance answered. */
export function queriedAudit(
  upgradeId: string | null,
  actor: AuditActor,
  purpose: string,
  stepKey: string | null,
  result: { readings: Readings; calls: ApplianceCall[] },
): AuditEntry {
  return {
    upgradeId,
    actor,
    action: 'appliance-queried',
    stepKey,
    detail: {
      purpose,
      calls: result.calls,
      readings: result.readings.appliances,
    },
  };
}
