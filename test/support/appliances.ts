import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplianceSimulator, type SimulatorOptions } from '../../src/appliances/simulator.js';
import type { LinkedApplianceConfig } from '../../src/config/appliances-file.js';
import { Secret } from '../../src/config/secret.js';
import type { HealthReading } from '../../src/engine/types.js';
import type { AppliancePort } from '../../src/services/ports/appliances.js';
import { Harness, type HarnessOptions } from './harness.js';
import type { FakeClock } from './services.js';

const TLS_DIR = join(import.meta.dirname, 'tls');
export const TEST_CA = readFileSync(join(TLS_DIR, 'ca.pem'), 'utf8');
export const TEST_TLS = {
  key: readFileSync(join(TLS_DIR, 'appliance.key'), 'utf8'),
  cert: readFileSync(join(TLS_DIR, 'appliance.pem'), 'utf8'),
};

/** How the bot is configured for a simulator, as loading the appliances file would give it. */
export function linkedConfig(
  name: string,
  simulator: ApplianceSimulator,
  extra: Partial<LinkedApplianceConfig> = {},
): LinkedApplianceConfig {
  return {
    name,
    baseUrl: simulator.url,
    clientId: simulator.clientId,
    clientSecret: new Secret(simulator.clientSecret),
    ca: null,
    timeoutMs: 2000,
    ...extra,
  };
}

export function startSimulator(options: SimulatorOptions = {}): Promise<ApplianceSimulator> {
  return ApplianceSimulator.start(options);
}

/** Two simulated appliances (A primary, B backup, 23.3.1), an appliances file naming them, and the bot. */
export async function startLinkedHarness(
  options: { timeoutSeconds?: number; harness?: HarnessOptions } = {},
) {
  const clock: { current: FakeClock | null } = { current: null };
  const now = () => clock.current?.now().toMillis() ?? Date.now();
  const a = await ApplianceSimulator.start({ now, state: { hostname: 'pra-a', role: 'primary' } });
  const b = await ApplianceSimulator.start({ now, state: { hostname: 'pra-b', role: 'backup' } });
  const dir = mkdtempSync(join(tmpdir(), 'pra-linked-'));
  const file = join(dir, 'appliances.yml');
  writeFileSync(join(dir, 'b-secret'), `${b.clientSecret}\n`);
  const timeout = options.timeoutSeconds ?? 5;
  writeFileSync(
    file,
    `appliances:
  - name: pra-a
    url: ${a.url}
    client_id: ${a.clientId}
    client_secret: { env: PRA_A_SECRET }
    timeout_seconds: ${timeout}
  - name: pra-b
    url: ${b.url}
    client_id: ${b.clientId}
    client_secret: { file: b-secret }
    timeout_seconds: ${timeout}
`,
  );
  const h = await Harness.start({
    ...options.harness,
    env: { PRA_APPLIANCES_FILE: file, PRA_A_SECRET: a.clientSecret, ...options.harness?.env },
  });
  clock.current = h.clock;
  return {
    h,
    a,
    b,
    /** The simulators' clock as a Date (the bot's fake clock). */
    now: () => new Date(now()),
    async stop() {
      await h.stop();
      await a.stop();
      await b.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * pra-a and pra-b in process, answering well (healthy, synced, clients online) until `broken`, then
 * failing in a way the port promises never to: a throw. For the services' own tests; over HTTP, see
 * startLinkedHarness.
 */
export function scriptedAppliances(): AppliancePort & { broken: boolean } {
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
