import { appendAudit } from '../db/repositories/audit.js';
import { findUpgrade, findUpgradeByChannel } from '../db/repositories/upgrades.js';
import { planOf } from '../engine/plan-cache.js';
import { verificationFor } from '../engine/verification.js';
import {
  type ApplyCommandInput,
  type ApplyCommandOutcome,
  applyCommand,
  type CommandInput,
} from './apply-command.js';
import { gatherReadings, queriedAudit } from './shared/appliance-readings.js';
import type { ServiceCall } from './shared/context.js';
import { inTransaction, query } from './shared/transaction.js';

const APPLIANCE_RULES = new Set(['APPLIANCE_STATE', 'APPLIANCE_UNREACHABLE']);

function suffixed(key: string | null, suffix: string): string | null {
  return key ? `${key}:${suffix}` : null;
}

/**
 * A Done (or check) click. When the step is verified by the appliances of this upgrade: mark it as
 * being checked (shown at once), ask the appliances, then let the engine judge the readings. A refusal
 * is answered to the clicker and left on the step. Otherwise the click alone decides, as always.
 * Called after Slack's ack, so the appliances' answer time never delays it.
 */
export async function confirmStep({
  ctx,
  input,
}: ServiceCall<ApplyCommandInput>): Promise<ApplyCommandOutcome> {
  const port = ctx.appliances;
  const asked = input.command;
  if (asked.type !== 'complete' && asked.type !== 'confirm-check') return applyCommand({ ctx, input });
  // Readings only ever come from the appliances, never from the request.
  const { readings: _ignored, ...command } = asked;
  const plain = { ...input, command: command as CommandInput };
  if (!port) return applyCommand({ ctx, input: plain });
  const upgrade = await query(ctx, (db) =>
    'upgradeId' in input.target
      ? findUpgrade(db, input.target.upgradeId)
      : findUpgradeByChannel(db, input.target.channelId),
  );
  if (!upgrade) return applyCommand({ ctx, input: plain });
  const check = command.type === 'confirm-check' ? command.check : undefined;
  const checked = verificationFor(planOf(upgrade.state), upgrade.state, command.step, check);
  if (!checked) return applyCommand({ ctx, input: plain });

  const started = await applyCommand({
    ctx,
    input: {
      ...input,
      target: { upgradeId: upgrade.id },
      command: { type: 'verify-start', step: command.step, ...(check ? { check } : {}) },
    },
  });
  if (started.outcome !== 'applied') return started;

  const noteResult = (outcome: 'cleared' | 'disagreed' | 'unavailable', text: string) =>
    applyCommand({
      ctx,
      input: {
        target: { upgradeId: upgrade.id },
        command: {
          type: 'verify-result',
          step: command.step,
          ...(check ? { check } : {}),
          outcome,
          verification: checked.verification,
          text,
        },
        requestKey: suffixed(input.requestKey, 'noted'),
        responseUrl: null,
      },
    });
  let result: ApplyCommandOutcome;
  try {
    const gathered = await gatherReadings(port, checked.ask, ctx.now);
    await inTransaction(ctx, (tx) =>
      appendAudit(tx, [
        queriedAudit(upgrade.id, ctx.actor, check ? `check:${check}` : 'complete', command.step, gathered),
      ]),
    );
    result = await applyCommand({
      ctx,
      input: {
        ...input,
        target: { upgradeId: upgrade.id },
        command: { ...command, readings: gathered.readings } as CommandInput,
        requestKey: suffixed(input.requestKey, 'checked'),
      },
    });
  } catch (error) {
    // The step must not stay "checking": the check is noted as not finished, then the failure goes on
    // (if the database itself is gone, the note fails too and the step shows "checking" until retried).
    await noteResult('unavailable', 'The check could not be finished; try again.').catch(() => undefined);
    throw error;
  }
  if (result.outcome === 'refused') {
    const rule = result.refusal.rule;
    await noteResult(
      !APPLIANCE_RULES.has(rule) ? 'cleared' : rule === 'APPLIANCE_STATE' ? 'disagreed' : 'unavailable',
      result.refusal.message,
    );
  }
  return result;
}
