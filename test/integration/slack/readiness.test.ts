import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from '../../support/harness.js';

// A database that hangs (here: its migrations table locked) must not hang the readiness probe.
describe('/readyz', () => {
  let h: Harness;
  let locker: postgres.Sql;
  beforeAll(async () => {
    h = await Harness.start({ postgres: true });
    locker = postgres(h.target.url ?? '', { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await locker.end();
    await h.stop();
  });

  const readyz = () =>
    fetch(`http://127.0.0.1:${h.bot.port}/readyz`, { signal: AbortSignal.timeout(5000) }).then(async (r) => ({
      status: r.status,
      body: await r.json(),
    }));

  it('is ready while the database answers', async () => {
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ready' } });
  });

  it('answers 503 at once while the database does not answer, and ready again after', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked = () => {};
    const lockTaken = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const transaction = locker.begin(async (tx) => {
      await tx`lock table drizzle.__drizzle_migrations in access exclusive mode`;
      locked();
      await held;
    });
    await lockTaken;
    try {
      expect(await readyz()).toEqual({ status: 503, body: { status: 'database not answering' } });
    } finally {
      release();
      await transaction;
    }
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ready' } });
  });
});
