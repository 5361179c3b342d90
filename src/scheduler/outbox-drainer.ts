import type { Logger } from '../logging/logger.js';
import type { DeliveryReport } from '../services/deliver-outbox.js';

export interface DrainerWork {
  /** Claims and sends due direct deliveries (replies, App Home) in parallel. */
  deliverDirect(): Promise<DeliveryReport>;
  /** Upgrades with due channel messages that no other live process delivers. */
  findUpgrades(limit: number, exclude: string[]): Promise<string[]>;
  /** Delivers one upgrade's due channel messages in order, under its lease. */
  deliverUpgrade(upgradeId: string, shouldStop: () => boolean): Promise<DeliveryReport>;
  /** Milliseconds until the earliest pending delivery is due, or null when none is pending. */
  nextDueInMs(): Promise<number | null>;
  /** Renews this process's heartbeat; `first` registers it (and clears away the dead). */
  heartbeat(first: boolean): Promise<void>;
}

/** Direct-lane loops at most, each with a batch of replies out (DELIVERY.directBatch). */
const DIRECT_LOOPS = 4;

/** Other processes' notifications wake this one at most once in this many milliseconds. */
export const OTHERS_KICK_INTERVAL_MS = 50;

export interface DrainerOptions {
  /** Upgrades delivered at once by this process (DELIVERY_CONCURRENCY). */
  concurrency: number;
  heartbeatMs: number;
  /** The longest sleep while deliveries are pending: another process's stopped heartbeat is noticed within it. */
  maxSleepMs: number;
}

/**
 * Delivers queued Slack side effects in two lanes. Direct answers to a person go out at once, side by
 * side. Channel messages go out per upgrade, in order, up to `concurrency` upgrades at a time; an
 * upgrade another process is delivering is passed by, and a NOTIFY (or `kick`) wakes this one when it
 * frees. Woken by commits (`kick`), by other processes, and by a timer set to the next retry: no tick.
 */
export class OutboxDrainer {
  /** Direct-lane loops running: a kick while all are busy starts another, up to DIRECT_LOOPS. */
  private readonly direct = new Set<Promise<void>>();
  private directAgain = false;
  private scan: Promise<void> | null = null;
  private scanAgain = false;
  private readonly upgrades = new Map<string, Promise<void>>();
  /** Upgrades whose delivery just failed unexpectedly: passed by for a moment instead of retried in a loop. */
  private readonly cooling = new Map<string, number>();
  private stopped = false;
  private wake: NodeJS.Timeout | null = null;
  private heart: NodeJS.Timeout | null = null;
  private sleeping: Promise<void> | null = null;
  private heartFailing = false;
  private othersHold: NodeJS.Timeout | null = null;
  private othersAgain = false;

  constructor(
    private readonly work: DrainerWork,
    private readonly options: DrainerOptions,
    private readonly logger: Logger,
  ) {}

  /** Asked to stop: the deliveries in progress finish, no new one starts. */
  get stopping(): boolean {
    return this.stopped;
  }

  /** Upgrades being delivered by this process right now. */
  get activeUpgrades(): number {
    return this.upgrades.size;
  }

  /** Registers this process (first heartbeat) and keeps its heartbeat going. */
  async start(): Promise<void> {
    await this.work.heartbeat(true);
    this.heart = setInterval(() => {
      this.work.heartbeat(false).then(
        () => {
          this.heartFailing = false;
        },
        (error: unknown) => {
          if (!this.heartFailing) this.logger.warn({ err: error }, 'delivery heartbeat failed');
          this.heartFailing = true;
        },
      );
    }, this.options.heartbeatMs);
    this.heart.unref();
  }

  kick(): void {
    if (this.stopped) return;
    this.kickDirect();
    this.kickScan();
  }

  /**
   * Another process queued deliveries or freed an upgrade. Its sender delivers what it queued itself,
   * so a burst of these wakes this process once at once and once more at the end of each interval:
   * soon enough to help or to take a freed upgrade, without a claim per notification.
   */
  kickFromAnother(): void {
    if (this.stopped) return;
    if (this.othersHold) {
      this.othersAgain = true;
      return;
    }
    this.kick();
    this.othersHold = setTimeout(() => {
      this.othersHold = null;
      if (!this.othersAgain) return;
      this.othersAgain = false;
      this.kickFromAnother();
    }, OTHERS_KICK_INTERVAL_MS);
    this.othersHold.unref();
  }

  private kickDirect(): void {
    // A reply never waits for the batch before it: another loop picks it up while that one is out.
    if (this.direct.size >= DIRECT_LOOPS) {
      this.directAgain = true;
      return;
    }
    this.directAgain = false;
    const loop: Promise<void> = this.drainDirect().finally(() => {
      this.direct.delete(loop);
      // A kick that came while the loop was ending is not lost.
      if (this.directAgain && !this.stopped) this.kickDirect();
      else this.maybeSleep();
    });
    this.direct.add(loop);
  }

  private async drainDirect(): Promise<void> {
    try {
      while (!this.stopped && (await this.work.deliverDirect()).claimed > 0) {}
    } catch (error) {
      this.logger.warn({ err: error }, 'direct delivery interrupted');
    }
  }

  private kickScan(): void {
    if (this.scan) {
      this.scanAgain = true;
      return;
    }
    this.scan = this.fill().finally(() => {
      this.scan = null;
      if (this.scanAgain && !this.stopped) this.kickScan();
      else this.maybeSleep();
    });
  }

  /** Starts a delivery loop for each due upgrade, up to the concurrency limit. */
  private async fill(): Promise<void> {
    do {
      this.scanAgain = false;
      try {
        while (!this.stopped && this.upgrades.size < this.options.concurrency) {
          const now = Date.now();
          for (const [id, until] of this.cooling) if (until <= now) this.cooling.delete(id);
          const due = await this.work.findUpgrades(this.options.concurrency - this.upgrades.size, [
            ...this.upgrades.keys(),
            ...this.cooling.keys(),
          ]);
          if (due.length === 0) break;
          for (const upgradeId of due) this.startUpgrade(upgradeId);
        }
      } catch (error) {
        this.logger.warn({ err: error }, 'outbox delivery interrupted');
        return;
      }
    } while (this.scanAgain && !this.stopped);
  }

  private startUpgrade(upgradeId: string): void {
    if (this.upgrades.has(upgradeId)) return;
    const delivery = this.work
      .deliverUpgrade(upgradeId, () => this.stopped)
      .then(
        () => undefined,
        (error: unknown) => {
          this.logger.warn({ err: error, upgradeId }, 'upgrade delivery interrupted');
          this.cooling.set(upgradeId, Date.now() + this.options.maxSleepMs);
        },
      )
      .finally(() => {
        this.upgrades.delete(upgradeId);
        // A slot is free: other upgrades may be waiting for it.
        this.kickScan();
      });
    this.upgrades.set(upgradeId, delivery);
  }

  /** Once idle, sleeps until the next retry is due (or a process that stopped beating may be taken over). */
  private maybeSleep(): void {
    if (this.stopped || this.busy || this.sleeping) return;
    this.sleeping = this.work
      .nextDueInMs()
      .then((ms) => {
        if (ms === null || this.stopped) return;
        if (this.wake) clearTimeout(this.wake);
        this.wake = setTimeout(
          () => {
            this.wake = null;
            this.kick();
          },
          Math.min(Math.max(ms, 10), this.options.maxSleepMs),
        );
        this.wake.unref();
      })
      .catch((error: unknown) => this.logger.warn({ err: error }, 'could not read the next delivery time'))
      .finally(() => {
        this.sleeping = null;
      });
  }

  private get busy(): boolean {
    return this.direct.size > 0 || this.scan !== null || this.upgrades.size > 0;
  }

  /** Resolves once nothing is being delivered (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.busy) {
      await Promise.allSettled([...this.direct, this.scan, ...this.upgrades.values()]);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.wake) clearTimeout(this.wake);
    if (this.othersHold) clearTimeout(this.othersHold);
    this.othersHold = null;
    if (this.heart) clearInterval(this.heart);
    await this.idle();
    await this.sleeping;
  }
}
