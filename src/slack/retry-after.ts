import { z } from 'zod';

/** One process's Retry-After, as it tells the others: until when (service clock, ms) a call must wait. */
export interface SharedHold {
  method: string;
  channel: string | null;
  until: number;
}

/** Where the processes of one database tell each other of Slack's 429s (PostgreSQL NOTIFY). */
export const SLACK_HOLDS_NOTIFY_CHANNEL = 'pra_upgrade_slack_holds';

/** The longest hold another process is believed about: Slack asks for seconds, a minute at most. */
const LONGEST_SHARED_HOLD_MS = 10 * 60 * 1000;

/** What another process may say, checked before it is believed (a notification is input like any other). */
const sharedHoldMessage = z.object({
  sender: z.string().min(1).max(200),
  method: z.string().regex(/^[a-z]+(\.[a-zA-Z0-9]+)+$/),
  channel: z
    .string()
    .regex(/^[A-Z0-9]{1,40}$/)
    .nullable(),
  leftMs: z.number().int().nonnegative(),
});

/**
 * A hold as sent to the other processes, naming its sender so it can pass by its own. It says how
 * long is left rather than until when: another host's clock may be set a little differently.
 */
export function sharedHoldMessageOf(sender: string, hold: SharedHold, now: number): string {
  return JSON.stringify({
    sender,
    method: hold.method,
    channel: hold.channel,
    leftMs: Math.max(0, Math.round(hold.until - now)),
  });
}

/** Another process's hold from its message, or why it is not believed. */
export function readSharedHold(
  payload: string,
  self: string,
  now: number,
): { hold: SharedHold } | { ignored: string } {
  let parsed: z.infer<typeof sharedHoldMessage>;
  try {
    const result = sharedHoldMessage.safeParse(JSON.parse(payload));
    if (!result.success) return { ignored: 'not a hold' };
    parsed = result.data;
  } catch {
    return { ignored: 'not JSON' };
  }
  if (parsed.sender === self) return { ignored: 'our own' };
  const { method, channel, leftMs } = parsed;
  return { hold: { method, channel, until: now + Math.min(leftMs, LONGEST_SHARED_HOLD_MS) } };
}

/** A hold that did not reach the other processes, or a notification this process could not read. */
export interface HoldNotificationFailure {
  direction: 'sent' | 'received';
  reason: string;
  /** A notification received: its start, so that whoever sent it can be found. */
  received?: string;
}

/**
 * Tells the other processes of each hold. A NOTIFY that fails is reported, never thrown: this process
 * still honours the 429, and the others learn of it from Slack at their next call.
 */
export function tellingOthersOfHolds(
  notify: (payload: string) => Promise<unknown>,
  sender: string,
  clock: () => number,
  onFailure: (failure: HoldNotificationFailure) => void,
): (hold: SharedHold) => void {
  return (hold) => {
    notify(sharedHoldMessageOf(sender, hold, clock())).catch((error: unknown) => {
      const code = (error as { code?: unknown }).code;
      const message = error instanceof Error ? error.message : String(error);
      onFailure({
        direction: 'sent',
        reason: `${typeof code === 'string' ? `${code}: ` : ''}${message}`.slice(0, 300),
      });
    });
  };
}

/** Adopts the holds other processes tell; what cannot be read is reported, our own passed by. */
export function hearingOthersHolds(
  holds: RetryAfterHolds,
  self: string,
  clock: () => number,
  onFailure: (failure: HoldNotificationFailure) => void,
): (payload: string) => void {
  return (payload) => {
    const read = readSharedHold(payload, self, clock());
    if ('hold' in read) holds.adopt(read.hold);
    else if (read.ignored !== 'our own')
      // By characters, not UTF-16 units: half an emoji is not text PostgreSQL's jsonb accepts.
      onFailure({
        direction: 'received',
        reason: read.ignored,
        received: Array.from(payload).slice(0, 200).join(''),
      });
  };
}

/**
 * Slack's `Retry-After`, remembered per method and channel: after a 429 the same call is not tried
 * again before Slack said (it fails at once, as rate-limited, for the outbox to retry later), while
 * calls for other channels and other methods go on. Calls that name a channel are held per channel
 * (Slack limits posting per channel); the others per method. A method limited in two channels at
 * once is limited as a whole (Slack's tiers count per workspace), so it is held everywhere. A hold is
 * told to `onHold`, for the other processes of the same app, which `adopt` it.
 */
export class RetryAfterHolds {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly clock: () => number = Date.now,
    private readonly onHold: (hold: SharedHold) => void = () => {},
  ) {}

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

  /** Slack answered 429 with this Retry-After: held here, and told to the other processes. */
  hold(method: string, channel: string | undefined, seconds: number): void {
    const until = this.clock() + seconds * 1000;
    this.holdUntil(method, channel, until);
    this.onHold({ method, channel: channel ?? null, until });
  }

  /** Another process's hold, held here as if Slack had said it to this one. */
  adopt(hold: SharedHold): void {
    this.holdUntil(hold.method, hold.channel ?? undefined, hold.until);
  }

  private holdUntil(method: string, channel: string | undefined, until: number): void {
    const now = this.clock();
    if (until <= now) return;
    // Expired holds are dropped on the way, so the map stays as small as the channels being limited.
    for (const [key, at] of this.until) if (at <= now) this.until.delete(key);
    const key = this.key(method, channel);
    const heldElsewhere =
      channel !== undefined && [...this.until.keys()].some((k) => k.startsWith(`${method}:`) && k !== key);
    this.until.set(key, Math.max(until, this.until.get(key) ?? 0));
    if (heldElsewhere) this.until.set(method, Math.max(until, this.until.get(method) ?? 0));
  }
}
