// The script editor's keys, as pure edits of (text, selection): Tab indents, Enter keeps the line's indentation.

export const INDENT = "    ";
export type Edit = { text: string; caret: number };

/** Tab: the selection replaced by one indent. */
export const indent = (text: string, start: number, end: number): Edit => ({ text: text.slice(0, start) + INDENT + text.slice(end), caret: start + INDENT.length });

/** Enter: a new line that starts with the current line's indentation, one level deeper after a line ending in ":". */
export function newline(text: string, start: number, end: number): Edit {
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const line = text.slice(lineStart, start);
  const lead = /^[ \t]*/.exec(line)![0] + (line.trimEnd().endsWith(":") ? INDENT : "");
  return { text: `${text.slice(0, start)}\n${lead}${text.slice(end)}`, caret: start + 1 + lead.length };
}

/** The language a script parameter holds, from its name (python_script, sql_query_script, r_script). */
export function scriptLanguage(parameter: string): "Python" | "SQL" | "R" | null {
  if (parameter.includes("python")) return "Python";
  if (parameter.includes("sql")) return "SQL";
  if (/(^|_)r_/.test(parameter)) return "R";
  return null;
}
