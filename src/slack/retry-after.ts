/**
 * Slack's `Retry-After`, remembered per method and channel: after a 429 the same call is not tried
 * again before Slack said (it fails at once, as rate-limited, for the outbox to retry later), while
 * calls for other channels and other methods go on. Calls that name a channel are held per channel
 * (Slack limits posting per channel); the others per method. A method limited in two channels at
 * once is limited as a whole (Slack's tiers count per workspace), so it is held everywhere.
 */
export class RetryAfterHolds {
  private readonly until = new Map<string, number>();

  constructor(private readonly clock: () => number = Date.now) {}

  private key(method: string, channel: string | undefined): string {
    return channel ? `${method}:${channel}` : method;
  }

  private left(key: string, now: number): number | null {
    const until = this.until.get(key);
    if (until === undefined) return null;
    if (until <= now) {
      this.until.delete(key);
      return null;
    }
    return until - now;
  }

  /** Seconds still to wait before this call may go to Slack, or null when it may go now. */
  remaining(method: string, channel?: string): number | null {
    const now = this.clock();
    const left = Math.max(
      this.left(method, now) ?? 0,
      channel ? (this.left(this.key(method, channel), now) ?? 0) : 0,
    );
    return left > 0 ? Math.ceil(left / 1000) : null;
  }

  hold(method: string, channel: string | undefined, seconds: number): void {
    const now = this.clock();
    // Expired holds are dropped on the way, so the map stays as small as the channels being limited.
    for (const [key, until] of this.until) if (until <= now) this.until.delete(key);
    const until = now + seconds * 1000;
    const heldElsewhere =
      channel !== undefined &&
      [...this.until.keys()].some((key) => key.startsWith(`${method}:`) && key !== this.key(method, channel));
    this.until.set(this.key(method, channel), until);
    if (heldElsewhere) this.until.set(method, Math.max(until, this.until.get(method) ?? 0));
  }
}
