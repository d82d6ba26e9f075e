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
