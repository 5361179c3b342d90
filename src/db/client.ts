import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { assertPostgresPatched } from './postgres-patch.js';
import * as schema from './schema.js';

export type Schema = typeof schema;
/** The database or a transaction: both drivers share drizzle's PostgreSQL query builder. */
export type Executor = PgDatabase<PgQueryResultHKT, Schema>;

export type DatabaseTarget =
  | {
      kind: 'postgres';
      url: string;
      poolSize?: number;
      /** The connections' `application_name`: who sent a NOTIFY, and who is who in pg_stat_activity. */
      applicationName?: string;
    }
  | { kind: 'pglite'; dataDir: string | null };

export interface Database {
  kind: DatabaseTarget['kind'];
  db: Executor;
  close(): Promise<void>;
  /** postgres.js only: the raw client, for a session-level advisory lock during migrations. */
  postgres?: postgres.Sql;
  pglite?: PGlite;
}

/**
 * PostgreSQL through postgres.js when DATABASE_URL is set, otherwise PGlite (PostgreSQL compiled to
 * WebAssembly) persisted under DATA_DIR, so a fresh machine needs no database server.
 * `dataDir: null` keeps PGlite in memory (tests).
 */
export function createDatabase(target: DatabaseTarget): Database {
  if (target.kind === 'postgres') {
    assertPostgresPatched();
    let ended = false;
    const client = postgres(target.url, {
      max: target.poolSize ?? 10,
      onnotice: () => {},
      // Fail fast when the server is down, so a click gets "try again" within Slack's patience.
      connect_timeout: 5,
      // A connection postgres.js 3.4 might still leave stranded after the server ended its session
      // (patches/ mends the causes found) is replaced within 5 minutes rather than 30 to 60.
      max_lifetime: 5 * 60,
      ...(target.applicationName ? { connection: { application_name: target.applicationName } } : {}),
    });
    return {
      kind: 'postgres',
      db: drizzlePostgres(
        preparing(client, () => ended),
        { schema },
      ) as unknown as Executor,
      postgres: client,
      close: () => {
        ended = true;
        return client.end({ timeout: 5 });
      },
    };
  }
  let dataDir: string | undefined;
  let releaseLock = () => {};
  if (target.dataDir !== null) {
    dataDir = join(target.dataDir, 'pglite');
    mkdirSync(dataDir, { recursive: true });
    releaseLock = lockDataDir(target.dataDir);
  }
  const client = new PGlite(dataDir);
  return {
    kind: 'pglite',
    db: drizzlePglite(client, { schema }) as unknown as Executor,
    pglite: client,
    close: async () => {
      try {
        await client.close();
      } finally {
        releaseLock();
      }
    },
  };
}

/**
 * How drizzle's queries reach postgres.js. drizzle asks for a prepared statement only for queries it
 * names, and an unnamed query with parameters costs two round trips (describe, then execute) and
 * stops the pipeline behind it: every query is prepared instead, once per connection. A transaction
 * sends BEGIN with its first queries rather than waiting a round trip for it (see `transactionOn`).
 */
function preparing(
  sql: postgres.Sql,
  ended: () => boolean = () => false,
  watch?: TransactionWatch,
): postgres.Sql {
  return new Proxy(sql, {
    get(target, property, receiver) {
      if (property === 'unsafe') {
        return (
          query: string,
          parameters?: postgres.ParameterOrJSON<never>[],
          options?: postgres.UnsafeQueryOptions,
        ) => {
          const send = () => target.unsafe(query, parameters, { ...options, prepare: true });
          if (!watch) return send();
          const refusal = watch.refusal();
          return refusal ? refusedQuery(refusal) : watch.sent(send());
        };
      }
      if (property === 'begin') {
        return async (...args: unknown[]) => {
          const scope = args.pop() as (tx: postgres.Sql) => Promise<unknown>;
          // drizzle sets isolation and access modes with SET TRANSACTION, never through BEGIN.
          if (args.length > 0) throw new Error('BEGIN options are not supported');
          // A reserved connection would reconnect even after end(); refused as postgres.js refuses a query.
          if (ended()) throw connectionError('CONNECTION_ENDED', 'write CONNECTION_ENDED');
          return transactionOn(await reserveWithin(target, RESERVE_LIMIT_MS), scope);
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

/**
 * A transaction's connection ended under it. The server then rolled it back, so when that happened
 * before COMMIT was sent nothing was saved and the transaction can simply run again.
 */
export class TransactionConnectionLost extends Error {
  readonly code = 'CONNECTION_CLOSED';
  constructor(
    cause: unknown,
    readonly beforeCommit: boolean,
  ) {
    super(`the transaction's connection was lost ${beforeCommit ? 'before' : 'during'} its COMMIT`, {
      cause,
    });
    this.name = 'TransactionConnectionLost';
  }
}

/**
 * A reservation never answered ends here (postgres.js 3.4 dropped one that waited while a connection
 * closed; patches/ mends that cause). Longer than a connection takes to open (connect_timeout, 5 s).
 */
const RESERVE_LIMIT_MS = 8_000;
/** How long a transaction whose query failed with its connection waits to hear that connection close. */
const CLOSE_WAIT_MS = 5_000;

/** What a transaction asks before it sends a query, and the watch it keeps on each query sent. */
interface TransactionWatch {
  refusal(): Error | null;
  sent<Q extends Promise<unknown>>(query: Q): Q;
}

/** postgres.js's connection object, as its own `begin` reaches it: `onclose` is called once it closes. */
interface RawConnection {
  onclose?: ((error: Error) => void) | null;
}

/** An error coded as postgres.js codes its own, so the services read it as the database being away. */
function connectionError(code: string, message: string, cause?: unknown): Error {
  return Object.assign(new Error(message, { cause }), { code });
}

function connectionClosed(cause: unknown): Error {
  return connectionError('CONNECTION_CLOSED', 'write CONNECTION_CLOSED (during a transaction)', cause);
}

/** A socket error, postgres.js's own connection errors, or the server ending the session (FATAL). */
export function endsConnection(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  if (severity === 'FATAL' || severity === 'PANIC') return true;
  return typeof code === 'string' && /^(CONNECTION_|ECONNRESET$|EPIPE$|ETIMEDOUT$)/.test(code);
}

/** A query refused before it is sent, shaped as drizzle uses a postgres.js query (awaited, or `.values()`). */
function refusedQuery(error: Error): postgres.PendingQuery<postgres.Row[]> {
  const refused = Promise.reject(error);
  refused.catch(() => undefined);
  return Object.assign(refused, { values: () => refused, execute: () => refused }) as never;
}

/**
 * A reserved connection within `ms`. A connection the server ended as it opened is
 * TransactionConnectionLost (nothing ran: it may be tried again); a server that refuses, or no
 * connection in time, is an outage, said to the person at once. A reservation that arrives after all
 * is given back at once.
 */
export async function reserveWithin(sql: postgres.Sql, ms: number): Promise<postgres.ReservedSql> {
  const reservation = sql.reserve();
  let timer: NodeJS.Timeout | undefined;
  // Made only when it happens: an Error's stack trace costs a click more than the rest of this function.
  let tooLate: Error | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      tooLate = connectionError('CONNECT_TIMEOUT', `no connection within ${ms} ms`);
      reject(tooLate);
    }, ms);
  });
  try {
    return await Promise.race([reservation, late]);
  } catch (error) {
    reservation.then(
      (connection) => connection.release(),
      () => undefined,
    );
    throw error !== tooLate && endsConnection(error) ? new TransactionConnectionLost(error, true) : error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One transaction on a reserved connection. postgres.js 3.4 sends what a reserved connection is asked
 * even after its socket closed: the write then throws outside every promise or is never answered, and
 * a released dead connection goes back to the pool (porsager/postgres#1154, #1208). So the transaction
 * watches its own queries and hears its connection close (through the hook postgres.js's own `begin`
 * uses); once either says the connection is gone it sends nothing more, stops waiting, and leaves the
 * connection to postgres.js to reopen. Queries asked after it ended are refused too.
 */
async function transactionOn(
  connection: postgres.ReservedSql,
  scope: (tx: postgres.Sql) => Promise<unknown>,
): Promise<unknown> {
  let lost: Error | null = null;
  let finished = false;
  let stopWaiting: (error: Error) => void = () => {};
  const gone = new Promise<never>((_, reject) => {
    stopWaiting = reject;
  });
  gone.catch(() => undefined);
  let closeHeard: () => void = () => {};
  const heard = new Promise<void>((resolve) => {
    closeHeard = resolve;
  });
  const lose = (error: Error) => {
    if (lost) return;
    lost = error;
    stopWaiting(connectionClosed(error));
  };
  const watch: TransactionWatch = {
    refusal: () =>
      finished ? new Error('the transaction already ended') : lost ? connectionClosed(lost) : null,
    sent: (query) => {
      query.catch((error: unknown) => endsConnection(error) && lose(error as Error));
      return query;
    },
  };
  let raw: RawConnection | undefined;
  const onclose = (error: Error) => {
    lose(error);
    closeHeard();
  };
  const onexecute = (connectionObject: RawConnection) => {
    raw = connectionObject;
    raw.onclose = onclose;
    // True keeps the pipeline open: the scope's first queries go out with BEGIN.
    return true;
  };
  // Queries go out in the order they are asked for: BEGIN first, then the scope's.
  const began = watch.sent(
    connection.unsafe('begin', [], { onexecute } as postgres.UnsafeQueryOptions).execute(),
  );
  let committing = false;
  try {
    const result = await Promise.race([scope(preparing(connection, undefined, watch)), gone]);
    await Promise.race([began, gone]);
    if (lost) throw connectionClosed(lost);
    committing = true;
    await Promise.race([watch.sent(connection.unsafe('commit')), gone]);
    return result;
  } catch (error) {
    if (!lost) await Promise.race([watch.sent(connection.unsafe('rollback')).catch(() => undefined), heard]);
    if (!lost) throw error;
    // Before anyone reserves again, postgres.js must have put the connection with its closed ones.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([heard, new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)))]);
    clearTimeout(timer);
    throw new TransactionConnectionLost(error, !committing);
  } finally {
    finished = true;
    if (raw?.onclose === onclose) raw.onclose = null;
    if (!lost) connection.release();
  }
}

export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The embedded database in ${dataDir} is in use by another pra-upgrade process (pid ${pid}). ` +
        'It serves one process only: stop the other one, give this one its own DATA_DIR, or set DATABASE_URL to share PostgreSQL. ' +
        `(If no other process runs, delete ${join(dataDir, 'pglite.lock')}.)`,
    );
    this.name = 'DataDirInUseError';
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is one process's database: a second process writing the same files silently loses data. A
 * lock file (created atomically, holding the owner's pid) refuses the second; a stale one is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, 'pglite.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(path, 'utf8'));
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && processAlive(owner)) {
        throw new DataDirInUseError(dataDir, owner);
      }
      if (owner === process.pid) throw new DataDirInUseError(dataDir, owner);
      rmSync(path, { force: true });
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}
