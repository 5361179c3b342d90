import { findUpgrade } from '../db/repositories/upgrades.js';
import { planOf } from '../engine/plan-cache.js';
import { stepOf } from '../engine/state-queries.js';
import type { ServiceCall } from './shared/context.js';
import { query } from './shared/transaction.js';
import { otherWorkspaceRefusal } from './shared/workspace.js';

export interface ModalSubject {
  stepTitle: string | null;
  baseStep: boolean;
  problemDescription: string | null;
}

/**
 * What a modal shows about the step or problem it was opened for; null when the upgrade is unknown or
 * belongs to another workspace than the person's.
 */
export async function describeForModal({
  ctx,
  input,
}: ServiceCall<{
  upgradeId: string;
  step: string | null;
  problemId: number | null;
}>): Promise<ModalSubject | null> {
  const upgrade = await query(ctx, (db) => findUpgrade(db, input.upgradeId));
  if (!upgrade) return null;
  // Another workspace's upgrade is not shown; the caller refuses and audits the click.
  if (ctx.actor.type === 'slack' && otherWorkspaceRefusal(upgrade.teamId, ctx.actor.teamId)) return null;
  const step = input.step ? stepOf(planOf(upgrade.state), input.step) : undefined;
  const problem = input.problemId ? upgrade.state.problems.find((p) => p.id === input.problemId) : undefined;
  return {
    stepTitle: step?.title ?? null,
    baseStep: step?.software === 'base',
    problemDescription: problem?.description ?? null,
  };
}
