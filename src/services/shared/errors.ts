/**
 * The database could not be reached. Usually nothing was changed and the person should try again; when
 * the connection broke while committing, the change may have been saved (`maybeSaved`).
 */
export class DatabaseUnavailableError extends Error {
  constructor(
    cause: unknown,
    readonly maybeSaved = false,
  ) {
    super(
      maybeSaved
        ? 'The database connection broke while saving; the change may or may not have been saved.'
        : 'The database is unreachable; nothing was changed.',
      { cause },
    );
    this.name = 'DatabaseUnavailableError';
  }
}

/** Another writer changed the upgrade between read and write; the transaction is retried. */
export class ConcurrentChangeError extends Error {
  constructor(upgradeId: string) {
    super(`upgrade ${upgradeId} changed concurrently`);
    this.name = 'ConcurrentChangeError';
  }
}

// postgres.js connection errors and PostgreSQL's "connection exception" / shutdown SQLSTATEs.
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EPIPE',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

/** Walks the cause chain (drizzle wraps driver errors) looking for a lost or refused connection. */
export function isConnectionError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current; depth++) {
    if (typeof current === 'object' && current !== null) {
      const code = (current as { code?: unknown }).code;
      if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08'))) return true;
      if (current instanceof AggregateError && current.errors.some(isConnectionError)) return true;
      const message = (current as { message?: unknown }).message;
      if (typeof message === 'string' && /PGlite is closed|connection (terminated|refused)/i.test(message))
        return true;
      current = (current as { cause?: unknown }).cause;
    } else {
      break;
    }
  }
  return false;
}
