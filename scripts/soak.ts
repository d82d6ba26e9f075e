// npm run soak — the chaos soak (test/helpers/soak.ts): two nodes behind nginx with a private
// PostgreSQL and Redis, steady traffic, and a fault about every minute at a random moment (SIGKILL
// or SIGTERM of a node, a Redis restart, a PostgreSQL restart). Exits 1 unless nothing was lost,
// doubled, left undelivered or out of order. SOAK_SECONDS (600), SOAK_USERS (200), SOAK_AGENTS (10)
// SOAK_RATE (200 msg/s) and SOAK_FAULTS change the run. Needs nginx and redis-server (Debian packages).
import { FAULTS, type Fault, runSoak } from '../test/helpers/soak.js';

const seconds = Number(process.env.SOAK_SECONDS ?? 600);
// SOAK_FAULTS=sigkill,postgres,... sets the faults (in order); else one a minute, drawn at random.
const faults: Fault[] = process.env.SOAK_FAULTS
  ? (process.env.SOAK_FAULTS.split(',') as Fault[])
  : Array.from(
      { length: Math.max(1, Math.floor(seconds / 60)) },
      () => FAULTS[Math.floor(Math.random() * FAULTS.length)] as Fault,
    );
const report = await runSoak({
  seconds,
  users: Number(process.env.SOAK_USERS ?? 200),
  agents: Number(process.env.SOAK_AGENTS ?? 10),
  rate: Number(process.env.SOAK_RATE ?? 200),
  faults,
  log: (line) => console.log(line),
});
console.log(JSON.stringify(report, null, 2));
const clean = report.lost === 0 && report.duplicated === 0 && report.notDelivered === 0 && report.outOfOrder === 0;
console.log(clean ? 'Nothing lost, doubled, undelivered or out of order.' : 'FAILED: see the counts above.');
process.exit(clean ? 0 : 1);
