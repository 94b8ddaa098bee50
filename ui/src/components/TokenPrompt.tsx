import { useQueryClient } from "@tanstack/react-query";
import { useState, useSyncExternalStore, type FormEvent } from "react";
import { workspaceToken } from "../api/client";
import { ErrorMessage } from "./Status";
import { Field } from "./Field";

/** Asks for the workspace token once the API answers 401 (a server bound off loopback requires one). */
export function TokenPrompt() {
  const { needed } = useSyncExternalStore(workspaceToken.subscribe, workspaceToken.state);
  const client = useQueryClient();
  const [token, setToken] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [checking, setChecking] = useState(false);
  if (!needed) return null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setChecking(true);
    setError(null);
    try {
      await workspaceToken.save(token.trim());
      setToken("");
      await client.invalidateQueries();
    } catch (failure) {
      setError(failure);
    } finally {
      setChecking(false);
    }
  };

  return (
    <form className="form card token-prompt" onSubmit={submit} aria-label="Workspace access">
      <h2>This workspace needs its token</h2>
      <p className="muted">
        This server requires the workspace's access token on every API call. It is the file <code>.modelyard/token</code>{" "}
        in the workspace folder on the server (<code>modelyard up</code> prints its path). The studio keeps it in this
        browser.
      </p>
      <Field id="workspace-token" label="Workspace token">
        <input
          id="workspace-token"
          type="password"
          className="mono"
          required
          autoComplete="off"
          value={token}
          onChange={(e) => setToken(e.target.value)}
        />
      </Field>
      <ErrorMessage error={error} title="The server refused this token" />
      <div className="actions">
        <button type="submit" className="button primary" disabled={checking || !token.trim()}>
          {checking ? "Checking…" : "Use token"}
        </button>
      </div>
    </form>
  );
}
