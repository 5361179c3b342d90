import { performance } from 'node:perf_hooks';

export interface Stats {
  name: string;
  runs: number;
  meanMs: number;
  p95Ms: number;
  heapDeltaKb: number;
  /** CPU of the whole benchmark process (every thread; a server it talks to not counted) a run. */
  cpuMs?: number;
}

/** Runs `work` a number of times after a warm-up and reports wall time and heap growth. Figures, not verdicts. */
export function measure(name: string, runs: number, work: () => unknown): Stats {
  for (let i = 0; i < Math.min(20, runs); i++) work();
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    work();
    times.push(performance.now() - t0);
  }
  const heapAfter = process.memoryUsage().heapUsed;
  times.sort((a, b) => a - b);
  return {
    name,
    runs,
    meanMs: times.reduce((a, b) => a + b, 0) / runs,
    p95Ms: times[Math.floor(runs * 0.95)] ?? 0,
    heapDeltaKb: Math.round((heapAfter - heapBefore) / 1024),
  };
}

export async function measureAsync(
  name: string,
  runs: number,
  work: (i: number) => Promise<unknown>,
): Promise<Stats> {
  const times: number[] = [];
  const heapBefore = process.memoryUsage().heapUsed;
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await work(i);
    times.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpuBefore);
  times.sort((a, b) => a - b);
  return {
    name,
    runs,
    meanMs: times.reduce((a, b) => a + b, 0) / runs,
    p95Ms: times[Math.floor(runs * 0.95)] ?? 0,
    heapDeltaKb: Math.round((process.memoryUsage().heapUsed - heapBefore) / 1024),
    cpuMs: (cpu.user + cpu.system) / 1000 / runs,
  };
}

export function report(stats: Stats, extra = ''): void {
  console.log(
    `${stats.name.padEnd(52)} ${stats.runs.toString().padStart(6)} runs  mean ${stats.meanMs.toFixed(3)} ms  p95 ${stats.p95Ms.toFixed(3)} ms${stats.cpuMs === undefined ? '' : `  process CPU ${stats.cpuMs.toFixed(3)} ms`}  heap ${stats.heapDeltaKb >= 0 ? '+' : ''}${stats.heapDeltaKb} KiB${extra ? `  (${extra})` : ''}`,
  );
}
