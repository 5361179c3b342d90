import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ApplianceFailure } from '../engine/constants.js';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export class HttpFailure extends Error {
  constructor(
    readonly reason: ApplianceFailure,
    message: string,
  ) {
    super(message);
    this.name = 'HttpFailure';
  }
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|TLS|SSL/;
const MAX_BODY = 20 * 1024 * 1024;

/**
 * One request on a connection of its own that is closed afterwards, as BeyondTrust asks of API
 * clients. TLS is verified against the configured CA bundle (or the system's); it is never disabled.
 */
export function send(args: {
  url: URL;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  ca: string | null;
  timeoutMs: number;
}): Promise<HttpAnswer> {
  const { url, method, headers, body, ca, timeoutMs } = args;
  const https = url.protocol === 'https:';
  const make = https ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = make(
      url,
      {
        method,
        agent: false,
        headers: {
          ...headers,
          Connection: 'close',
          ...(body ? { 'Content-Length': Buffer.byteLength(body) } : {}),
        },
        ...(https ? { ca: ca ?? undefined, rejectUnauthorized: true } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY) req.destroy(new HttpFailure('invalid-answer', 'the answer is too large'));
          else chunks.push(chunk);
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
        res.on('error', (error) => {
          clearTimeout(timer);
          reject(toFailure(error, timeoutMs));
        });
      },
    );
    const timer = setTimeout(
      () => req.destroy(new HttpFailure('timeout', `no answer within ${Math.round(timeoutMs / 100) / 10} s`)),
      timeoutMs,
    );
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(toFailure(error, timeoutMs));
    });
    if (body) req.write(body);
    req.end();
  });
}

function toFailure(error: unknown, timeoutMs: number): HttpFailure {
  if (error instanceof HttpFailure) return error;
  const code = typeof error === 'object' && error && 'code' in error ? String(error.code) : '';
  if (TLS_CODES.test(code)) {
    return new HttpFailure(
      'tls',
      `its TLS certificate is not trusted (${code}); set ca_file in the appliances file to the internal CA bundle`,
    );
  }
  if (code === 'ETIMEDOUT') return new HttpFailure('timeout', `no answer within ${timeoutMs / 1000} s`);
  return new HttpFailure(
    'unreachable',
    `it cannot be reached (${code || (error instanceof Error ? error.message : 'connection failed')})`,
  );
}
