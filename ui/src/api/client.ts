// The one way the studio talks to the server: JSON over fetch, errors as ApiError.
import type { components } from "./schema";

export type Schemas = components["schemas"];

/** An error the API answered with: its `{"error", "detail"}` body, or what went wrong on the way. */
export class ApiError extends Error {
  readonly status: number;
  readonly error: string;
  readonly detail: string;

  constructor(status: number, error: string, detail: string) {
    super(`${error}: ${detail}`);
    this.name = "ApiError";
    this.status = status;
    this.error = error;
    this.detail = detail;
  }
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: string; detail?: unknown };
    if (body && typeof body === "object" && "detail" in body) {
      const detail = typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail);
      return new ApiError(response.status, body.error ?? response.statusText, detail);
    }
  } catch {
    // not JSON: fall through
  }
  return new ApiError(response.status, `HTTP ${response.status}`, text.slice(0, 300) || response.statusText);
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, headers: { Accept: "application/json" } };
  if (body instanceof FormData) {
    init.body = body;
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, "Content-Type": "application/json" };
  }
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    throw new ApiError(0, "NetworkError", `the server did not answer (${(error as Error).message}); is modelyard up?`);
  }
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string) => request<T>("GET", path),
  post: <T>(path: string, body?: unknown) => request<T>("POST", path, body),
  patch: <T>(path: string, body?: unknown) => request<T>("PATCH", path, body),
  delete: <T>(path: string) => request<T>("DELETE", path),
};

export const segment = encodeURIComponent;
