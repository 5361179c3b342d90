import { appendAudit } from '../db/repositories/audit.js';
import { findUpgradeToChange, listOpenUpgrades, saveState } from '../db/repositories/upgrades.js';
import { planOf } from '../engine/plan-cache.js';
import { instant } from '../engine/time.js';
import { transition } from '../engine/transition.js';
import { watchQuestions } from '../engine/verification.js';
import { gatherReadings, queriedAudit } from './appliance-readings.js';
import type { ServiceCall } from './context.js';
import { ConcurrentChangeError } from './errors.js';
import { recordEffects } from './record-effects.js';
import { inTransaction, query } from './transaction.js';

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
  const job = ctx.actor.job;
  const open = await query(ctx, (db) => listOpenUpgrades(db, UPGRADES_PER_RUN));
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
    const applied = await inTransaction(ctx, async (tx) => {
      await appendAudit(tx, [queriedAudit(upgrade.id, ctx.actor, 'watch', null, gathered)]);
      const current = await findUpgradeToChange(tx, { upgradeId: upgrade.id });
      if (!current) return false;
      const now = ctx.now();
      const result = transition(
        current.state,
        { type: 'observe', actor: { userId: job, participant: true }, readings: gathered.readings },
        now,
      );
      if (!result.ok) return false;
      if (!(await saveState(tx, current.id, current.version, result.next)))
        throw new ConcurrentChangeError(current.id);
      await recordEffects(
        tx,
        now,
        { id: current.id, version: current.version + 1 },
        ctx.actor,
        result.effects,
      );
      return true;
    });
    if (applied) changed++;
  }
  if (changed > 0) ctx.outboxChanged();
  return { changed };
}
