// The BeyondTrust adapter: OAuth2 client credentials with a token cache per API account, the
// Command API's check_health (XML) and the Configuration API's paged lists (JSON).
import type { z } from 'zod';
import type { LinkedApplianceConfig } from '../config/appliances-file.js';
import type { ApplianceFailure } from '../engine/constants.js';
import type { HealthReading } from '../engine/types.js';
import type { ApplianceAnswer, ApplianceCall, AppliancePort } from '../services/ports/appliances.js';
import {
  errorAnswer,
  jumpClientItem,
  jumpointItem,
  lastPageOf,
  parseHealthCheck,
  tokenAnswer,
} from './answers.js';
import { type HttpAnswer, HttpFailure, send } from './http.js';
import { TokenCache } from './token-cache.js';

export interface ApplianceClientOptions {
  /** Milliseconds since the epoch; tests pass their fake clock so token expiry follows it. */
  now?: () => number;
  /** How a Retry-After is waited out; tests pass one that returns at once. */
  sleep?: (ms: number) => Promise<void>;
  /** A Retry-After up to this long is waited out once; a longer one answers "rate-limited". */
  maxRetryAfterSeconds?: number;
}

const PER_PAGE = 100;
const MAX_PAGES = 500;

class CallFailed extends Error {
  constructor(
    readonly reason: ApplianceFailure,
    message: string,
  ) {
    super(message);
  }
}

function header(answer: HttpAnswer, name: string): string | undefined {
  const value = answer.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function refusalText(answer: HttpAnswer): string {
  try {
    const parsed = errorAnswer.safeParse(JSON.parse(answer.body));
    if (parsed.success) return parsed.data.error;
  } catch {
    // Not JSON: the status says enough.
  }
  return `HTTP ${answer.status}`;
}

export function createApplianceClient(
  appliances: LinkedApplianceConfig[],
  options: ApplianceClientOptions = {},
): AppliancePort {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const maxRetryAfter = options.maxRetryAfterSeconds ?? 5;
  const tokens = new TokenCache(now);
  const holdUntil = new Map<string, number>();
  const byName = new Map(appliances.map((a) => [a.name.toLowerCase(), a]));

  function find(name: string): LinkedApplianceConfig {
    const found = byName.get(name.toLowerCase());
    if (!found) throw new CallFailed('unreachable', `${name} is not in the appliances file`);
    return found;
  }

  async function exchange(
    appliance: LinkedApplianceConfig,
    calls: ApplianceCall[],
    operation: ApplianceCall['operation'],
    path: string,
    init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
    page?: number,
  ): Promise<HttpAnswer> {
    // X-RateLimit-Remaining reached 0 on the last answer: wait out the rest of that second.
    const wait = (holdUntil.get(appliance.name) ?? 0) - now();
    if (wait > 0) await sleep(Math.min(wait, 1000));
    try {
      const answer = await send({
        url: new URL(path, `${appliance.baseUrl}/`),
        ...init,
        ca: appliance.ca,
        timeoutMs: appliance.timeoutMs,
      });
      if (header(answer, 'x-ratelimit-remaining') === '0') holdUntil.set(appliance.name, now() + 1000);
      calls.push({
        appliance: appliance.name,
        operation,
        status: answer.status,
        outcome: 'ok',
        ...(page ? { page } : {}),
      });
      return answer;
    } catch (error) {
      const failure = error instanceof HttpFailure ? error : new HttpFailure('unreachable', String(error));
      calls.push({
        appliance: appliance.name,
        operation,
        status: null,
        outcome: failure.reason,
        ...(page ? { page } : {}),
      });
      throw new CallFailed(failure.reason, failure.message);
    }
  }

  async function newToken(appliance: LinkedApplianceConfig, calls: ApplianceCall[]) {
    const basic = Buffer.from(`${appliance.clientId}:${appliance.clientSecret.reveal()}`).toString('base64');
    const answer = await exchange(appliance, calls, 'token', '/oauth2/token', {
      method: 'POST',
      headers: {
        Authorization: `Basic ${basic}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: 'grant_type=client_credentials',
    });
    if (answer.status === 429) {
      throw new CallFailed(
        'rate-limited',
        `it is rate limiting the API account; try again in ${header(answer, 'retry-after') ?? 'a few'} s`,
      );
    }
    if (answer.status !== 200) {
      const code = refusalText(answer);
      const last = calls.at(-1);
      if (last) last.outcome = 'unauthorized';
      throw new CallFailed(
        'unauthorized',
        `it refused the API account (${code}): check client_id and the client secret, and that the account is enabled under /login > Management > API Configuration`,
      );
    }
    let parsed: z.infer<typeof tokenAnswer>;
    try {
      parsed = tokenAnswer.parse(JSON.parse(answer.body));
    } catch {
      throw new CallFailed('invalid-answer', 'its token endpoint gave an answer that is not an OAuth token');
    }
    return { token: parsed.access_token, expiresInSeconds: parsed.expires_in };
  }

  /** A GET with the account's token: renewed once on a 401, one Retry-After waited out. */
  async function authorised(
    appliance: LinkedApplianceConfig,
    calls: ApplianceCall[],
    operation: ApplianceCall['operation'],
    path: string,
    accept: string,
    page?: number,
  ): Promise<HttpAnswer> {
    let renewed = false;
    let waited = false;
    for (;;) {
      const token = await tokens.get(appliance.name, () => newToken(appliance, calls));
      const answer = await exchange(
        appliance,
        calls,
        operation,
        path,
        {
          method: 'GET',
          headers: { Authorization: `Bearer ${token}`, Accept: accept },
        },
        page,
      );
      const last = calls.at(-1);
      if (answer.status === 401) {
        tokens.invalidate(appliance.name, token);
        if (!renewed) {
          renewed = true;
          continue;
        }
        if (last) last.outcome = 'unauthorized';
        throw new CallFailed(
          'unauthorized',
          `it refused the bot's token twice (${refusalText(answer)}); check the API account`,
        );
      }
      if (answer.status === 403) {
        if (last) last.outcome = 'forbidden';
        const api = operation === 'check_health' ? 'Command API' : 'Configuration API';
        throw new CallFailed(
          'forbidden',
          `the API account lacks the ${api} permission (HTTP 403); grant it under /login > Management > API Configuration`,
        );
      }
      if (answer.status === 429) {
        if (last) last.outcome = 'rate-limited';
        const retryAfter = Number(header(answer, 'retry-after') ?? '1');
        const seconds = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : 1;
        if (!waited && seconds <= maxRetryAfter) {
          waited = true;
          await sleep(seconds * 1000);
          continue;
        }
        throw new CallFailed(
          'rate-limited',
          `it is rate limiting the API account (HTTP 429); try again in ${seconds} s`,
        );
      }
      if (answer.status >= 500 || answer.status !== 200) {
        if (last) last.outcome = 'appliance-error';
        throw new CallFailed('appliance-error', `it answered HTTP ${answer.status}`);
      }
      return answer;
    }
  }

  async function attempt<T>(
    name: string,
    work: (a: LinkedApplianceConfig, calls: ApplianceCall[]) => Promise<T>,
  ): Promise<ApplianceAnswer<T>> {
    const calls: ApplianceCall[] = [];
    try {
      return { ok: true, value: await work(find(name), calls), calls };
    } catch (error) {
      if (error instanceof CallFailed)
        return { ok: false, reason: error.reason, message: error.message, calls };
      return {
        ok: false,
        reason: 'invalid-answer',
        message: error instanceof Error ? error.message : String(error),
        calls,
      };
    }
  }

  async function list<T extends z.ZodType>(
    appliance: LinkedApplianceConfig,
    calls: ApplianceCall[],
    operation: 'jump-client' | 'jumpoint',
    item: T,
  ): Promise<z.infer<T>[]> {
    const items: z.infer<T>[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const answer = await authorised(
        appliance,
        calls,
        operation,
        `/api/config/v1/${operation}?per_page=${PER_PAGE}&current_page=${page}`,
        'application/json',
        page,
      );
      let body: unknown;
      try {
        body = JSON.parse(answer.body);
      } catch {
        throw new CallFailed('invalid-answer', `its ${operation} list is not JSON`);
      }
      const parsed = item.array().safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new CallFailed(
          'invalid-answer',
          `its ${operation} list is not understood (${issue?.path.join('.')} ${issue?.message})`,
        );
      }
      items.push(...parsed.data);
      const last = lastPageOf(answer.headers);
      if (last !== null ? page >= last : parsed.data.length < PER_PAGE) return items;
    }
    throw new CallFailed('invalid-answer', `its ${operation} list has more than ${MAX_PAGES} pages`);
  }

  return {
    canonicalName: (name) => byName.get(name.toLowerCase())?.name ?? null,
    health: (name) =>
      attempt(name, async (appliance, calls): Promise<HealthReading> => {
        const answer = await authorised(
          appliance,
          calls,
          'check_health',
          '/api/command?action=check_health',
          'application/xml',
        );
        const parsed = parseHealthCheck(answer.body);
        if (!parsed.ok) {
          const last = calls.at(-1);
          if (last) last.outcome = parsed.kind;
          throw new CallFailed(parsed.kind, parsed.message);
        }
        return parsed.value;
      }),
    jumpClients: (name) =>
      attempt(name, async (appliance, calls) => {
        const items = await list(appliance, calls, 'jump-client', jumpClientItem);
        return { pending: items.filter((i) => i.needs_update).length, total: items.length };
      }),
    jumpoints: (name) =>
      attempt(name, async (appliance, calls) => {
        const items = await list(appliance, calls, 'jumpoint', jumpointItem);
        const expected = items.filter((i) => i.enabled !== false);
        const disconnected = expected.filter((i) => !i.connected).map((i) => i.name);
        return { total: expected.length, connected: expected.length - disconnected.length, disconnected };
      }),
  };
}
