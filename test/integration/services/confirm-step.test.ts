import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUpgrade } from '../../../src/db/repositories/upgrades.js';
import { planOf, topologicalOrder } from '../../../src/engine/index.js';
import type { HealthReading } from '../../../src/engine/types.js';
import { confirmStep } from '../../../src/services/confirm-step.js';
import type { AppliancePort } from '../../../src/services/ports/appliances.js';
import { startUpgrade } from '../../../src/services/start-upgrade.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { prerequisitesOf } from '../../support/engine.js';
import { asUser, FakeClock, startInput, testDeps } from '../../support/services.js';

/** Appliances that answer well until `broken`, then fail in a way the port promises never to: a throw. */
function appliances(): AppliancePort & { broken: boolean } {
  const health = (name: string): HealthReading => ({
    hostname: name,
    version: '23.3.1',
    build: '4123',
    healthy: true,
    errorMessage: null,
    role: name === 'pra-a' ? 'primary' : 'backup',
    sharedIps: [],
    lastSyncAt: null,
    lastSyncStatus: null,
  });
  const port = {
    broken: false,
    canonicalName: (name: string) => (name === 'pra-a' || name === 'pra-b' ? name : null),
    async health(name: string) {
      if (port.broken) throw new Error('an appliance client bug');
      return { ok: true as const, value: health(name), calls: [] };
    },
    async jumpClients() {
      if (port.broken) throw new Error('an appliance client bug');
      return { ok: true as const, value: { pending: 0, total: 3 }, calls: [] };
    },
    async jumpoints() {
      if (port.broken) throw new Error('an appliance client bug');
      return { ok: true as const, value: { total: 1, connected: 1, disconnected: [] }, calls: [] };
    },
  };
  return port;
}

describe('a verified click whose check cannot be finished', () => {
  let test: TestDatabase;
  const clock = new FakeClock();
  beforeAll(async () => {
    test = await createTestDatabase();
  });
  afterAll(() => test.dispose());

  it('does not leave the step "checking": the check is noted as unavailable and the failure goes on', async () => {
    const port = appliances();
    const deps = testDeps(test.database, clock, { appliances: port });
    const started = await startUpgrade({
      ctx: asUser(deps, 'UALICE'),
      input: startInput({ applianceA: 'pra-a', applianceB: 'pra-b' }),
    });
    if (started.outcome !== 'started') throw new Error(`not started: ${started.outcome}`);
    const upgradeId = started.upgradeId;
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
