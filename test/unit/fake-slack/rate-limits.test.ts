import { describe, expect, it } from 'vitest';
import { leastTimeMs, RateLimitModel } from '../../../src/fake-slack/rate-limits.js';

describe("the fake Slack's rate-limit model", () => {
  it('lets a Tier 2 method make 20 calls a minute, then asks to wait until the oldest leaves the window', () => {
    const model = new RateLimitModel();
    for (let i = 0; i < 20; i++) expect(model.check('conversations.create', undefined, i * 1000)).toBeNull();
    expect(model.check('conversations.create', undefined, 30_000)).toBe(30);
    expect(model.check('conversations.create', undefined, 60_000)).toBeNull();
  });

  it('lets a channel receive one post a second, other channels unaffected', () => {
    const model = new RateLimitModel();
    expect(model.check('chat.postMessage', 'C1', 0)).toBeNull();
    expect(model.check('chat.postMessage', 'C1', 400)).toBe(1);
    expect(model.check('chat.postMessage', 'C2', 400)).toBeNull();
    expect(model.check('chat.postMessage', 'C1', 1000)).toBeNull();
  });

  it('does not limit methods it has no tier for', () => {
    const model = new RateLimitModel();
    for (let i = 0; i < 500; i++) expect(model.check('auth.test', undefined, 0)).toBeNull();
  });

  it('computes the least time the limits allow for a set of calls', () => {
    const posts = Array.from({ length: 6 }, () => ({ method: 'chat.postMessage', channel: 'C1' }));
    expect(leastTimeMs(posts)).toBe(5000);
    const updates = Array.from({ length: 120 }, () => ({ method: 'chat.update', channel: 'C1' }));
    expect(leastTimeMs(updates)).toBe(120_000);
    expect(leastTimeMs([])).toBe(0);
  });
});
