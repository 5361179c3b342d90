import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../../src/logging/logger.js';
import type { ServiceDeps } from '../../../../src/services/shared/context.js';
import { acknowledgeAfter, type ListenerDeps } from '../../../../src/slack/listeners/context.js';
import { InFlight } from '../../../../src/slack/listeners/in-flight.js';

const BUDGET_MS = 2000;

/** Listener dependencies whose log is kept; the services are never reached by work that succeeds. */
function depsWithLog() {
  const lines: { level: number; msg: string; budgetMs?: number }[] = [];
  // The bot's own logger as production builds it: one JSON line per entry.
  const logger = createLogger({
    level: 'warn',
    production: true,
    destination: { write: (line: string) => lines.push(JSON.parse(line)) },
  });
  const deps: ListenerDeps = {
    services: {} as ServiceDeps,
    logger,
    defaultTimezone: 'UTC',
    inFlight: new InFlight(),
    ackBudgetMs: BUDGET_MS,
  };
  return { deps, lines };
}

/** Work that finishes when the test says so. */
function heldWork() {
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return { work: () => done, finish };
}

describe('acknowledgeAfter: the ack waits for the work, but never past the budget', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('acknowledges as soon as work within the budget has finished, and logs nothing', async () => {
    const { deps, lines } = depsWithLog();
    const { work, finish } = heldWork();
    const ack = vi.fn(async () => {});
    const answered = acknowledgeAfter(deps, ack, undefined, work);
    await vi.advanceTimersByTimeAsync(BUDGET_MS - 1);
    expect(ack).not.toHaveBeenCalled();
    finish();
    await answered;
    expect(ack).toHaveBeenCalledTimes(1);
    expect(lines).toEqual([]);
    expect(deps.inFlight.size).toBe(0);
  });

  it('acknowledges at the budget when the work is slower, logs it, and the work goes on', async () => {
    const { deps, lines } = depsWithLog();
    const { work, finish } = heldWork();
    const ack = vi.fn(async () => {});
    const answered = acknowledgeAfter(deps, ack, undefined, work);
    await vi.advanceTimersByTimeAsync(BUDGET_MS);
    await answered;
    expect(ack).toHaveBeenCalledTimes(1);
    expect(lines).toMatchObject([{ level: 40, budgetMs: BUDGET_MS }]);
    expect(lines[0]?.msg).toContain('before its work finished');
    // Still tracked, so a shutdown waits for it.
    expect(deps.inFlight.size).toBe(1);
    finish();
    await deps.inFlight.idle();
    expect(deps.inFlight.size).toBe(0);
  });
});
