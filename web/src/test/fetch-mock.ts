// Replaces fetch with a queue of canned API answers, recording each request.
import { vi } from 'vitest';

export type Recorded = { url: string; method: string; body: unknown; headers: Record<string, string> };

export function mockFetch(...answers: Array<{ status: number; body: unknown }>) {
  const calls: Recorded[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({
      url: String(input),
      method: init?.method ?? 'GET',
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      headers: (init?.headers ?? {}) as Record<string, string>,
    });
    const answer = answers.shift() ?? { status: 500, body: { error: { code: 'INTERNAL', message: 'No answer left' } } };
    return new Response(JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'Content-Type': 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetchMock);
  return calls;
}

/** Answers by path (the first key the URL's path starts with), for pages that call several endpoints. */
export function mockApi(answers: Record<string, { status: number; body: unknown }>) {
  const calls: Recorded[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    calls.push({
      url,
      method: init?.method ?? 'GET',
      body: undefined,
      headers: (init?.headers ?? {}) as Record<string, string>,
    });
    const path = url.split('?')[0] ?? url;
    const match = Object.keys(answers)
      .sort((a, b) => b.length - a.length)
      .find((prefix) => path.startsWith(prefix));
    const answer = match
      ? answers[match]
      : { status: 404, body: { error: { code: 'NOT_FOUND', message: `No answer for ${path}` } } };
    return new Response(JSON.stringify(answer?.body), {
      status: answer?.status ?? 500,
      headers: { 'Content-Type': 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetchMock);
  return calls;
}
