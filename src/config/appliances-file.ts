// The appliances the bot may ask (PRA_APPLIANCES_FILE): YAML, parsed with zod at start-up. Secrets
// never live in the file itself: each entry says which environment variable or file holds it.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { Secret } from './secret.js';

export interface LinkedApplianceConfig {
  /** What `--a`, `--b`, `--old` and `--new` name. */
  name: string;
  /** https://host[:port], no trailing slash. */
  baseUrl: string;
  clientId: string;
  clientSecret: Secret;
  /** PEM bundle of the internal CA that signed the appliance's certificate; null: the system's CAs. */
  ca: string | null;
  timeoutMs: number;
}

const DEFAULT_TIMEOUT_SECONDS = 10;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

const secretSource = z.union(
  [
    z
      .object({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name') })
      .strict(),
    z.object({ file: z.string().min(1) }).strict(),
  ],
  { error: 'must be { env: VARIABLE_NAME } or { file: /path/to/secret }, never the secret itself' },
);

const entry = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/, 'must be a name such as pra-a or pra-a.example.com'),
    url: z.string().refine((value) => {
      if (!URL.canParse(value)) return false;
      const url = new URL(value);
      // Plain http only to a simulator on this machine: a real appliance is always https.
      return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
    }, 'must be an https:// URL such as https://pra-a.example.com'),
    client_id: z.string().min(1, 'must be the API account client id'),
    client_secret: secretSource,
    ca_file: z.string().min(1).optional(),
    timeout_seconds: z.number().positive().max(120).optional(),
  })
  .strict();

const file = z.object({ appliances: z.array(entry).min(1, 'must list at least one appliance') }).strict();

/** Names listed twice, found even when other fields are wrong, so one start names every problem. */
function duplicates(raw: unknown): string[] {
  const list = (raw as { appliances?: unknown } | null)?.appliances;
  if (!Array.isArray(list)) return [];
  const seen = new Set<string>();
  const problems: string[] = [];
  list.forEach((item, index) => {
    const name = (item as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') return;
    if (seen.has(name.toLowerCase())) problems.push(`appliances.${index}.name “${name}” is listed twice`);
    seen.add(name.toLowerCase());
  });
  return problems;
}

export const APPLIANCES_FILE_EXAMPLE = `appliances:
  - name: pra-a
    url: https://pra-a.example.com
    client_id: 0123456789abcdef
    client_secret: { env: PRA_A_CLIENT_SECRET }
    ca_file: /etc/pra-upgrade/internal-ca.pem
    timeout_seconds: 10`;

function readText(path: string): string | Error {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * Reads and checks the appliances file; every problem is named (by variable, file and field) at once.
 * `env` is where `client_secret: { env: … }` is looked up: the same environment as the rest.
 */
export function loadAppliancesFile(
  path: string,
  env: Record<string, string | undefined>,
): { ok: true; appliances: LinkedApplianceConfig[] } | { ok: false; problems: string[] } {
  const where = `PRA_APPLIANCES_FILE (${path})`;
  const text = readText(path);
  if (text instanceof Error) return { ok: false, problems: [`${where}: cannot be read (${text.message})`] };
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { ok: false, problems: [`${where}: is not valid YAML (${message})`] };
  }
  const parsed = file.safeParse(raw);
  const twice = duplicates(raw);
  if (!parsed.success || twice.length > 0) {
    const issues = parsed.success
      ? []
      : parsed.error.issues.map(
          (issue) =>
            `${issue.path.length > 0 ? issue.path.map(String).join('.') : 'the file'} ${issue.message}`,
        );
    const problems = [...issues, ...twice].map((p) => `${where}: ${p}`);
    problems.push(`${where}: an entry looks like this:\n${APPLIANCES_FILE_EXAMPLE}`);
    return { ok: false, problems };
  }
  const base = dirname(resolve(path));
  const problems: string[] = [];
  const appliances: LinkedApplianceConfig[] = [];
  for (const [index, a] of parsed.data.appliances.entries()) {
    const field = (name: string) => `${where}: appliances.${index}.${name} (${a.name})`;
    let secret: string | null = null;
    if ('env' in a.client_secret) {
      const value = env[a.client_secret.env]?.trim();
      if (value) secret = value;
      else
        problems.push(
          `${field('client_secret')}: the environment variable ${a.client_secret.env} is not set`,
        );
    } else {
      const value = readText(resolve(base, a.client_secret.file));
      if (value instanceof Error) {
        problems.push(
          `${field('client_secret')}: the file ${a.client_secret.file} cannot be read (${value.message})`,
        );
      } else if (value.trim() === '') {
        problems.push(`${field('client_secret')}: the file ${a.client_secret.file} is empty`);
      } else secret = value.trim();
    }
    let ca: string | null = null;
    if (a.ca_file) {
      const value = readText(resolve(base, a.ca_file));
      if (value instanceof Error) problems.push(`${field('ca_file')}: cannot be read (${value.message})`);
      else if (!value.includes('-----BEGIN CERTIFICATE-----'))
        problems.push(`${field('ca_file')}: is not a PEM certificate bundle`);
      else ca = value;
    }
    if (secret === null) continue;
    appliances.push({
      name: a.name,
      baseUrl: a.url.replace(/\/+$/, ''),
      clientId: a.client_id,
      clientSecret: new Secret(secret),
      ca,
      timeoutMs: (a.timeout_seconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, appliances };
}
