import { vi } from "vitest";

export type Handler = (request: { method: string; url: string; body: unknown }) => { status?: number; body: unknown } | undefined;

/** Replace fetch with handlers answering JSON; an unhandled request fails the test loudly. */
export function mockFetch(handler: Handler) {
  const calls: { method: string; url: string; body: unknown }[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input.toString();
    const method = init?.method ?? "GET";
    const body = typeof init?.body === "string" ? JSON.parse(init.body) : init?.body;
    calls.push({ method, url, body });
    const answer = handler({ method, url, body });
    if (!answer) throw new Error(`unexpected request ${method} ${url}`);
    return new Response(JSON.stringify(answer.body), {
      status: answer.status ?? 200,
      headers: { "Content-Type": "application/json" },
    });
  });
  vi.stubGlobal("fetch", fetchMock);
  return calls;
}
