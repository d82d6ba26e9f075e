// A short run of the chaos soak (npm run soak runs it for ten minutes): every kind of fault once,
// under steady traffic through nginx, and nothing lost, doubled, undelivered or out of order.
import { describe, expect, it } from 'vitest';
import { nginxBinary } from '../helpers/nginx.js';
import { FAULTS, runSoak } from '../helpers/soak.js';

const nginx = nginxBinary();
if (!nginx)
  console.warn('nginx is not installed (apt-get install nginx, as .ci/run does): the soak smoke run is skipped');

describe.skipIf(!nginx)('the chaos soak, short', () => {
  it('survives a SIGKILL, a SIGTERM, a Redis restart and a PostgreSQL restart without losing a message', async () => {
    const report = await runSoak({ seconds: 25, users: 6, agents: 1, rate: 12, faults: [...FAULTS] });
    expect(report.recoveries.map((r) => r.fault)).toEqual([...FAULTS]);
    expect(report.acknowledged).toBeGreaterThan(100);
    expect(report).toMatchObject({ lost: 0, duplicated: 0, notDelivered: 0, outOfOrder: 0 });
    expect(report.stored).toBe(report.acknowledged);
  }, 180_000);
});
