// `npm run db:migrate`: applies the migrations in drizzle/ to DATABASE_URL, or to the embedded PGlite.
import { ConfigError, loadConfig } from '../config/env.js';
import { createDatabase, type Database } from '../db/client.js';
import { runMigrations } from '../db/migrate.js';

let database: Database | undefined;
try {
  const config = loadConfig(process.env);
  database = createDatabase(config.database);
  await runMigrations(database);
  console.log(
    `Migrations applied (${config.database.kind === 'postgres' ? 'PostgreSQL' : `PGlite in ${config.database.dataDir}`}).`,
  );
} catch (error) {
  console.error(
    error instanceof ConfigError ? error.message : `Migration failed: ${(error as Error).message}`,
  );
  process.exitCode = 1;
} finally {
  // Closed however it ended: a session left holding the migrations lock is ended with it.
  await database?.close().catch(() => undefined);
}
