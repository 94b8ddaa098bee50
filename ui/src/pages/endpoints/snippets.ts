// The Consume tab's snippets: each one is meant to be pasted and run as it is.
// The secret is written in only once the user revealed it; until then the snippets read it from the environment.

export type AuthMode = "key" | "token" | "none";

export interface SnippetInput {
  url: string;
  auth: AuthMode;
  /** The key or token in clear, or null to read it from ENV_VARS[auth]. */
  secret: string | null;
  /** The records of the workshop body {"data": [...]}. */
  rows: unknown[];
}

export const ENV_VARS: Record<Exclude<AuthMode, "none">, string> = { key: "ENDPOINT_KEY", token: "ENDPOINT_TOKEN" };

/** {"data": [...]} with one record a line. */
export function requestBody(rows: unknown[]): string {
  return `{"data": [\n${rows.map((row) => `  ${JSON.stringify(row)}`).join(",\n")}\n]}`;
}

const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

export function curlSnippet({ url, auth, secret, rows }: SnippetInput): string {
  const lines = [`curl -X POST ${shellQuote(url)}`, `  -H 'Content-Type: application/json'`];
  if (auth !== "none") {
    lines.push(secret === null ? `  -H "Authorization: Bearer $${ENV_VARS[auth]}"` : `  -H ${shellQuote(`Authorization: Bearer ${secret}`)}`);
  }
  lines.push(`  -d ${shellQuote(requestBody(rows))}`);
  return lines.join(" \\\n") + "\n";
}

/** A JSON value as a Python literal (None, True, False), records one a line. */
export function pythonLiteral(value: unknown, indent = ""): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "None";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const inner = `${indent}    `;
    return `[\n${value.map((v) => `${inner}${pythonLiteral(v, inner)}`).join(",\n")},\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${pythonLiteral(v, indent)}`).join(", ")}}`;
}

export function pythonSnippet({ url, auth, secret, rows }: SnippetInput): string {
  const lines = [...(auth !== "none" && secret === null ? ["import os", ""] : []), "import requests", "", `url = ${JSON.stringify(url)}`];
  if (auth !== "none") {
    lines.push(`secret = ${secret === null ? `os.environ[${JSON.stringify(ENV_VARS[auth])}]` : JSON.stringify(secret)}`);
    lines.push(`headers = {"Authorization": f"Bearer {secret}"}`);
  } else {
    lines.push("headers = {}");
  }
  lines.push(
    `body = {"data": ${pythonLiteral(rows)}}`,
    "",
    "response = requests.post(url, json=body, headers=headers, timeout=30)",
    "response.raise_for_status()  # a 400 names the column at fault: print(response.text)",
    'print(response.json()["result"])',
  );
  return lines.join("\n") + "\n";
}

const rString = (text: string) => `'${text.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;

export function rSnippet({ url, auth, secret, rows }: SnippetInput): string {
  const lines = ["library(httr)", "", `url <- ${rString(url)}`];
  let headers = "";
  if (auth !== "none") {
    lines.push(`secret <- ${secret === null ? `Sys.getenv(${rString(ENV_VARS[auth])})` : rString(secret)}`);
    headers = ', add_headers(Authorization = paste("Bearer", secret))';
  }
  lines.push(
    `body <- ${rString(requestBody(rows))}`,
    "",
    `response <- POST(url${headers}, content_type_json(), body = body)`,
    "stop_for_status(response)",
    'print(content(response, as = "parsed")$result)',
  );
  return lines.join("\n") + "\n";
}
