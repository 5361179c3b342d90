import { appendAudit } from '../db/repositories/audit.js';
import {
  claimDirectDeliveries,
  claimNextOfUpgrade,
  enqueue,
  markDead,
  markDeferred,
  markDelivered,
  markRenderDelivered,
  markRetry,
  type OutboxRow,
  provisioningPending,
  releaseUpgradeLease,
  takeUpgradeLease,
  upgradesDueForDelivery,
} from '../db/repositories/outbox.js';
import { findUpgrade } from '../db/repositories/upgrades.js';
import { type Attempt, DELIVERY, NothingToDo, NotReady } from './delivery/common.js';
import { inviteParticipants } from './delivery/invite-participants.js';
import { postNotice } from './delivery/post-notice.js';
import { provisionChannel } from './delivery/provision-channel.js';
import { publishHome } from './delivery/publish-home.js';
import { renderRunbook } from './delivery/render-runbook.js';
import { sendReply } from './delivery/send-reply.js';
import type { DeliveryPorts } from './ports/delivery.js';
import { SlackCallError } from './ports/slack.js';
import type { ServiceCall, ServiceContext } from './shared/context.js';
import { DatabaseUnavailableError } from './shared/errors.js';
import type { OutboxMessage } from './shared/outbox-messages.js';
import { outboxEntry } from './shared/record-effects.js';
import { inTransaction, query } from './shared/transaction.js';

export interface DeliveryReport {
  /** Deliveries claimed; zero means nothing was due. */
  claimed: number;
  delivered: number;
  retried: number;
  dead: number;
  deferred: number;
}

function emptyReport(): DeliveryReport {
  return { claimed: 0, delivered: 0, retried: 0, dead: 0, deferred: 0 };
}

/** What a delivery leaves behind: the version a render showed, and deliveries to queue next. */
interface Outcome {
  shown: number | null;
  followUps: OutboxMessage[];
}

async function deliverOne(
  ctx: ServiceContext,
  ports: DeliveryPorts,
  message: OutboxMessage,
  attempt: Attempt,
): Promise<Outcome> {
  const done: Outcome = { shown: null, followUps: [] };
  switch (message.kind) {
    case 'provision-channel':
      return { shown: null, followUps: await provisionChannel(ctx, ports, message, attempt) };
    case 'render':
      return { shown: await renderRunbook(ctx, ports, message.upgradeId, attempt), followUps: [] };
    case 'notice':
      await postNotice(ctx, ports, message, attempt);
      return done;
    case 'respond':
      await sendReply(ctx, ports, message);
      return done;
    case 'publish-home':
      await publishHome(ctx, ports, message);
      return done;
    case 'invite':
      await inviteParticipants(ctx, ports, message);
      return done;
  }
}

/**
 * Records success: a reply or a notice in one UPDATE, a render with the renders it covers in one
 * UPDATE, follow-ups queued with the delivery marked done in one transaction.
 */
async function recordSuccess(ctx: ServiceContext, row: OutboxRow, outcome: Outcome): Promise<void> {
  if (outcome.followUps.length === 0) {
    // A render that read version V covers the renders asking for V or older: a change committed since
    // asks for a later version, so its render stays queued whatever this one read.
    const { shown } = outcome;
    await query(ctx, (db) =>
      row.kind === 'render' && row.upgradeId && shown !== null
        ? markRenderDelivered(db, row.id, row.upgradeId, shown)
        : markDelivered(db, row.id),
    );
    return;
  }
  await inTransaction(ctx, (tx) =>
    Promise.all([enqueue(tx, ctx.now(), outcome.followUps.map(outboxEntry)), markDelivered(tx, row.id)]),
  );
  // A follow-up may belong to the other lane (the reply to the starter): wake it.
  ctx.outboxChanged();
}

/** The channel exists now, or its set-up is still queued. */
async function channelOnItsWay(ctx: ServiceContext, upgradeId: string): Promise<boolean> {
  return (
    (await provisioningPending(ctx.db, upgradeId)) ||
    Boolean((await findUpgrade(ctx.db, upgradeId))?.channelId)
  );
}

async function recordFailure(
  ctx: ServiceContext,
  row: OutboxRow,
  error: unknown,
): Promise<'retried' | 'dead' | 'deferred'> {
  const now = ctx.now();
  if (error instanceof NotReady) {
    // Waiting for the channel set-up is not a failure, unless the set-up itself was given up.
    if (row.upgradeId && (await channelOnItsWay(ctx, row.upgradeId))) {
      await markDeferred(
        ctx.db,
        row.id,
        now.plus({ seconds: DELIVERY.backoffBaseSeconds }).toJSDate(),
        error.message,
      );
      return 'deferred';
    }
    // The mark and its audit row together: a delivery is never given up without saying so.
    await inTransaction(ctx, (tx) =>
      Promise.all([
        markDead(tx, row.id, 'the upgrade channel was never created'),
        appendAudit(tx, [
          {
            upgradeId: row.upgradeId,
            actor: ctx.actor,
            action: 'delivery-abandoned',
            detail: { delivery: row.kind, outboxId: row.id, reason: 'the upgrade channel was never created' },
          },
        ]),
      ]),
    );
    return 'dead';
  }
  const slack = error instanceof SlackCallError ? error : null;
  const attempt = row.attempts + 1;
  const dead = (slack ? !slack.transient : false) || attempt >= DELIVERY.maxAttempts;
  const backoff = Math.min(DELIVERY.backoffBaseSeconds * 2 ** (attempt - 1), DELIVERY.backoffCapSeconds);
  const next = now.plus({ seconds: slack?.retryAfterSeconds ?? backoff });
  const description = slack ? slack.code : error instanceof Error ? error.message : String(error);
  // The retry (or give-up) mark, the starter's answer and the audit row commit together or not at all.
  await inTransaction(ctx, async (tx) => {
    if (dead) await markDead(tx, row.id, description);
    else await markRetry(tx, row.id, next.toJSDate(), description);
    const message = row.payload as unknown as OutboxMessage;
    if (dead && message.kind === 'provision-channel' && message.responseUrl) {
      // The starter would otherwise wait for a channel that never comes.
      await enqueue(tx, now, [
        outboxEntry({
          kind: 'respond',
          upgradeId: row.upgradeId,
          responseUrl: message.responseUrl,
          reply: {
            kind: 'text',
            text: `The upgrade channel could not be created (Slack answered \`${description}\`), so the runbook could not be posted. A workspace admin may need to allow the app to create channels; then start again.`,
          },
        }),
      ]);
    }
    await appendAudit(tx, [
      {
        upgradeId: row.upgradeId,
        actor: ctx.actor,
        // A failure that is not Slack's (a database constraint, a bug) is not reported as a Slack call.
        action: slack ? 'slack-call-failed' : 'delivery-failed',
        detail: {
          delivery: row.kind,
          outboxId: row.id,
          method: slack?.method ?? null,
          error: description,
          attempt,
          outcome: dead ? 'given up' : 'will retry',
          nextAttemptAt: dead ? null : next.toISO(),
        },
      },
    ]);
  });
  return dead ? 'dead' : 'retried';
}

/** Delivers one claimed row and records how it went; a lost database connection is thrown. */
async function deliverRow(
  ctx: ServiceContext,
  ports: DeliveryPorts,
  row: OutboxRow,
  report: DeliveryReport,
): Promise<void> {
  report.claimed++;
  // After a first claim, an earlier try may have reached Slack without being recorded.
  const attempt: Attempt = { outboxId: row.id, uncertain: row.claims > 1 || row.attempts > 0 };
  let outcome: Outcome | null = null;
  try {
    outcome = await deliverOne(ctx, ports, row.payload as unknown as OutboxMessage, attempt);
  } catch (error) {
    if (error instanceof NothingToDo) outcome = { shown: null, followUps: [] };
    else if (error instanceof DatabaseUnavailableError) throw error;
    else report[await recordFailure(ctx, row, error)]++;
  }
  // Bookkeeping apart from the Slack call: a database hiccup here is not a Slack failure. If it fails,
  // the claim is taken over once this process is gone, and the retry looks before it posts again.
  if (outcome) {
    await recordSuccess(ctx, row, outcome);
    report.delivered++;
  }
}

interface Owner {
  ownerId: string;
  ports: DeliveryPorts;
}

function claimOptions(ctx: ServiceContext, ownerId: string) {
  return { ownerId, now: ctx.now().toJSDate(), staleSeconds: DELIVERY.ownerStaleSeconds };
}

/**
 * Delivers the due direct deliveries (replies to one person, App Home views) at once and side by side:
 * they never wait behind an upgrade's channel messages, and their order does not matter.
 */
export async function deliverDirect({ ctx, input }: ServiceCall<Owner>): Promise<DeliveryReport> {
  const report = emptyReport();
  const rows = await query(ctx, (db) =>
    claimDirectDeliveries(db, { ...claimOptions(ctx, input.ownerId), limit: DELIVERY.directBatch }),
  );
  const results = await Promise.allSettled(rows.map((row) => deliverRow(ctx, input.ports, row, report)));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return report;
}

/** Upgrades with channel messages due that no other live process is delivering, oldest first. */
export async function findUpgradesToDeliver({
  ctx,
  input,
}: ServiceCall<{ ownerId: string; limit: number; exclude: string[] }>): Promise<string[]> {
  return query(ctx, (db) =>
    upgradesDueForDelivery(db, {
      ...claimOptions(ctx, input.ownerId),
      limit: input.limit,
      exclude: input.exclude,
    }),
  );
}

/**
 * Delivers an upgrade's due channel messages in order, holding its lease so no other process delivers
 * for the same upgrade meanwhile (the messages stay in order); stops at the first that must wait.
 * Each is rendered from the database when sent, so a retry shows the current state, never an old one.
 */
export async function deliverUpgrade({
  ctx,
  input,
}: ServiceCall<Owner & { upgradeId: string; shouldStop?: () => boolean }>): Promise<DeliveryReport> {
  const report = emptyReport();
  const { ownerId, upgradeId } = input;
  const taken = await query(ctx, (db) =>
    takeUpgradeLease(db, upgradeId, ownerId, DELIVERY.ownerStaleSeconds),
  );
  if (!taken) return report;
  try {
    while (!input.shouldStop?.()) {
      const row = await query(ctx, (db) => claimNextOfUpgrade(db, upgradeId, claimOptions(ctx, ownerId)));
      if (!row) break;
      await deliverRow(ctx, input.ports, row, report);
    }
  } finally {
    await query(ctx, (db) => releaseUpgradeLease(db, upgradeId, ownerId));
  }
  return report;
}
