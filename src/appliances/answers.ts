// Parsers for what a BeyondTrust appliance answers. Every answer is validated with zod before the
// bot relies on it; an answer of the wrong shape is an "invalid-answer", never a guess.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { FAILOVER_ROLES } from '../engine/constants.js';
import type { HealthReading } from '../engine/types.js';

// Local names only: older appliances answer in the bomgar.com namespace, newer ones in beyondtrust.com.
const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => name === 'ip',
});

const textOf = z
  .union([z.string(), z.object({ '#text': z.string().optional() }).loose()])
  .transform((v) => (typeof v === 'string' ? v : (v['#text'] ?? '')));

const versionPattern = /^([0-9][0-9A-Za-z.-]*)\s*(?:\(([^)]*)\))?$/;

const healthCheck = z
  .object({
    appliance: textOf,
    version: z.string().regex(versionPattern, 'is not a version such as 19.1.8 (37380)'),
    success: z.enum(['0', '1']),
    error_message: textOf.optional(),
    failover_role: z
      .string()
      .transform((role) => role.toLowerCase())
      .pipe(z.enum(FAILOVER_ROLES)),
    enabled_shared_ips: z
      .union([z.literal(''), z.object({ ip: z.array(textOf).optional() }).loose()])
      .optional(),
    last_data_sync_time: z
      .union([
        z.string(),
        z.object({ '#text': z.string().optional(), '@_ts': z.string().optional() }).loose(),
      ])
      .optional(),
    last_data_sync_status: textOf.optional(),
  })
  .loose();

export type ParsedAnswer<T> =
  | { ok: true; value: T }
  | { ok: false; kind: 'appliance-error' | 'invalid-answer'; message: string };

function syncTime(raw: z.infer<typeof healthCheck>['last_data_sync_time']): string | null {
  if (raw === undefined || raw === '') return null;
  const ts = typeof raw === 'string' ? undefined : raw['@_ts'];
  if (ts && /^\d+$/.test(ts)) {
    // A timestamp past what a Date holds is no time at all: the text, if any, is read instead.
    const at = new Date(Number(ts) * 1000);
    if (!Number.isNaN(at.getTime())) return at.toISOString();
  }
  const text = typeof raw === 'string' ? raw : raw['#text'];
  if (!text) return null;
  const parsed = new Date(text);
  return Number.isNaN(parsed.getTime()) ? null : parsed.toISOString();
}

/** `GET /api/command?action=check_health`: a `<health_check>` root, or an `<error>` root with the message. */
export function parseHealthCheck(body: string): ParsedAnswer<HealthReading> {
  if (XMLValidator.validate(body) !== true) {
    return { ok: false, kind: 'invalid-answer', message: 'the appliance answered something that is not XML' };
  }
  const document = xml.parse(body) as Record<string, unknown>;
  if ('error' in document) {
    const message = textOf.safeParse(document.error);
    return {
      ok: false,
      kind: 'appliance-error',
      message: `the appliance answered with an error: ${message.success && message.data ? message.data : 'no message'}`,
    };
  }
  const parsed = healthCheck.safeParse(document.health_check);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      kind: 'invalid-answer',
      message: `the appliance's check_health answer is not understood (${issue ? `${issue.path.join('.') || 'health_check'} ${issue.message}` : 'no <health_check>'})`,
    };
  }
  const h = parsed.data;
  const [, version = h.version, build] = versionPattern.exec(h.version) ?? [];
  const shared = h.enabled_shared_ips;
  const ips = typeof shared === 'object' ? (shared.ip ?? []) : [];
  return {
    ok: true,
    value: {
      hostname: h.appliance,
      version,
      build: build ?? null,
      healthy: h.success === '1',
      errorMessage: h.error_message || null,
      role: h.failover_role,
      sharedIps: ips.filter((ip) => ip !== ''),
      lastSyncAt: syncTime(h.last_data_sync_time),
      lastSyncStatus: h.last_data_sync_status || null,
    },
  };
}

/** The token endpoint's answer (`POST /oauth2/token`). */
export const tokenAnswer = z.object({
  access_token: z.string().min(1),
  token_type: z.string().refine((t) => t.toLowerCase() === 'bearer', 'is not Bearer'),
  expires_in: z.number().int().positive(),
});

/** What an appliance answers on a refused call (`{"error": "access_denied", "message": …}`). */
export const errorAnswer = z.object({ error: z.string(), message: z.string().optional() }).loose();

export const jumpClientItem = z
  .object({
    id: z.number().int(),
    name: z.string().nullish(),
    hostname: z.string().nullish(),
    needs_update: z.boolean(),
  })
  .loose();

export const jumpointItem = z
  .object({
    id: z.number().int(),
    name: z.string(),
    connected: z.boolean(),
    enabled: z.boolean().optional(),
  })
  .loose();

/** The X-BT-Pagination-* headers of a Configuration API list. */
export function lastPageOf(headers: Record<string, string | string[] | undefined>): number | null {
  const raw = headers['x-bt-pagination-last-page'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value && /^\d+$/.test(value) ? Number(value) : null;
}
