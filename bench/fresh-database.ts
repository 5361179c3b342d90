import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

/** Every fresh database not dropped yet, by its drop. */
const undropped = new Set<() => Promise<void>>();

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
  const drop = async () => {
    undropped.delete(drop);
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
  undropped.add(drop);
  return { url: url.toString(), drop };
}

/** Drops what a pass that failed half-way left: a script calls it once, whatever way it ends. */
export async function dropLeftDatabases(): Promise<void> {
  for (const drop of [...undropped]) await drop().catch(() => undefined);
}
