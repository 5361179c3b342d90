import { listUpgrades } from '../db/repositories/upgrades.js';
import { type Appliance, OPEN_STATUSES, type PlanName } from '../engine/constants.js';
import type { ServiceCall } from './shared/context.js';
import { query } from './shared/transaction.js';

export interface ApplianceCheckInProgress {
  upgradeId: string;
  plan: PlanName;
  step: string;
  names: Partial<Record<Appliance, string>>;
}

/** Steps of linked upgrades that are being checked with their appliances right now (local mode follows them). */
export async function findApplianceChecks({
  ctx,
}: ServiceCall<Record<string, never>>): Promise<ApplianceCheckInProgress[]> {
  const open = await query(ctx, (db) => listUpgrades(db, { statuses: OPEN_STATUSES, limit: 100 }));
  return open.flatMap((upgrade) => {
    const linked = upgrade.state.linked;
    if (!linked) return [];
    return Object.entries(upgrade.state.steps)
      .filter(([, progress]) => progress.verified?.outcome === 'checking')
      .map(([step]) => ({ upgradeId: upgrade.id, plan: upgrade.state.plan, step, names: linked.names }));
  });
}
