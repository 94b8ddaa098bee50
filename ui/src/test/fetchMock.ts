import { vi } from "vitest";

type Answer = { status?: number; body: unknown; headers?: Record<string, string> };
export type Handler = (request: { method: string; url: string; body: unknown; headers: Record<string, string> }) =>
  | Answer
  | undefined
  | Promise<Answer | undefined>;

/** Replace fetch with handlers answering JSON (a promise: an answer that comes later); an unhandled request
 * fails the test loudly. */
export function mockFetch(handler: Handler) {
  const calls: { method: string; url: string; body: unknown; headers: Record<string, string> }[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input.toString();
    const method = init?.method ?? "GET";
    const body = typeof init?.body === "string" ? JSON.parse(init.body) : init?.body;
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    calls.push({ method, url, body, headers });
    const answer = await handler({ method, url, body, headers });
    if (!answer) throw new Error(`unexpected request ${method} ${url}`);
    return new Response(JSON.stringify(answer.body), {
      status: answer.status ?? 200,
      headers: { "Content-Type": "application/json", ...answer.headers },
    });
  });
  vi.stubGlobal("fetch", fetchMock);
  return calls;
}
