import { appendAudit } from '../db/repositories/audit.js';
import {
  claimDueDelivery,
  enqueue,
  markDead,
  markDeferred,
  markDelivered,
  markRendersShown,
  markRetry,
  type OutboxRow,
  provisioningPending,
} from '../db/repositories/outbox.js';
import { findUpgrade, lockUpgradeRow } from '../db/repositories/upgrades.js';
import { DELIVERY, NothingToDo, NotReady } from './delivery/common.js';
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

/** What a delivery leaves behind: the version a render showed, and deliveries to queue next. */
interface Outcome {
  shown: number | null;
  followUps: OutboxMessage[];
}

/**
 * Claims the oldest due delivery with a lease, one at a time, so a long batch can never outlive its
 * lease and be delivered twice by another instance.
 */
async function claimOne(ctx: ServiceContext): Promise<OutboxRow | null> {
  const now = ctx.now();
  const leaseUntil = now.plus({ seconds: DELIVERY.leaseSeconds }).toJSDate();
  return inTransaction(ctx, (tx) => claimDueDelivery(tx, now.toJSDate(), leaseUntil));
}

async function deliverOne(
  ctx: ServiceContext,
  ports: DeliveryPorts,
  message: OutboxMessage,
): Promise<Outcome> {
  const done: Outcome = { shown: null, followUps: [] };
  switch (message.kind) {
    case 'provision-channel':
      return { shown: null, followUps: await provisionChannel(ctx, ports, message) };
    case 'render':
      return { shown: await renderRunbook(ctx, ports, message.upgradeId), followUps: [] };
    case 'notice':
      await postNotice(ctx, ports, message);
      return done;
    case 'respond':
      await sendReply(ctx, ports, message);
      return done;
    case 'publish-home':
      await publishHome(ctx, ports, message);
      return done;
  }
}

/** Records success in one transaction: follow-ups queued, the delivery (and renders it covers) done. */
async function recordSuccess(ctx: ServiceContext, row: OutboxRow, outcome: Outcome): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await enqueue(tx, ctx.now(), outcome.followUps.map(outboxEntry));
    if (row.kind === 'render' && outcome.shown !== null && row.upgradeId) {
      // Waits for a state change in flight on this upgrade, so its render request is not marked as shown.
      await lockUpgradeRow(tx, row.upgradeId, 'update');
      await markRendersShown(tx, row.upgradeId, outcome.shown);
    }
    await markDelivered(tx, row.id);
  });
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
    await markDead(ctx.db, row.id, 'the upgrade channel was never created');
    await appendAudit(ctx.db, [
      {
        upgradeId: row.upgradeId,
        actor: ctx.actor,
        action: 'delivery-abandoned',
        detail: { delivery: row.kind, outboxId: row.id, reason: 'the upgrade channel was never created' },
      },
    ]);
    return 'dead';
  }
  const slack = error instanceof SlackCallError ? error : null;
  const attempt = row.attempts + 1;
  const dead = (slack ? !slack.transient : false) || attempt >= DELIVERY.maxAttempts;
  const backoff = Math.min(DELIVERY.backoffBaseSeconds * 2 ** (attempt - 1), DELIVERY.backoffCapSeconds);
  const next = now.plus({ seconds: slack?.retryAfterSeconds ?? backoff });
  const description = slack ? slack.code : error instanceof Error ? error.message : String(error);
  if (dead) await markDead(ctx.db, row.id, description);
  else await markRetry(ctx.db, row.id, next.toJSDate(), description);
  const message = row.payload as unknown as OutboxMessage;
  if (dead && message.kind === 'provision-channel' && message.responseUrl) {
    // The starter would otherwise wait for a channel that never comes.
    await enqueue(ctx.db, ctx.now(), [
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
  await appendAudit(ctx.db, [
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
  return dead ? 'dead' : 'retried';
}

/**
 * Delivers due Slack side effects, one at a time. Each is rendered from the database when sent, so a
 * retry after a crash or a Slack error shows the current state, never an old one. Deliveries of one
 * upgrade never run at once in two processes (a per-upgrade lock), so their messages stay in order.
 */
export async function deliverOutbox({
  ctx,
  input,
}: ServiceCall<{
  limit: number;
  ports: DeliveryPorts;
  shouldStop?: () => boolean;
}>): Promise<DeliveryReport> {
  const report: DeliveryReport = { claimed: 0, delivered: 0, retried: 0, dead: 0, deferred: 0 };
  while (report.claimed < input.limit && !input.shouldStop?.()) {
    const row = await claimOne(ctx);
    if (!row) break;
    report.claimed++;
    const release = row.upgradeId ? await input.ports.lockUpgrade(row.upgradeId) : async () => {};
    if (!release) {
      // Another instance is delivering for this upgrade; come back in a moment.
      await query(ctx, (db) =>
        markDeferred(db, row.id, ctx.now().plus({ seconds: 1 }).toJSDate(), 'busy elsewhere'),
      );
      report.deferred++;
      continue;
    }
    let outcome: Outcome | null = null;
    try {
      outcome = await deliverOne(ctx, input.ports, row.payload as unknown as OutboxMessage);
    } catch (error) {
      if (error instanceof NothingToDo) outcome = { shown: null, followUps: [] };
      else if (error instanceof DatabaseUnavailableError) throw error;
      else report[await recordFailure(ctx, row, error)]++;
    } finally {
      await release();
    }
    // Bookkeeping apart from the Slack call: a database hiccup here is not a Slack failure. If it fails,
    // the lease runs out and the delivery is tried again.
    if (outcome) {
      await recordSuccess(ctx, row, outcome);
      report.delivered++;
    }
  }
  return report;
}
