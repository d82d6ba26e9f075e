// nginx in front of server processes, configured by the shipped deploy/nginx.conf with only its
// ports changed (the listener, one upstream line per node), in a temporary prefix folder.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../server/db/embedded.js';

const root = path.resolve(import.meta.dirname, '../..');

/** Debian's nginx (or NGINX_PATH), or null where it is not installed. */
export function nginxBinary(): string | null {
  for (const candidate of [process.env.NGINX_PATH, '/usr/sbin/nginx', '/usr/bin/nginx']) {
    if (candidate && fs.existsSync(candidate)) return candidate;
  }
  return null;
}

/** deploy/nginx.conf with these ports. */
export function nginxConfigFor(listenPort: number, nodePorts: number[]): string {
  const shipped = fs.readFileSync(path.join(root, 'deploy/nginx.conf'), 'utf8');
  const upstreams = nodePorts.map((port) => `    server 127.0.0.1:${port} max_fails=0;`).join('\n');
  const config = shipped
    .replace(/listen \d+;/, `listen 127.0.0.1:${listenPort};`)
    .replace(/( {4}server 127\.0\.0\.1:\d+ [^\n]*\n)+/, `${upstreams}\n`);
  if (!config.includes(`:${nodePorts.at(-1)} `)) throw new Error('deploy/nginx.conf no longer has the expected shape');
  return config;
}

export type Nginx = { url: string; stop(): Promise<void> };

/** Starts nginx in front of the given nodes and waits until it answers through to one of them. */
export async function startNginx(nodePorts: number[]): Promise<Nginx> {
  const binary = nginxBinary();
  if (!binary) throw new Error('nginx is not installed (apt-get install nginx)');
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'support-chat-nginx-'));
  fs.mkdirSync(path.join(prefix, 'logs'));
  const listenPort = await freePort();
  const configPath = path.join(prefix, 'nginx.conf');
  fs.writeFileSync(configPath, nginxConfigFor(listenPort, nodePorts));
  const globals = `daemon off; pid ${path.join(prefix, 'nginx.pid')}; error_log ${path.join(prefix, 'logs/error.log')} warn;`;
  execFileSync(binary, ['-t', '-q', '-p', prefix, '-c', configPath, '-g', globals]);
  const proxy: ChildProcess = spawn(binary, ['-p', prefix, '-c', configPath, '-g', globals], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${listenPort}`;
  for (let attempt = 0; ; attempt++) {
    const ready = await fetch(`${url}/api/health/ready`).catch(() => null);
    if (ready?.status === 200) break;
    if (attempt > 200) throw new Error('nginx did not start');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    async stop() {
      if (proxy.exitCode === null) {
        const exited = new Promise((resolve) => proxy.once('exit', resolve));
        proxy.kill('SIGQUIT');
        await exited;
      }
      fs.rmSync(prefix, { recursive: true, force: true });
    },
  };
}
