import { DateTime } from 'luxon';
import { planOf } from './plan-cache.js';
import { progressOf } from './state-queries.js';
import { elapsed, instant } from './time.js';
import type { IsoDuration, StepEvidence, StepKey, Timestamp, UpgradeState } from './types.js';

export interface UpgradeSummary {
  total: IsoDuration;
  perAppliance: { appliance: string; from: Timestamp; to: Timestamp; duration: IsoDuration }[];
  failoverOff: IsoDuration | null;
  steps: {
    key: StepKey;
    title: string;
    status: string;
    by: string[];
    at: Timestamp | null;
    reason: string | null;
    /** What the appliance confirmed, or why it was confirmed without it (linked upgrades only). */
    verified?: StepEvidence;
  }[];
}

/** Durations and who confirmed what, for the closing message of an upgrade. */
export function summarize(state: UpgradeState, now: DateTime): UpgradeSummary {
  const plan = planOf(state);
  const end = state.endedAt ? instant(state.endedAt) : now;
  const spans = new Map<string, { from: DateTime; to: DateTime }>();
  for (const step of plan.steps) {
    if (!step.appliance) continue;
    const progress = progressOf(state, step.key);
    const times = [progress.claimedAt, ...progress.confirmations.map((c) => c.at), progress.completedAt]
      .filter((t): t is string => t !== null)
      .map(instant);
    if (times.length === 0) continue;
    const span = spans.get(step.appliance);
    const all = span ? [...times, span.from, span.to] : times;
    spans.set(step.appliance, {
      from: DateTime.min(...all) ?? instant(state.startedAt),
      to: DateTime.max(...all) ?? end,
    });
  }
  const brokenAt = state.failover.brokenAt;
  return {
    total: elapsed(state.startedAt, end),
    perAppliance: [...spans.entries()].map(([appliance, span]) => ({
      appliance,
      from: span.from.toUTC().toISO() ?? '',
      to: span.to.toUTC().toISO() ?? '',
      duration: elapsed(span.from.toUTC().toISO() ?? state.startedAt, span.to),
    })),
    failoverOff: brokenAt ? elapsed(brokenAt, state.failover.restoredAt ?? end) : null,
    steps: plan.steps.map((step) => {
      const progress = progressOf(state, step.key);
      return {
        key: step.key,
        title: step.title,
        status: progress.status,
        by: progress.confirmations.map((c) => c.by),
        at: progress.completedAt,
        reason: progress.skipReason,
        ...(progress.verified ? { verified: progress.verified } : {}),
      };
    }),
  };
}
