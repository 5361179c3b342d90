/**
 * Reading and decoding request bodies the way Slack's Web API does, so the fake sees the same
 * arguments whether the app's client sends a form (what @slack/web-api does) or JSON.
 */
import type { IncomingMessage } from 'node:http';
import { isRecord, type JsonObject } from './values.js';

/** Beyond this the fake refuses the request; it only guards against a runaway test. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Arguments that @slack/web-api JSON-encodes inside a form body because they are not strings.
 * They are decoded back so recorded calls hold real objects. A value that is not valid JSON is
 * kept as the string, and the method then answers `invalid_blocks_format` or similar, like Slack.
 */
const JSON_ARGUMENTS = ['blocks', 'attachments', 'view', 'metadata', 'unfurls', 'user_auth_blocks'] as const;

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<unknown>) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The media type without parameters: `application/json; charset=utf-8` → `application/json`. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export type ParsedArgs = { ok: true; args: JsonObject } | { ok: false; error: string };

/** Decodes Web API arguments from the query string and the body, answering Slack's error codes. */
export function parseApiArgs(
  contentType: string | undefined,
  rawBody: string,
  query: URLSearchParams,
): ParsedArgs {
  const args: JsonObject = Object.fromEntries(query);
  if (rawBody.length > 0) {
    const type = mediaType(contentType);
    if (type === 'application/json') {
      const parsed = parseJson(rawBody);
      if (!isRecord(parsed)) return { ok: false, error: 'invalid_json' };
      Object.assign(args, parsed);
    } else if (type === 'application/x-www-form-urlencoded' || type === 'text/plain') {
      for (const [key, value] of new URLSearchParams(rawBody)) args[key] = value;
    } else if (type === '') {
      return { ok: false, error: 'missing_post_type' };
    } else if (type.startsWith('multipart/')) {
      // File uploads are out of scope for this fake.
      return { ok: false, error: 'invalid_form_data' };
    } else {
      return { ok: false, error: 'invalid_post_type' };
    }
  }
  for (const key of JSON_ARGUMENTS) {
    const value = args[key];
    if (typeof value !== 'string') continue;
    const parsed = parseJson(value);
    if (parsed !== undefined) args[key] = parsed;
  }
  return { ok: true, args };
}

/**
 * A response_url body: Bolt's `respond()` posts JSON; older clients post a form with `payload`.
 * `undefined` means the body could not be understood.
 */
export function parseResponseUrlBody(contentType: string | undefined, rawBody: string): unknown {
  const type = mediaType(contentType);
  if (type === 'application/x-www-form-urlencoded') {
    const payload = new URLSearchParams(rawBody).get('payload');
    return payload === null ? undefined : parseJson(payload);
  }
  return parseJson(rawBody);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
