import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { findUpgrade } from '../../../src/db/repositories/upgrades.js';
import { auditEvents } from '../../../src/db/schema.js';
import { planOf, topologicalOrder } from '../../../src/engine/index.js';
import { confirmStep } from '../../../src/services/confirm-step.js';
import { startUpgrade } from '../../../src/services/start-upgrade.js';
import { scriptedAppliances } from '../../support/appliances.js';
import { useTestDatabase } from '../../support/database.js';
import { prerequisitesOf } from '../../support/engine.js';
import { asUser, FakeClock, startedUpgrade, startInput, testDeps } from '../../support/services.js';

describe('a verified click whose check cannot be finished', () => {
  const clock = new FakeClock();
  const test = useTestDatabase();

  it('does not leave the step "checking": the check is noted as unavailable and the failure goes on', async () => {
    const port = scriptedAppliances();
    const deps = testDeps(test.database, clock, { appliances: port });
    const upgradeId = await startedUpgrade(deps, { applianceA: 'pra-a', applianceB: 'pra-b' });
    const first = await findUpgrade(test.database.db, upgradeId);
    if (!first) throw new Error('not stored');
    const plan = planOf(first.state);
    const verified = (topologicalOrder(plan) ?? []).find(
      (key) => plan.steps.find((s) => s.key === key)?.verification,
    );
    if (!verified) throw new Error('no verified step in the plan');
    for (const step of prerequisitesOf(first.state, verified)) {
      for (const user of ['UALICE', 'UBOB']) {
        await confirmStep({
          ctx: asUser(deps, user),
          input: {
            target: { upgradeId },
            command: { type: 'complete', step },
            requestKey: null,
            responseUrl: null,
          },
        });
      }
    }
    const ready = await findUpgrade(test.database.db, upgradeId);
    expect(
      prerequisitesOf(first.state, verified).every((k) => ready?.state.steps[k]?.status === 'done'),
    ).toBe(true);

    port.broken = true;
    const click = confirmStep({
      ctx: asUser(deps, 'UALICE'),
      input: {
        target: { upgradeId },
        command: { type: 'complete', step: verified },
        requestKey: null,
        responseUrl: null,
      },
    });
    await expect(click).rejects.toThrow('an appliance client bug');
    const after = await findUpgrade(test.database.db, upgradeId);
    expect(after?.state.steps[verified]?.verified?.outcome).toBe('unavailable');
    expect(after?.state.steps[verified]?.status).not.toBe('done');
  });
});

// A database of its own: the test counts every appliance-queried row there is.
describe('a start that asks the appliances', () => {
  const test = useTestDatabase();

  it('audits the calls of a Slack retry too, though the retry starts nothing', async () => {
    const deps = testDeps(test.database, new FakeClock(), { appliances: scriptedAppliances() });
    const input = startInput({
      applianceA: 'pra-a',
      applianceB: 'pra-b',
      requestKey: 'slack-retry-of-one-start',
    });
    const first = await startUpgrade({ ctx: asUser(deps, 'UALICE'), input });
    const retry = await startUpgrade({ ctx: asUser(deps, 'UALICE'), input });
    expect(first.outcome).toBe('started');
    expect(retry).toEqual({ outcome: 'duplicate-delivery' });
    const queried = await test.database.db
      .select({ detail: auditEvents.detail })
      .from(auditEvents)
      .where(eq(auditEvents.action, 'appliance-queried'));
    expect(queried.map((r) => (r.detail as { purpose?: string }).purpose)).toEqual(['start', 'start']);
  });
});
