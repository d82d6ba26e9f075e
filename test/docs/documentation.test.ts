// The documentation is part of the product: replit.md must document every HTTP route the server
// registers and every socket event of common/realtime.ts, and nothing that does not exist; the
// README must list every environment variable; pictures must exist.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientEvent, ServerEvent } from '../../common/realtime.js';
import { ENVIRONMENT_VARIABLES } from '../../server/config.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

const root = path.resolve(import.meta.dirname, '../..');
const replit = fs.readFileSync(path.join(root, 'replit.md'), 'utf8');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`replit.md has no "## ${heading}" section`);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens. */
function githubAnchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Rows of the API table: "| GET | `/api/...` | ...". */
function documentedRoutes(): string[] {
  return [...section(replit, 'API endpoints').matchAll(/^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \|/gm)].map(
    ([, method, url]) => `${method} ${url}`,
  );
}

describe('documentation', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it("replit.md's API table lists exactly the routes the server registers under /api", () => {
    const registered = t.routes
      .filter((route) => route.url.startsWith('/api/') && !route.url.startsWith('/api/docs/static'))
      .map((route) => `${route.method} ${route.url}`);
    const documented = documentedRoutes();
    expect(new Set(documented).size).toBe(documented.length);
    expect([...documented].sort()).toEqual([...new Set(registered)].sort());
  });

  it("replit.md's WebSocket section documents every socket event, and only those", () => {
    const websocket = section(replit, 'WebSocket usage');
    const inCode = [...Object.values(ClientEvent), ...Object.values(ServerEvent)].sort();
    for (const event of inCode) expect(websocket, event).toContain(`| \`${event}\` |`);
    // The event tables are the ones whose first column is headed "event".
    const eventTables = websocket
      .split(/\n(?=\| event \|)/)
      .slice(1)
      .map((block) => block.split('\n\n')[0] ?? '');
    const inTables = eventTables.flatMap((table) =>
      [...table.matchAll(/^\| `([^`]+)` \|/gm)].map(([, name]) => name ?? ''),
    );
    expect([...new Set(inTables)].sort()).toEqual(inCode);
    expect(websocket).toContain('`/support`');
  });

  it("the README's configuration table lists every environment variable, and only those", () => {
    const configuration = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Project layout'));
    const documented = [...configuration.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map(([, name]) => name ?? '');
    expect([...new Set(documented)].sort()).toEqual([...ENVIRONMENT_VARIABLES].sort());
  });

  it('every picture and local link in the docs exists', () => {
    for (const [document, text] of [
      ['replit.md', replit],
      ['README.md', readme],
    ] as const) {
      for (const [, target] of text.matchAll(/\]\(((?!https?:|#)[^)#\s]+)(?:#[^)]*)?\)/g)) {
        expect(fs.existsSync(path.join(root, target ?? '')), `${document} -> ${target}`).toBe(true);
      }
    }
  });

  it('every link to a section of replit.md names a heading it has', () => {
    const anchors = new Set([...replit.matchAll(/^#{2,4} (.+)$/gm)].map(([, heading]) => githubAnchor(heading ?? '')));
    const links = [
      ...[...replit.matchAll(/\]\(#([^)]+)\)/g)].map(([, anchor]) => `replit.md#${anchor}`),
      ...[...readme.matchAll(/\]\(replit\.md#([^)]+)\)/g)].map(([, anchor]) => `README.md -> replit.md#${anchor}`),
    ];
    expect(links.length).toBeGreaterThan(5);
    expect(links.filter((link) => !anchors.has(link.split('#')[1] ?? ''))).toEqual([]);
  });

  it('the OpenAPI description covers the same API routes', async () => {
    const response = await fetch(`${t.baseUrl}/api/docs/json`);
    const spec = (await response.json()) as { paths: Record<string, Record<string, unknown>> };
    const openApi = Object.entries(spec.paths).flatMap(([url, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${url.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const undocumentedInOpenApi = documentedRoutes().filter(
      (route) => !openApi.includes(route) && !route.includes('/api/docs') && !route.startsWith('GET /api/health/'),
    );
    expect(undocumentedInOpenApi).toEqual([]);
  });
});
