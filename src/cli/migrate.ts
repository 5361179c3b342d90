// `npm run db:migrate`: applies the migrations in drizzle/ to DATABASE_URL, or to the embedded PGlite.
import { ConfigError, loadConfig } from '../config/env.js';
import { createDatabase } from '../db/client.js';
import { runMigrations } from '../db/migrate.js';

try {
  const config = loadConfig(process.env);
  const database = createDatabase(config.database);
  await runMigrations(database);
  await database.close();
  console.log(
    `Migrations applied (${config.database.kind === 'postgres' ? 'PostgreSQL' : `PGlite in ${config.database.dataDir}`}).`,
  );
} catch (error) {
  console.error(
    error instanceof ConfigError ? error.message : `Migration failed: ${(error as Error).message}`,
  );
  process.exitCode = 1;
}
