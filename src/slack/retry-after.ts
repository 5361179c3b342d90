/**
 * Slack's `Retry-After`, remembered per method and channel: after a 429 the same call is not tried
 * again before Slack said (it fails at once, as rate-limited, for the outbox to retry later), while
 * calls for other channels and other methods go on. Calls that name a channel are held per channel
 * (Slack limits posting per channel); the others per method.
 */
export class RetryAfterHolds {
  private readonly until = new Map<string, number>();

  constructor(private readonly clock: () => number = Date.now) {}

  private key(method: string, channel: string | undefined): string {
    return channel ? `${method}:${channel}` : method;
  }

  /** Seconds still to wait before this call may go to Slack, or null when it may go now. */
  remaining(method: string, channel?: string): number | null {
    const key = this.key(method, channel);
    const until = this.until.get(key);
    if (until === undefined) return null;
    const left = until - this.clock();
    if (left <= 0) {
      this.until.delete(key);
      return null;
    }
    return Math.ceil(left / 1000);
  }

  hold(method: string, channel: string | undefined, seconds: number): void {
    const now = this.clock();
    // Expired holds are dropped on the way, so the map stays as small as the channels being limited.
    for (const [key, until] of this.until) if (until <= now) this.until.delete(key);
    this.until.set(this.key(method, channel), now + seconds * 1000);
  }
}
