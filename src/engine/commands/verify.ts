import type { DateTime } from 'luxon';
import { mention, refuse } from '../refusals.js';
import { instant, later, stamp } from '../time.js';
import { cancel, FAILOVER_SCOPE } from '../time-rules.js';
import type { Command, Effect, StepEvidence } from '../types.js';
import { primaryAfterEstablish, siteAppliance, verificationFor } from '../verification.js';
import { quoted } from '../words.js';
import { completionBlocker } from './complete.js';
import { type CommandHandler, isRefusal, openStep, prerequisitesPending } from './context.js';

/** What a step shows of its appliance check: the outcome, who asked, when, and for which check. */
function evidence(
  outcome: StepEvidence['outcome'],
  verification: StepEvidence['verification'],
  now: DateTime,
  command: { actor: { userId: string }; check?: string | undefined },
  text: string,
): StepEvidence {
  return {
    outcome,
    verification,
    at: stamp(now),
    by: command.actor.userId,
    text,
    ...(command.check ? { check: command.check } : {}),
  };
}

/**
 * A confirmation is about to be checked with the appliances: the step shows "being checked" while the
 * bot asks. Refused exactly when the confirmation itself would be, so nobody waits for a doomed check.
 */
export const verifyStart: CommandHandler<Extract<Command, { type: 'verify-start' }>> = ({
  state,
  plan,
  command,
  now,
}) => {
  const opened = openStep(plan, state, command.step);
  if (isRefusal(opened)) return opened;
  const { step, progress } = opened;
  const checked = verificationFor(plan, state, step.key, command.check);
  if (!checked) {
    return refuse(
      'UNKNOWN_CHECK',
      `${quoted(step.title)} is not checked with the appliances on this upgrade.`,
    );
  }
  if (command.check) {
    const earlier = progress.checks[command.check];
    if (earlier) {
      return refuse('ALREADY_DONE', `That check was already confirmed by ${mention(earlier.by)}.`, {
        duplicate: true,
      });
    }
    const pending = prerequisitesPending(plan, state, step);
    if (pending) return pending;
  } else {
    const blocked = completionBlocker(plan, state, step, progress, command.actor.userId);
    if (blocked) return blocked;
  }
  progress.verified = evidence(
    'checking',
    checked.verification,
    now,
    command,
    `asking ${checked.ask.map((q) => q.name).join(' and ')}`,
  );
  return {
    ok: true,
    next: state,
    effects: [
      {
        type: 'verification-started',
        step: step.key,
        verification: checked.verification,
        check: command.check ?? null,
      },
    ],
  };
};

/** Shows on the step what the appliance said when it refused (or could not be asked). */
export const verifyResult: CommandHandler<Extract<Command, { type: 'verify-result' }>> = ({
  state,
  plan,
  command,
  now,
}) => {
  const opened = openStep(plan, state, command.step);
  if (isRefusal(opened)) return opened;
  const { step, progress } = opened;
  if (command.outcome === 'cleared') {
    if (progress.verified?.outcome !== 'checking') {
      return refuse('ALREADY_DONE', 'Nothing is being checked.', { duplicate: true });
    }
    delete progress.verified;
  } else progress.verified = evidence(command.outcome, command.verification, now, command, command.text);
  return {
    ok: true,
    next: state,
    effects: [
      {
        type: 'verification-noted',
        step: step.key,
        verification: command.verification,
        outcome: command.outcome,
        text: command.text,
      },
    ],
  };
};

/** At most this often a count of Jump Clients is recorded; the watch asks no more often either. */
export const OBSERVE_INTERVAL = 'PT1M';

/**
 * What the periodic watch saw: the first sync after re-establishing (which answers SYNC_CONFIRM by
 * itself) and the number of Jump Clients still waiting to upgrade. Nothing new is a repeat.
 */
export const observe: CommandHandler<Extract<Command, { type: 'observe' }>> = ({
  state,
  plan,
  command,
  now,
}) => {
  const linked = state.linked;
  if (!linked) return refuse('NOT_STARTED', 'No appliances are linked to this upgrade.', { duplicate: true });
  const effects: Effect[] = [];
  const primary = primaryAfterEstablish(plan.name);
  const restoredAt = state.failover.restoredAt;
  if (primary && restoredAt && state.failover.syncConfirmedAt === null) {
    const reading = command.readings.appliances.find((r) => r.appliance === primary);
    const lastSyncAt = reading?.ok ? reading.health?.lastSyncAt : null;
    if (lastSyncAt && instant(lastSyncAt) > instant(restoredAt)) {
      state.failover.syncConfirmedAt = stamp(now);
      state.failover.syncObserved = { appliance: primary, lastSyncAt };
      effects.push(
        { type: 'sync-observed', appliance: primary, lastSyncAt },
        cancel('SYNC_CONFIRM', FAILOVER_SCOPE),
      );
    }
  }
  const site = siteAppliance(plan.name);
  const counted = command.readings.appliances.find((r) => r.appliance === site);
  const jumpClients = counted?.ok ? counted.jumpClients : undefined;
  const previous = linked.jumpClients;
  const due = previous === null || later(previous.at, OBSERVE_INTERVAL) <= stamp(now);
  if (
    jumpClients &&
    due &&
    (previous === null || previous.pending !== jumpClients.pending || previous.total !== jumpClients.total)
  ) {
    linked.jumpClients = { appliance: site, ...jumpClients, at: stamp(now) };
    effects.push({ type: 'jump-clients-counted', appliance: site, ...jumpClients });
  }
  if (effects.length === 0) {
    return refuse('ALREADY_DONE', 'The appliances report nothing new.', { duplicate: true });
  }
  return { ok: true, next: state, effects };
};
