import { DateTime, Duration } from 'luxon';

/**
 * The local workspace's clock: real time plus an offset a person moves forward from the page, so the
 * reminders of a two-window upgrade can be seen in minutes. The bot runs on it in local mode only.
 */
export class SimulatedClock {
  private offsetMs: number;

  constructor(
    offsetMs = 0,
    private readonly realNow: () => number = Date.now,
  ) {
    this.offsetMs = Math.max(0, offsetMs);
  }

  /** Milliseconds since the epoch, simulated. */
  readonly nowMs = (): number => this.realNow() + this.offsetMs;

  readonly now = (): DateTime => DateTime.fromMillis(this.nowMs(), { zone: 'utc' });

  get offset(): number {
    return this.offsetMs;
  }

  /** Back to the offset saved by an earlier run (a restart keeps the simulated time). */
  restore(offsetMs: number): void {
    this.offsetMs = Math.max(this.offsetMs, offsetMs);
  }

  /** Moves forward only: time never runs backwards under the bot. Returns the new time. */
  advance(by: Duration): DateTime {
    const ms = by.toMillis();
    if (!(ms > 0)) throw new RangeError('the clock only moves forward');
    this.offsetMs += ms;
    return this.now();
  }

  /** Moves to `at` (if it is ahead), a moment past it so whatever is due then is due. */
  advanceTo(at: DateTime): DateTime {
    const ms = at.toMillis() - this.nowMs();
    if (ms > 0) this.offsetMs += ms + 1000;
    return this.now();
  }
}

export const CLOCK_STEPS = {
  '15m': Duration.fromObject({ minutes: 15 }),
  '1h': Duration.fromObject({ hours: 1 }),
  '1d': Duration.fromObject({ days: 1 }),
} as const;
export type ClockStep = keyof typeof CLOCK_STEPS | 'next-reminder';
