import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApplianceSimulator, type SimulatorOptions } from '../../src/appliances/simulator.js';
import type { LinkedApplianceConfig } from '../../src/config/appliances-file.js';
import { Secret } from '../../src/config/secret.js';

const TLS_DIR = join(import.meta.dirname, '..', 'fixtures', 'tls');
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
