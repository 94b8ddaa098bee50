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

export async function errorOf(response: Response): Promise<ApiError> {
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

// ---- the workspace token: a server bound off loopback answers 401 until the studio sends it ----
const TOKEN_KEY = "modelyard.token";
type TokenState = { token: string | null; needed: boolean };
let tokenState: TokenState = { token: readStoredToken(), needed: false };
const tokenListeners = new Set<() => void>();

function readStoredToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null; // storage blocked: the token lives only in memory
  }
}

function setTokenState(next: TokenState) {
  if (next.token === tokenState.token && next.needed === tokenState.needed) return;
  tokenState = next;
  tokenListeners.forEach((listener) => listener());
}

export const workspaceToken = {
  /** For useSyncExternalStore: the token and whether the server asked for one. */
  subscribe(listener: () => void) {
    tokenListeners.add(listener);
    return () => tokenListeners.delete(listener);
  },
  state: () => tokenState,
  /** Check a token against the server, then remember it (localStorage) and send it from now on. */
  async save(token: string) {
    const response = await fetch("/api/workspace", { headers: { Accept: "application/json", Authorization: `Bearer ${token}` } });
    if (!response.ok) throw await errorOf(response);
    try {
      localStorage.setItem(TOKEN_KEY, token);
    } catch {
      // kept in memory only
    }
    setTokenState({ token, needed: false });
  },
};

/** A successful response (errors throw ApiError); every call carries the workspace token when there is one. */
export async function send(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json" };
  const init: RequestInit = { method, headers, signal };
  if (body instanceof FormData) {
    init.body = body;
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    headers["Content-Type"] = "application/json";
  }
  const sentToken = tokenState.token;
  if (sentToken) headers.Authorization = `Bearer ${sentToken}`;
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    throw new ApiError(0, "NetworkError", `the server did not answer (${(error as Error).message}); is modelyard up?`);
  }
  // A refusal of a call sent before a token was saved says nothing about the saved token: only a refusal of
  // the token in use asks for one again.
  if (response.status === 401 && path.startsWith("/api/") && sentToken === tokenState.token) {
    setTokenState({ ...tokenState, needed: true });
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await send(method, path, body);
  if (response.status === 204) return undefined as T;
  // A few routes (deployment logs) answer text/plain: they resolve to the text.
  if (!(response.headers.get("content-type") ?? "application/json").includes("json")) return (await response.text()) as T;
  return (await response.json()) as T;
}

/** One page of a list route that counts all its pages in the X-Total-Count header. */
export async function requestPage<T>(path: string): Promise<{ items: T[]; total: number }> {
  const response = await send("GET", path);
  const items = (await response.json()) as T[];
  const total = Number(response.headers.get("X-Total-Count") ?? items.length);
  return { items, total };
}

/** Save a file the API serves (with the token, which a plain link cannot send). */
export async function downloadFile(path: string, fileName: string): Promise<void> {
  const blob = await (await send("GET", path)).blob();
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement("a"), { href: url, download: fileName });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export const api = {
  get: <T>(path: string) => request<T>("GET", path),
  post: <T>(path: string, body?: unknown) => request<T>("POST", path, body),
  patch: <T>(path: string, body?: unknown) => request<T>("PATCH", path, body),
  delete: <T>(path: string) => request<T>("DELETE", path),
};

export const segment = encodeURIComponent;

/** A relative file path (`model/MLmodel`) as URL segments, its slashes kept. */
export const filePath = (file: string) => file.split("/").map(segment).join("/");
