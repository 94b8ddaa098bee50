// Tags edited as text, one `key=value` a line.

export function tagsText(tags: Record<string, string> | undefined): string {
  return Object.entries(tags ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join("\n");
}

export function parseTags(text: string): { tags: Record<string, string>; error: null } | { tags: null; error: string } {
  const tags: Record<string, string> = {};
  const lines = text.split("\n");
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) return { tags: null, error: `line ${i + 1}: ${JSON.stringify(line)} is not key=value` };
    const key = line.slice(0, eq).trim();
    if (key in tags) return { tags: null, error: `line ${i + 1}: tag ${JSON.stringify(key)} is given twice` };
    tags[key] = line.slice(eq + 1).trim();
  }
  return { tags, error: null };
}
