import { describe, expect, it } from 'vitest';
import { BLOCK_KIT_LIMITS } from '../../../../src/fake-slack/block-kit-limits.js';
import { SLACK_LIMITS } from '../../../../src/slack/blocks/limits.js';

// The fake keeps its own table of what Slack refuses, so it checks the builders instead of agreeing
// with them; this keeps the two from drifting apart.
describe('the limits the builders cut to', () => {
  it('never exceed what the fake Slack accepts, for every limit both know', () => {
    const fake: Record<string, number> = {
      ...BLOCK_KIT_LIMITS,
      fieldText: BLOCK_KIT_LIMITS.sectionFieldText,
    };
    const shared = Object.entries(SLACK_LIMITS).filter(([key]) => key in fake);
    expect(shared.length).toBeGreaterThanOrEqual(Object.keys(BLOCK_KIT_LIMITS).length);
    for (const [key, limit] of shared) expect(limit, key).toBeLessThanOrEqual(fake[key] ?? 0);
  });
});
