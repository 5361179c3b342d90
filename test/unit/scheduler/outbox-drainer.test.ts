import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type DrainerWork,
  OTHERS_KICK_INTERVAL_MS,
  OutboxDrainer,
} from '../../../src/scheduler/outbox-drainer.js';
import type { DeliveryReport } from '../../../src/services/deliver-outbox.js';

const NOTHING: DeliveryReport = { claimed: 0, delivered: 0, retried: 0, dead: 0, deferred: 0 };

/** A drainer over work with nothing to deliver that counts how often it looks. */
function countingDrainer(overrides: Partial<DrainerWork> = {}) {
  const counts = { direct: 0, scans: 0 };
  const work: DrainerWork = {
    deliverDirect: async () => {
      counts.direct++;
      return NOTHING;
    },
    findUpgrades: async () => {
      counts.scans++;
      return [];
    },
    deliverUpgrade: async () => NOTHING,
    nextDueInMs: async () => null,
    heartbeat: async () => {},
    ...overrides,
  };
  const options = { concurrency: 4, heartbeatMs: 60_000, maxSleepMs: 30_000 };
  return { drainer: new OutboxDrainer(work, options, pino({ level: 'silent' })), counts };
}

async function settle(drainer: OutboxDrainer): Promise<void> {
  await vi.advanceTimersByTimeAsync(0);
  await drainer.idle();
}

describe('OutboxDrainer woken by other processes', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('looks once at once for a burst of notifications, and once more when the interval ends', async () => {
    const { drainer, counts } = countingDrainer();
    for (let i = 0; i < 10; i++) drainer.kickFromAnother();
    await settle(drainer);
    expect(counts).toEqual({ direct: 1, scans: 1 });

    await vi.advanceTimersByTimeAsync(OTHERS_KICK_INTERVAL_MS);
    await settle(drainer);
    expect(counts).toEqual({ direct: 2, scans: 2 });

    // Nothing came in meanwhile: no third look.
    await vi.advanceTimersByTimeAsync(OTHERS_KICK_INTERVAL_MS * 3);
    await settle(drainer);
    expect(counts).toEqual({ direct: 2, scans: 2 });
    await drainer.stop();
  });

  it('a notification after a quiet interval is answered at once', async () => {
    const { drainer, counts } = countingDrainer();
    drainer.kickFromAnother();
    await settle(drainer);
    await vi.advanceTimersByTimeAsync(OTHERS_KICK_INTERVAL_MS);
    drainer.kickFromAnother();
    await settle(drainer);
    expect(counts).toEqual({ direct: 2, scans: 2 });
    await drainer.stop();
  });

  it("this process's own commits are never held back", async () => {
    const { drainer, counts } = countingDrainer();
    drainer.kickFromAnother();
    await settle(drainer);
    for (let i = 0; i < 3; i++) {
      drainer.kick();
      await settle(drainer);
    }
    expect(counts).toEqual({ direct: 4, scans: 4 });
    await drainer.stop();
  });

  it('a stopped drainer answers no notification and leaves no timer behind', async () => {
    const { drainer, counts } = countingDrainer();
    drainer.kickFromAnother();
    drainer.kickFromAnother();
    expect(vi.getTimerCount()).toBe(1);
    await drainer.stop();
    expect(vi.getTimerCount()).toBe(0);
    drainer.kickFromAnother();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(OTHERS_KICK_INTERVAL_MS * 2);
    await settle(drainer);
    expect(counts).toEqual({ direct: 1, scans: 1 });
  });

  it('a notification while a scan is still running is answered by another scan after it', async () => {
    let release: () => void = () => {};
    let scans = 0;
    const { drainer } = countingDrainer({
      findUpgrades: async () => {
        scans++;
        if (scans === 1) await new Promise<void>((resolve) => (release = resolve));
        return [];
      },
    });
    drainer.kickFromAnother();
    await vi.advanceTimersByTimeAsync(OTHERS_KICK_INTERVAL_MS);
    drainer.kickFromAnother();
    await vi.advanceTimersByTimeAsync(0);
    expect(scans).toBe(1);
    release();
    await settle(drainer);
    expect(scans).toBe(2);
    await drainer.stop();
  });
});
