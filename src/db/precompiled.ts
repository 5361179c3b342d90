import type { SQL } from 'drizzle-orm';
import type { Executor } from './client.js';

type Values = Record<string, unknown>;

interface PreparedQuery<R> {
  execute(values?: Values): Promise<R>;
}

interface Preparable<R> {
  prepare(name: string): PreparedQuery<R>;
}

/** drizzle keeps the session a database or transaction runs on, and the session its driver client. */
interface WithSession {
  _: {
    session: {
      client: unknown;
      prepareQuery(
        query: unknown,
        fields: undefined,
        name: string,
        arrayMode: boolean,
      ): PreparedQuery<unknown>;
    };
  };
  dialect: { sqlToQuery(statement: SQL): unknown };
}

/**
 * A hot query whose SQL drizzle builds once, with `sql.placeholder`s, and which then runs with new
 * values on the database or on any transaction. Building SQL was a fifth of the bot's CPU in a burst of
 * clicks, for queries whose text never changes.
 */
export function precompiled<V extends Values, R>(
  name: string,
  build: (db: Executor) => Preparable<R>,
): (db: Executor, values: V) => Promise<R> {
  // One per driver (postgres.js and PGlite run a prepared query differently); the SQL is the same.
  const byDriver = new Map<unknown, PreparedQuery<R>>();
  return (db, values) => {
    const session = (db as unknown as WithSession)._.session;
    let prepared = byDriver.get(session.constructor);
    if (!prepared) {
      prepared = build(db).prepare(name);
      byDriver.set(session.constructor, prepared);
    }
    // Run on the asker's client: a transaction's own connection, not the one it was first built on.
    const bound = Object.create(prepared, { client: { value: session.client } }) as PreparedQuery<R>;
    return bound.execute(values);
  };
}

/**
 * The same for a statement written in drizzle's `sql` (with placeholders) whose answer is not read:
 * the drivers answer a raw statement in shapes of their own.
 */
export function precompiledStatement<V extends Values>(
  name: string,
  statement: SQL,
): (db: Executor, values: V) => Promise<void> {
  const run = precompiled<V, unknown>(name, (db) => ({
    prepare: (prepareName) => {
      const { _, dialect } = db as unknown as WithSession;
      return _.session.prepareQuery(dialect.sqlToQuery(statement), undefined, prepareName, false);
    },
  }));
  return async (db, values) => {
    await run(db, values);
  };
}
