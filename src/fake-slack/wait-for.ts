import { setTimeout as sleep } from 'node:timers/promises';
import type { WaitForOptions } from './types.js';

/**
 * Polls `probe` until it returns a truthy value (a sync or async probe). A probe that throws counts
 * as "not yet", and its last error is quoted if time runs out, so `expect` can be used inside.
 */
export async function waitFor<T>(
  probe: () => T | undefined | null | false | PromiseLike<T | undefined | null | false>,
  options: WaitForOptions = {},
  context?: () => string,
): Promise<T> {
  const { timeoutMs = 5000, intervalMs = 20, description } = options;
  const deadline = Date.now() + timeoutMs;
  // Also bounded by a poll count, so a test that fakes the clock cannot make the wait endless.
  let pollsLeft = Math.ceil(timeoutMs / Math.max(intervalMs, 1));
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    pollsLeft -= 1;
    if (Date.now() >= deadline || pollsLeft < 0) {
      const parts = [
        `waitFor: condition not met within ${timeoutMs} ms${description ? ` (${description})` : ''}`,
      ];
      if (lastError !== undefined) {
        parts.push(`last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
      }
      const extra = context?.();
      if (extra) parts.push(extra);
      throw new Error(parts.join('\n'));
    }
    await sleep(intervalMs);
  }
}
