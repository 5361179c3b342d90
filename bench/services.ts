import type postgres from 'postgres';
import { createDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { applyCommand } from '../src/services/apply-command.js';
import { slackActor } from '../src/services/shared/context.js';
import { startUpgrade } from '../src/services/start-upgrade.js';
import { freshDatabase } from './fresh-database.js';
import { measureAsync, report } from './measure.js';
import { benchServiceDeps, benchStartInput } from './service-deps.js';

// On PostgreSQL a database of the run's own, so that "open in the team" counts this run's upgrades only.
const fresh = process.env.DATABASE_URL ? await freshDatabase(process.env.DATABASE_URL) : null;
const database = createDatabase(
  fresh ? { kind: 'postgres', url: fresh.url } : { kind: 'pglite', dataDir: null },
);
// Closed and dropped however the run ends, so that no run leaves a database behind.
try {
  await runMigrations(database);
  const deps = benchServiceDeps(database);
  const ctx = (userId: string) => ({ ...deps, actor: slackActor('TBENCH', userId) });
  const input = (i: number) => benchStartInput({ applianceA: `bench-${i}-${Date.now()}` });
  // Alice clicks "Done" on a step; the side-by-side below also gives a request key and a reply URL.
  const click = (
    upgradeId: string,
    step: string,
    requestKey: string | null = null,
    responseUrl: string | null = null,
  ) =>
    applyCommand({
      ctx: ctx('UA'),
      input: { target: { upgradeId }, command: { type: 'complete', step }, requestKey, responseUrl },
    });

  const ids: string[] = [];
  report(
    await measureAsync(`start an upgrade, the team's first 100 (${database.kind})`, 100, async (i) => {
      const r = await startUpgrade({ ctx: ctx('UA'), input: input(i) });
      if (r.outcome === 'started') ids.push(r.upgradeId);
    }),
  );
  const firstStarts = await measureAsync(
    `start an upgrade, 100-199 others open in the team (${database.kind})`,
    100,
    (i) => startUpgrade({ ctx: ctx('UA'), input: input(500 + i) }),
  );
  report(firstStarts);
  report(
    await measureAsync(`complete a step (${database.kind})`, 100, (i) => click(ids[i] ?? '', 'prep.window')),
  );
  report(
    await measureAsync(`refuse an out-of-order click (${database.kind})`, 100, (i) =>
      click(ids[i] ?? '', 'a.verify'),
    ),
  );
  // A start reads the team's open upgrades of the same appliances: its cost should not grow with the
  // team's other open upgrades. Filled up to 1,000 open (other appliances), then measured again.
  const fill = 800;
  for (let i = 0; i < fill; i++) await startUpgrade({ ctx: ctx('UA'), input: input(1000 + i) });
  const crowded = await measureAsync(
    `start an upgrade, 1,000-1,099 others open in the team (${database.kind})`,
    100,
    (i) => startUpgrade({ ctx: ctx('UA'), input: input(5000 + i) }),
  );
  report(crowded);
  console.log(
    `  start with 1,000-1,099 others open against 100-199: mean ${(crowded.meanMs / firstStarts.meanMs).toFixed(2)}×`,
  );
  if (database.postgres) {
    await whereARefusalsCpuGoes(database.postgres, ids, (upgradeId, requestKey) =>
      click(upgradeId, 'a.verify', requestKey, 'https://hooks.slack.com/actions/T/1/bench'),
    );
  }
} finally {
  await database.close();
  await fresh?.drop();
}

/**
 * Where a click's CPU goes, side by side: one INSERT (the load benchmark's floor does nothing else), a
 * refusal's seven statements sent by hand through postgres.js in the bot's three round trips, and the
 * same refusal through the bot's service (drizzle, the transaction's watch, the engine, the audit).
 */
async function whereARefusalsCpuGoes(
  raw: postgres.Sql,
  ids: string[],
  refuse: (upgradeId: string, requestKey: string) => Promise<unknown>,
): Promise<void> {
  await raw`create table bench_insert (id bigserial primary key, body text not null)`;
  const body = JSON.stringify({
    type: 'block_actions',
    user: { id: 'UA' },
    actions: [{ action_id: 'step.complete' }],
  });
  const actor = JSON.stringify({ type: 'slack', teamId: 'TBENCH', userId: 'UA' });
  const reply = JSON.stringify([{ upgradeId: null, kind: 'respond', payload: { text: 'refused' } }]);
  const upgradeOf = (i: number) => ids[i % ids.length] ?? '';
  // Each run claims a request key of its own, the warm-up's included: a repeated key is a cheaper path.
  let runs = 0;
  const sideBySide = [
    {
      name: 'one INSERT through postgres.js',
      run: () => raw`insert into bench_insert (body) values (${body})`,
    },
    {
      name: "a refusal's statements through postgres.js alone",
      run: async (i: number) => {
        const id = upgradeOf(i);
        const tx = await raw.reserve();
        try {
          await Promise.all([
            tx`begin`,
            tx`select * from upgrades where id = ${id} for update`,
            tx`insert into handled_requests (key, upgrade_id) values (${`raw:${runs++}`}, ${id}) on conflict do nothing returning key`,
            tx`select user_id from participants where upgrade_id = ${id} and user_id = 'UA'`,
          ]);
          await Promise.all([
            tx`insert into audit_events (upgrade_id, actor, action, detail) values (${id}, ${actor}::jsonb, 'command-refused', '{}'::jsonb)`,
            tx`with queued as (insert into outbox (upgrade_id, kind, payload) select null, e->>'kind', e->'payload' from jsonb_array_elements(${reply}::jsonb) e) select pg_notify('bench', 'x')`,
          ]);
          await tx`commit`;
        } finally {
          tx.release();
        }
      },
    },
    {
      name: "a refusal through the bot's service",
      run: (i: number) => refuse(upgradeOf(i), `side:${runs++}`),
    },
  ];
  for (const { run } of sideBySide) for (let i = 0; i < 30; i++) await run(i);
  const figures = [];
  for (const { name, run } of sideBySide) {
    const stats = await measureAsync(name, 300, run);
    report(stats);
    figures.push(stats);
  }
  const [insert, byHand, service] = figures;
  if (insert?.cpuMs && byHand?.cpuMs && service?.cpuMs) {
    console.log(
      `  CPU a refusal: by hand ${(byHand.cpuMs / insert.cpuMs).toFixed(1)}× one INSERT, through the service ${(service.cpuMs / insert.cpuMs).toFixed(1)}× (${(service.cpuMs / byHand.cpuMs).toFixed(2)}× by hand)`,
    );
  }
}
