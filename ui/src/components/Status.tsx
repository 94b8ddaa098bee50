import { ApiError } from "../api/client";

/** An API error shown in place: the server's `error` name and its `detail` message. */
export function ErrorMessage({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const [name, detail] =
    error instanceof ApiError ? [error.error, error.detail] : ["Error", (error as Error).message ?? String(error)];
  return (
    <div className="error" role="alert">
      <strong>{title ?? name}</strong>
      <span className="error-detail">{detail}</span>
    </div>
  );
}

export function Loading({ what = "Loading" }: { what?: string }) {
  return (
    <p className="muted" role="status" aria-live="polite">
      {what}…
    </p>
  );
}
