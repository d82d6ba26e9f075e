// A Redis server of a test's own (Debian's redis-server, nothing kept on disk), for tests and the
// soak that restart it. Never the run's shared Redis: other tests keep using that one.
import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from '../../server/db/embedded.js';

export type PrivateRedis = { url: string; start(): Promise<void>; stop(): Promise<void>; restart(): Promise<void> };

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;

  async function start() {
    const started = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
      stdio: 'pipe',
    });
    await new Promise<void>((resolve, reject) => {
      let output = '';
      started.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) resolve();
      });
      started.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
    });
    child = started;
  }

  async function stop() {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise((resolve) => {
      running.once('exit', resolve);
      running.kill('SIGTERM');
    });
  }

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    async restart() {
      await stop();
      await start();
    },
    stop,
  };
}
