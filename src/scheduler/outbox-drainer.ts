import type { Logger } from '../logging/logger.js';
import type { DeliveryReport } from '../services/deliver-outbox.js';

/**
 * Delivers queued Slack side effects right after the commit that queued them (`kick`), and on a tick
 * for retries. One loop per process, so deliveries from this process never race each other.
 */
export class OutboxDrainer {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly deliverBatch: () => Promise<DeliveryReport>,
    private readonly logger: Logger,
  ) {}

  /** Asked to stop: the delivery in progress finishes, no new one starts. */
  get stopping(): boolean {
    return this.stopped;
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        let report: DeliveryReport;
        do {
          report = await this.deliverBatch();
          // Deferred and failed deliveries are pushed into the future, so this ends once nothing is due.
        } while (!this.stopped && report.claimed > 0);
      } catch (error) {
        // The database is gone for now; the next tick tries again.
        this.logger.warn({ err: error }, 'outbox delivery interrupted');
        return;
      }
    } while (this.again && !this.stopped);
  }

  /** Resolves once nothing is being delivered (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
  }
}
