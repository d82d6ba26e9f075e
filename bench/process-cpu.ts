// CPU and memory of processes as the benchmarks report them, read from /proc (Linux).
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import type pg from 'pg';

const CLK_TCK = Number(execSync('getconf CLK_TCK').toString().trim());

/** CPU seconds (user + system) of each process, read from /proc; a process that ended is left out. */
export function cpuByPid(pids: number[]): Map<number, number> {
  const result = new Map<number, number>();
  for (const pid of pids) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      result.set(pid, (Number(fields[11]) + Number(fields[12])) / CLK_TCK);
    } catch {
      // The process ended.
    }
  }
  return result;
}

export const cpuSeconds = (pids: number[]) => [...cpuByPid(pids).values()].reduce((a, b) => a + b, 0);

export function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(status.match(/VmRSS:\s+(\d+) kB/)?.[1] ?? 0) * 1024;
}

/**
 * PostgreSQL CPU of the bench database's own backends (not the machine's other databases, nor the
 * server-wide WAL writer and checkpointer): pids from pg_stat_activity at the start and at the
 * end of the phase, CPU from /proc. A backend that ended during the phase is missed.
 */
export function postgresCpu(monitor: pg.Pool) {
  const backends = async () =>
    (
      await monitor.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      )
    ).rows.map((row) => row.pid);
  return {
    /** Starts counting; the function it returns gives the CPU seconds since. */
    async start() {
      const before = cpuByPid(await backends());
      return async () => {
        const pids = new Set([...before.keys(), ...(await backends())]);
        let seconds = 0;
        for (const [pid, now] of cpuByPid([...pids])) seconds += now - (before.get(pid) ?? 0);
        return seconds;
      };
    },
  };
}
