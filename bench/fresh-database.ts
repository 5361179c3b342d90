import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

/**
 * A database of the benchmark's own on the server `serverUrl` names, dropped afterwards: figures never
 * depend on rows an earlier run left, and no run leaves any.
 */
export async function freshDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  const name = `pra_bench_${randomBytes(5).toString('hex')}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
