import { afterEach, describe, expect, it } from 'vitest';
import { createApplianceClient } from '../../../src/appliances/client.js';
import type { ApplianceSimulator } from '../../../src/appliances/simulator.js';
import { linkedConfig, startSimulator, TEST_CA, TEST_TLS } from '../../support/appliances.js';

const started: ApplianceSimulator[] = [];
async function simulator(options: Parameters<typeof startSimulator>[0] = {}) {
  const s = await startSimulator(options);
  started.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

const noWait = async () => undefined;

describe('the BeyondTrust client against the simulator', () => {
  it('reuses one token across many checks and asks for a new one only after it expires', async () => {
    let now = Date.parse('2026-12-01T20:00:00Z');
    const sim = await simulator({
      now: () => now,
      state: { role: 'primary', version: '24.1.2', build: '5123' },
    });
    const client = createApplianceClient([linkedConfig('pra-a', sim)], { now: () => now, sleep: noWait });
    for (let i = 0; i < 12; i++) {
      const answer = await client.health('pra-a');
      expect(answer.ok && answer.value.version).toBe('24.1.2');
    }
    expect(sim.tokensIssued).toBe(1);
    now += 3600_000;
    const after = await client.health('PRA-A');
    expect(after.ok && after.value.build).toBe('5123');
    expect(sim.tokensIssued).toBe(2);
  });

  it('renews the token once when the appliance answers 401, then goes on', async () => {
    const sim = await simulator();
    const client = createApplianceClient([linkedConfig('pra-a', sim)], { sleep: noWait });
    expect((await client.health('pra-a')).ok).toBe(true);
    sim.revokeTokens();
    const answer = await client.health('pra-a');
    expect(answer.ok).toBe(true);
    expect(sim.tokensIssued).toBe(2);
    expect(answer.calls.map((c) => `${c.operation}:${c.status}`)).toEqual([
      'check_health:401',
      'token:200',
      'check_health:200',
    ]);
  });

  it('answers unauthorized when the token is refused even after renewal, and for bad credentials', async () => {
    const sim = await simulator();
    const client = createApplianceClient([linkedConfig('pra-a', sim)], { sleep: noWait });
    sim.faults.auth = '401';
    const refused = await client.health('pra-a');
    expect(refused).toMatchObject({ ok: false, reason: 'unauthorized' });
    sim.faults.auth = 'ok';
    sim.faults.badCredentials = true;
    sim.revokeTokens();
    const badSecret = createApplianceClient([linkedConfig('pra-a', sim)], { sleep: noWait });
    const answer = await badSecret.health('pra-a');
    expect(answer).toMatchObject({ ok: false, reason: 'unauthorized' });
    expect(!answer.ok && answer.message).toContain('invalid_client');
  });

  it('names the missing permission on a 403', async () => {
    const sim = await simulator();
    sim.faults.auth = '403';
    const client = createApplianceClient([linkedConfig('pra-a', sim)], { sleep: noWait });
    const answer = await client.jumpClients('pra-a');
    expect(answer).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(!answer.ok && answer.message).toContain('Configuration API');
  });

  it('waits out a short Retry-After once, and answers rate-limited for a long one', async () => {
    const sim = await simulator();
    const waits: number[] = [];
    const client = createApplianceClient([linkedConfig('pra-a', sim)], {
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    sim.faults.rateLimited = { retryAfterSeconds: 2, times: 1 };
    expect((await client.health('pra-a')).ok).toBe(true);
    expect(waits).toContain(2000);
    sim.faults.rateLimited = { retryAfterSeconds: 120, times: 5 };
    const answer = await client.health('pra-a');
    expect(answer).toMatchObject({ ok: false, reason: 'rate-limited' });
    expect(!answer.ok && answer.message).toContain('120 s');
  });

  it('waits out the rest of the second after an answer with no calls left in it, and only then', async () => {
    let now = Date.parse('2026-12-01T20:00:00Z');
    const sim = await simulator({ now: () => now });
    const waits: number[] = [];
    const client = createApplianceClient([linkedConfig('pra-a', sim)], {
      now: () => now,
      sleep: async (ms) => {
        waits.push(ms);
        now += ms;
      },
    });
    expect((await client.health('pra-a')).ok).toBe(true);
    expect((await client.health('pra-a')).ok).toBe(true);
    expect(waits).toEqual([]);

    sim.faults.remaining = 0;
    expect((await client.health('pra-a')).ok).toBe(true);
    sim.faults.remaining = null;
    now += 400;
    expect((await client.health('pra-a')).ok).toBe(true);
    // The second that answer spoke of had 600 ms left; the appliance was never asked inside it.
    expect(waits).toEqual([600]);
    const [last, next] = sim.apiRequests().slice(-2);
    expect((next?.at ?? 0) - (last?.at ?? 0)).toBeGreaterThanOrEqual(1000);

    now += 5000;
    expect((await client.health('pra-a')).ok).toBe(true);
    expect(waits).toEqual([600]);
  });

  it('times out on a slow appliance and reports an unreachable one', async () => {
    const sim = await simulator();
    sim.faults.delayMs = 1500;
    const client = createApplianceClient([linkedConfig('pra-a', sim, { timeoutMs: 200 })], { sleep: noWait });
    expect(await client.health('pra-a')).toMatchObject({ ok: false, reason: 'timeout' });
    const gone = createApplianceClient(
      [linkedConfig('pra-b', sim, { baseUrl: 'http://127.0.0.1:1', timeoutMs: 1000 })],
      { sleep: noWait },
    );
    expect(await gone.health('pra-b')).toMatchObject({ ok: false, reason: 'unreachable' });
  });

  it('reads check_health in both namespaces, prefixed or not, and an <error> root', async () => {
    const sync = new Date('2026-12-01T21:00:00Z');
    const sim = await simulator({
      state: { role: 'primary', sharedIps: ['10.0.0.5'], lastSyncAt: sync, namespace: 'bomgar' },
    });
    const client = createApplianceClient([linkedConfig('pra-a', sim)], { sleep: noWait });
    for (const [namespace, prefixed] of [
      ['bomgar', false],
      ['beyondtrust', false],
      ['bomgar', true],
      ['beyondtrust', true],
    ] as const) {
      sim.set({ namespace, prefixed });
      const answer = await client.health('pra-a');
      expect(answer.ok, `${namespace} ${prefixed}`).toBe(true);
      if (answer.ok) {
        expect(answer.value).toMatchObject({
          version: '23.3.1',
          build: '4123',
          role: 'primary',
          healthy: true,
          sharedIps: ['10.0.0.5'],
          lastSyncAt: sync.toISOString(),
        });
      }
    }
    sim.faults.commandError = 'Permission denied for action check_health';
    const error = await client.health('pra-a');
    expect(error).toMatchObject({ ok: false, reason: 'appliance-error' });
    expect(!error.ok && error.message).toContain('Permission denied');
  });

  it('counts Jump Clients across several pages and finds disconnected Jumpoints', async () => {
    const sim = await simulator();
    sim.setJumpClients(250, 17);
    sim.setJumpoints(['dc-1', 'dc-2', 'lab'], ['lab']);
    const client = createApplianceClient([linkedConfig('pra-a', sim)], { sleep: noWait });
    const counted = await client.jumpClients('pra-a');
    expect(counted.ok && counted.value).toEqual({ pending: 17, total: 250 });
    expect(counted.calls.filter((c) => c.operation === 'jump-client').map((c) => c.page)).toEqual([1, 2, 3]);
    const jumpoints = await client.jumpoints('pra-a');
    expect(jumpoints.ok && jumpoints.value).toEqual({ total: 3, connected: 2, disconnected: ['lab'] });
  });

  it('verifies TLS against the configured CA and refuses an untrusted certificate', async () => {
    const sim = await simulator({ tls: TEST_TLS });
    const trusted = createApplianceClient([linkedConfig('pra-a', sim, { ca: TEST_CA })], { sleep: noWait });
    expect((await trusted.health('pra-a')).ok).toBe(true);
    const untrusted = createApplianceClient([linkedConfig('pra-a', sim)], { sleep: noWait });
    const answer = await untrusted.health('pra-a');
    expect(answer).toMatchObject({ ok: false, reason: 'tls' });
    expect(!answer.ok && answer.message).toContain('ca_file');
  });

  it('never puts the secret in what it reports', async () => {
    const sim = await simulator();
    const client = createApplianceClient([linkedConfig('pra-a', sim)], { sleep: noWait });
    sim.faults.badCredentials = true;
    const answer = await client.health('pra-a');
    expect(JSON.stringify(answer)).not.toContain(sim.clientSecret);
    expect(JSON.stringify(linkedConfig('pra-a', sim))).not.toContain(sim.clientSecret);
  });
});
