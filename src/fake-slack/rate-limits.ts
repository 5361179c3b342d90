/**
 * Slack's published Web API rate limits, modelled for the fake workspace (off unless asked for).
 * Sources: https://api.slack.com/apis/rate-limits (tiers: Tier 1 1+/min, Tier 2 20+/min, Tier 3
 * 50+/min, Tier 4 100+/min, per method per workspace; chat.postMessage "special": about one message
 * per second per channel) and each method's page for its tier (as in /work/shared/slack-notes.md).
 * The "+" means Slack may allow more; the model takes the published floor, so it is the strict case.
 */
export const TIER_PER_MINUTE = { 1: 1, 2: 20, 3: 50, 4: 100 } as const;

export const METHOD_TIERS: Readonly<Record<string, keyof typeof TIER_PER_MINUTE>> = {
  'conversations.create': 2,
  'conversations.invite': 3,
  'conversations.setTopic': 2,
  'conversations.list': 2,
  'conversations.history': 3,
  'chat.update': 3,
  'chat.postEphemeral': 4,
  'pins.add': 2,
  'bookmarks.add': 2,
  'views.publish': 4,
  'views.open': 4,
  'users.info': 4,
};

/** chat.postMessage: one message per second per channel. */
export const POST_MESSAGE_INTERVAL_MS = 1000;

const MINUTE_MS = 60_000;

/** Decides, call by call, whether Slack would answer 429 and with which Retry-After (seconds). */
export class RateLimitModel {
  private readonly recent = new Map<string, number[]>();
  private readonly lastPost = new Map<string, number>();

  /** Seconds to wait when this call is over the limit, else null (and the call is counted). */
  check(method: string, channel: string | undefined, now: number): number | null {
    if (method === 'chat.postMessage') {
      const key = channel ?? '';
      const last = this.lastPost.get(key);
      if (last !== undefined && now - last < POST_MESSAGE_INTERVAL_MS) {
        return Math.max(1, Math.ceil((last + POST_MESSAGE_INTERVAL_MS - now) / 1000));
      }
      this.lastPost.set(key, now);
      return null;
    }
    const tier = METHOD_TIERS[method];
    if (tier === undefined) return null;
    const limit = TIER_PER_MINUTE[tier];
    const calls = (this.recent.get(method) ?? []).filter((at) => now - at < MINUTE_MS);
    if (calls.length >= limit) {
      this.recent.set(method, calls);
      return Math.max(1, Math.ceil(((calls[0] ?? now) + MINUTE_MS - now) / 1000));
    }
    calls.push(now);
    this.recent.set(method, calls);
    return null;
  }
}

/**
 * The least time Slack's limits allow for a set of successful calls, from the first to the last: per
 * method, the calls beyond one minute's allowance need a further minute per allowance; per channel,
 * posts need a second apart. The longest of these is the floor.
 */
export function leastTimeMs(calls: { method: string; channel?: string }[]): number {
  const perMethod = new Map<string, number>();
  const perChannel = new Map<string, number>();
  for (const call of calls) {
    if (call.method === 'chat.postMessage') {
      perChannel.set(call.channel ?? '', (perChannel.get(call.channel ?? '') ?? 0) + 1);
    } else if (METHOD_TIERS[call.method] !== undefined) {
      perMethod.set(call.method, (perMethod.get(call.method) ?? 0) + 1);
    }
  }
  let least = 0;
  for (const [method, count] of perMethod) {
    const limit = TIER_PER_MINUTE[METHOD_TIERS[method] ?? 4];
    least = Math.max(least, Math.floor((count - 1) / limit) * MINUTE_MS);
  }
  for (const count of perChannel.values()) least = Math.max(least, (count - 1) * POST_MESSAGE_INTERVAL_MS);
  return least;
}
