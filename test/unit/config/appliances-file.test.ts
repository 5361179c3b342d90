import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAppliancesFile } from '../../../src/config/appliances-file.js';
import { ConfigError, describeConfig, loadConfig } from '../../../src/config/env.js';
import { createLogger } from '../../../src/logging/logger.js';

const dir = mkdtempSync(join(tmpdir(), 'pra-appliances-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const GOOD = `appliances:
  - name: pra-a
    url: https://pra-a.example.com/
    client_id: abc
    client_secret: { env: PRA_A_SECRET }
    timeout_seconds: 5
  - name: pra-b
    url: https://pra-b.example.com
    client_id: def
    client_secret: { file: b-secret.txt }
`;

describe('PRA_APPLIANCES_FILE', () => {
  it('reads every appliance, its secret from the environment or a file, and hides the secrets', () => {
    file('b-secret.txt', 'file-secret-value\n');
    const path = file('good.yml', GOOD);
    const loaded = loadAppliancesFile(path, { PRA_A_SECRET: 'env-secret-value' });
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.appliances.map((a) => [a.name, a.baseUrl, a.clientId, a.timeoutMs])).toEqual([
      ['pra-a', 'https://pra-a.example.com', 'abc', 5000],
      ['pra-b', 'https://pra-b.example.com', 'def', 10_000],
    ]);
    expect(loaded.appliances.map((a) => a.clientSecret.reveal())).toEqual([
      'env-secret-value',
      'file-secret-value',
    ]);
    const printed = `${JSON.stringify(loaded)} ${inspect(loaded, { depth: 5 })} ${String(loaded.appliances[0]?.clientSecret)}`;
    expect(printed).not.toContain('env-secret-value');
    expect(printed).not.toContain('file-secret-value');

    const config = loadConfig({ PRA_APPLIANCES_FILE: path, PRA_A_SECRET: 'env-secret-value' });
    expect(config.appliances).toHaveLength(2);
    expect(JSON.stringify(describeConfig(config))).not.toContain('secret-value');
  });

  it('names every problem at once: http, a secret in the file, unknown keys, duplicates, a missing variable', () => {
    const path = file(
      'bad.yml',
      `appliances:
  - name: pra-a
    url: http://pra-a.example.com
    client_id: abc
    client_secret: hunter2
  - name: pra-a
    url: https://pra-a2.example.com
    client_id: abc
    client_secret: { env: NOT_SET_ANYWHERE }
    verify_tls: false
`,
    );
    const loaded = loadAppliancesFile(path, {});
    expect(loaded.ok).toBe(false);
    const text = loaded.ok ? '' : loaded.problems.join('\n');
    expect(text).toContain('appliances.0.url must be an https:// URL');
    expect(text).toContain(
      'appliances.0.client_secret must be { env: VARIABLE_NAME } or { file: /path/to/secret }',
    );
    expect(text).toContain('verify_tls');
    expect(text).toContain('“pra-a” is listed twice');
    expect(text).not.toContain('hunter2');
  });

  it('names a missing secret variable, an unreadable CA bundle, bad YAML and a missing file', () => {
    const path = file(
      'missing.yml',
      `appliances:
  - name: pra-a
    url: https://pra-a.example.com
    client_id: abc
    client_secret: { env: PRA_A_SECRET }
    ca_file: nowhere.pem
`,
    );
    const loaded = loadAppliancesFile(path, {});
    const text = loaded.ok ? '' : loaded.problems.join('\n');
    expect(text).toContain('PRA_A_SECRET is not set');
    expect(text).toContain('ca_file (pra-a): cannot be read');
    const yaml = loadAppliancesFile(file('broken.yml', 'appliances: [ {'), {});
    expect(yaml.ok ? '' : yaml.problems.join()).toContain('is not valid YAML');
    const absent = loadAppliancesFile(join(dir, 'absent.yml'), {});
    expect(absent.ok ? '' : absent.problems.join()).toContain('cannot be read');
    expect(() => loadConfig({ PRA_APPLIANCES_FILE: path })).toThrow(ConfigError);
  });

  it('allows plain http only to a simulator on loopback', () => {
    const path = file(
      'loopback.yml',
      `appliances:
  - name: sim
    url: http://127.0.0.1:4567
    client_id: abc
    client_secret: { env: S }
`,
    );
    expect(loadAppliancesFile(path, { S: 'x' }).ok).toBe(true);
  });

  it('a logged configuration, even logged carelessly, never shows a secret', () => {
    file('b-secret.txt', 'file-secret-value\n');
    const config = loadConfig({
      PRA_APPLIANCES_FILE: file('log.yml', GOOD),
      PRA_A_SECRET: 'env-secret-value',
    });
    const lines: string[] = [];
    const logger = createLogger({
      level: 'debug',
      production: true,
      destination: { write: (line: string) => lines.push(line) },
    });
    logger.info({ config: describeConfig(config) }, 'starting');
    logger.debug({ appliances: config.appliances, raw: config }, 'careless');
    logger.debug({ client_secret: 'env-secret-value', access_token: 'token-value' }, 'by key');
    const logged = lines.join('\n');
    expect(logged).toContain('pra-a');
    expect(logged).not.toContain('env-secret-value');
    expect(logged).not.toContain('file-secret-value');
    expect(logged).not.toContain('token-value');
  });

  it('without the variable there are no appliances', () => {
    expect(loadConfig({}).appliances).toEqual([]);
  });
});
