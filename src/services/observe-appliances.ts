import { appendAudit } from '../db/repositories/audit.js';
import { listUpgrades } from '../db/repositories/upgrades.js';
import { OPEN_STATUSES } from '../engine/constants.js';
import { planOf } from '../engine/plan-cache.js';
import { instant } from '../engine/time.js';
import { watchQuestions } from '../engine/verification.js';
import { applyCommand } from './apply-command.js';
import { gatherReadings, queriedAudit } from './shared/appliance-readings.js';
import type { ServiceCall } from './shared/context.js';
import { inTransaction, query } from './shared/transaction.js';

const UPGRADES_PER_RUN = 100;
/** The count of Jump Clients is asked at most this often per appliance. */
const COUNT_EVERY_MS = 60_000;

/**
 * The periodic watch (a job, once a minute): while a linked upgrade waits for the first sync after
 * re-establishing, or has its Jump Client steps open, ask the appliance and record what changed.
 * The sync answers SYNC_CONFIRM by itself; the count is kept current on the Jump Client steps.
 */
export async function observeAppliances({
  ctx,
}: ServiceCall<Record<string, never>>): Promise<{ changed: number }> {
  const port = ctx.appliances;
  if (!port || ctx.actor.type !== 'system') return { changed: 0 };
  const open = await query(ctx, (db) =>
    listUpgrades(db, { statuses: OPEN_STATUSES, limit: UPGRADES_PER_RUN }),
  );
  let changed = 0;
  for (const upgrade of open) {
    const plan = planOf(upgrade.state);
    const counted = upgrade.state.linked?.jumpClients;
    const recent = counted && ctx.now().toMillis() - instant(counted.at).toMillis() < COUNT_EVERY_MS;
    const questions = watchQuestions(plan, upgrade.state)
      .map((q) => (recent ? { ...q, what: q.what.filter((w) => w !== 'jump-clients') } : q))
      .filter((q) => q.what.length > 0);
    if (questions.length === 0) continue;
    const gathered = await gatherReadings(port, questions, ctx.now);
    await inTransaction(ctx, (tx) =>
      appendAudit(tx, [queriedAudit(upgrade.id, ctx.actor, 'watch', null, gathered)]),
    );
    const outcome = await applyCommand({
      ctx,
      input: {
        target: { upgradeId: upgrade.id },
        command: { type: 'observe', readings: gathered.readings },
        requestKey: null,
        responseUrl: null,
      },
    });
    const applied = outcome.outcome === 'applied';
    if (applied) changed++;
  }
  return { changed };
}
